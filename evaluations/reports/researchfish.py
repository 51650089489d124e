"""The team's work of a period in the shape of Researchfish's common outcome sections.

Four sections, one row per entry, in the columns below (each documented in the README's
data dictionary, "Researchfish exports"):

- **Engagement activities**: activities whose type the lead mapped to a form of
  engagement, and every event, with the type's audience and reach from the mapping;
- **Influence on policy, practice, patients and the public**: outcomes of type
  "evidence used in a decision", with the mapping's type of influence and reach;
- **Collaborations and partnerships**: projects with partners and work in the period;
- **Further funding**: projects funded in the period.

A row that lacks a value Researchfish requires is not exported: it is listed, with what
it lacks, for someone to complete (in the log, or in the mapping) before the next export.
"""

from dataclasses import dataclass, field

from django.db.models import Min, Prefetch, Q

from activities.mentions import text_for
from activities.models import Activity, Organisation, Outcome, Project
from evaluations.models import ResearchfishMapping
from kmtracker.lib import files

SECTOR_OF = {
    Organisation.Kind.UNIVERSITY: "Academic/University",
    Organisation.Kind.COMMISSIONER: "Public",
    Organisation.Kind.SUPPORT_UNIT: "Public",
    Organisation.Kind.PROVIDER: "Hospitals",
    Organisation.Kind.LOCAL_AUTHORITY: "Public",
    Organisation.Kind.VOLUNTARY: "Charity/Non Profit",
    Organisation.Kind.COMMERCIAL: "Private",
    Organisation.Kind.OTHER: "Other",
}


@dataclass(frozen=True)
class RfColumn:
    heading: str
    meaning: str
    required: bool = False


@dataclass(frozen=True)
class RfSection:
    code: str
    title: str
    record: str  # what one row is: "activity", "outcome", "project"
    columns: tuple[RfColumn, ...]

    @property
    def header(self):
        return [column.heading for column in self.columns]

    @property
    def required(self):
        return [column.heading for column in self.columns if column.required]


ENGAGEMENT = RfSection(
    "engagement",
    "Engagement activities",
    "activity",
    (
        RfColumn("activity_id", "The activity's number in KM Tracker."),
        RfColumn("title", "The activity's title.", True),
        RfColumn(
            "form_of_engagement",
            "Researchfish's form of engagement, from the mapping of the activity's type.",
            True,
        ),
        RfColumn("primary_audience", "The primary audience, from the mapping of its type.", True),
        RfColumn(
            "geographic_reach",
            "Local, Regional, National or International, from the mapping of its type.",
            True,
        ),
        RfColumn("year", "The year the activity took place.", True),
        RfColumn("number_reached", "The attendees recorded; empty when not recorded."),
        RfColumn("description", "The activity's description.", True),
        RfColumn(
            "results_and_impact",
            "The descriptions of the outcomes linked to the activity, joined by `; `.",
        ),
        RfColumn("date", "The activity's date (`YYYY-MM-DD`)."),
        RfColumn("activity_type", "The activity's type in the team's vocabulary."),
    ),
)
INFLUENCE = RfSection(
    "influence",
    "Influence on policy, practice, patients and the public",
    "outcome",
    (
        RfColumn("outcome_id", "The outcome's number in KM Tracker."),
        RfColumn(
            "type_of_influence",
            "Researchfish's type of influence, from the mapping of the outcome's type.",
            True,
        ),
        RfColumn("year_first_realised", "The year of the outcome's date.", True),
        RfColumn("geographic_reach", "The reach, from the mapping of the outcome's type.", True),
        RfColumn("description", "The outcome's description.", True),
        RfColumn("evidence", "What shows that it happened: the outcome's evidence.", True),
        RfColumn("activity", "The title of the activity the outcome came from, if any."),
        RfColumn("date", "The outcome's date (`YYYY-MM-DD`)."),
    ),
)
COLLABORATIONS = RfSection(
    "collaborations",
    "Collaborations and partnerships",
    "project",
    (
        RfColumn("project_id", "The project's number in KM Tracker."),
        RfColumn("title", "The project's title.", True),
        RfColumn(
            "partner_organisations",
            "The organisations of the project's partners, joined by `; `.",
            True,
        ),
        RfColumn(
            "partner_sectors",
            "Their sectors in Researchfish's terms (Academic/University, Public, Hospitals, "
            "Charity/Non Profit, Private, Other), from each organisation's kind, joined by `; `.",
        ),
        RfColumn(
            "start_year", "The year of the project's first activity, or of its creation.", True
        ),
        RfColumn("description", "The project's description.", True),
        RfColumn("status", "The project's status code."),
        RfColumn("co_produced", "`true` when commissioners are among the applicants."),
    ),
)
FURTHER_FUNDING = RfSection(
    "further_funding",
    "Further funding",
    "project",
    (
        RfColumn("project_id", "The project's number in KM Tracker."),
        RfColumn("title", "The project's title.", True),
        RfColumn("funder", "The funder.", True),
        RfColumn("amount_awarded", "The amount awarded, in pounds.", True),
        RfColumn("currency", "Always `GBP`."),
        RfColumn("start_date", "The day the funding was decided (`YYYY-MM-DD`).", True),
        RfColumn("amount_requested", "The amount requested, in pounds."),
        RfColumn("description", "The project's description."),
    ),
)
SECTIONS = (ENGAGEMENT, INFLUENCE, COLLABORATIONS, FURTHER_FUNDING)
BY_CODE = {section.code: section for section in SECTIONS}
# What the log cannot say and a person must give before Researchfish takes the rows.
NEEDS_A_PERSON = (
    "the form, primary audience and geographic reach of each activity type, and the type "
    "of influence and reach of each outcome type (the mapping page, once)",
    "the funder's sector and the end date of further funding (not in the log)",
    "Researchfish's bands of the number reached (the export gives the attendees counted)",
)


@dataclass
class Entry:
    """One row of a section, or a row that lacks required values (`missing`)."""

    record: object
    values: dict
    missing: list = field(default_factory=list)


@dataclass
class SectionRows:
    section: RfSection
    entries: list

    @property
    def complete(self):
        return [entry for entry in self.entries if not entry.missing]

    @property
    def incomplete(self):
        return [entry for entry in self.entries if entry.missing]

    def rows(self):
        return [[entry.values[h] for h in self.section.header] for entry in self.complete]


def _checked(section, record, values):
    missing = [heading for heading in section.required if values.get(heading) in (None, "")]
    return Entry(record, values, missing)


def _blank(value):
    return "" if value is None else value


class ResearchfishExport:
    """The four sections of a team's work from `start` to `end`, both included."""

    def __init__(self, access, start, end):
        self.access, self.start, self.end = access, start, end
        mappings = list(access.scoped(ResearchfishMapping))
        self.by_type = {m.activity_type_id: m for m in mappings if m.activity_type_id}
        self.by_outcome = {m.outcome_type: m for m in mappings if m.outcome_type}

    def text(self, value):
        return text_for(self.access, value or "")

    def sections(self):
        return [
            SectionRows(ENGAGEMENT, self.engagement()),
            SectionRows(INFLUENCE, self.influence()),
            SectionRows(COLLABORATIONS, self.collaborations()),
            SectionRows(FURTHER_FUNDING, self.further_funding()),
        ]

    def engagement(self):
        mapped = [pk for pk, mapping in self.by_type.items() if mapping.form]
        activities = (
            self.access.scoped(Activity)
            .in_period(self.start, self.end)
            .filter(Q(activity_type_id__in=mapped) | Q(activity_type__is_event=True))
            .select_related("activity_type")
            .prefetch_related(Prefetch("outcomes", queryset=Outcome.objects.order_by("date", "pk")))
            .order_by("date", "pk")
        )
        entries = []
        for activity in activities:
            mapping = self.by_type.get(activity.activity_type_id) or ResearchfishMapping()
            values = {
                "activity_id": activity.pk,
                "title": self.text(activity.title),
                "form_of_engagement": mapping.get_form_display() if mapping.form else "",
                "primary_audience": mapping.get_audience_display() if mapping.audience else "",
                "geographic_reach": mapping.get_reach_display() if mapping.reach else "",
                "year": activity.date.year,
                "number_reached": _blank(activity.attendees),
                "description": self.text(activity.description),
                "results_and_impact": "; ".join(
                    self.text(outcome.description) for outcome in activity.outcomes.all()
                ),
                "date": activity.date,
                "activity_type": activity.activity_type.name if activity.activity_type else "",
            }
            entries.append(_checked(ENGAGEMENT, activity, values))
        return entries

    def influence(self):
        outcomes = (
            self.access.scoped(Outcome)
            .filter(
                type=Outcome.Type.EVIDENCE_USED_IN_DECISION,
                date__gte=self.start,
                date__lte=self.end,
            )
            .select_related("activity")
            .order_by("date", "pk")
        )
        mapping = self.by_outcome.get(Outcome.Type.EVIDENCE_USED_IN_DECISION)
        mapping = mapping or ResearchfishMapping()
        entries = []
        for outcome in outcomes:
            values = {
                "outcome_id": outcome.pk,
                "type_of_influence": (
                    mapping.get_influence_type_display() if mapping.influence_type else ""
                ),
                "year_first_realised": outcome.date.year,
                "geographic_reach": mapping.get_reach_display() if mapping.reach else "",
                "description": self.text(outcome.description),
                "evidence": self.text(outcome.evidence),
                "activity": self.text(outcome.activity.title) if outcome.activity else "",
                "date": outcome.date,
            }
            entries.append(_checked(INFLUENCE, outcome, values))
        return entries

    def _projects(self):
        return self.access.scoped(Project).prefetch_related("partners__organisation")

    def collaborations(self):
        period = {"date__gte": self.start, "date__lte": self.end}
        worked = self.access.scoped(Activity).filter(**period).values("project_id")
        projects = (
            self._projects()
            .filter(partners__isnull=False)
            .filter(
                Q(pk__in=worked)
                | Q(submitted_on__range=(self.start, self.end))
                | Q(decided_on__range=(self.start, self.end))
            )
            .distinct()
            .order_by("pk")
        )
        first_activity = dict(
            self.access.scoped(Activity)
            .filter(project__in=projects)
            .order_by()
            .values_list("project_id")
            .annotate(first=Min("date"))
        )
        entries = []
        for project in projects:
            organisations = sorted(
                {c.organisation for c in project.partners.all() if c.organisation},
                key=lambda organisation: organisation.name,
            )
            started = first_activity.get(project.pk)
            values = {
                "project_id": project.pk,
                "title": self.text(project.title),
                "partner_organisations": "; ".join(o.name for o in organisations),
                "partner_sectors": "; ".join(
                    dict.fromkeys(SECTOR_OF[o.kind] for o in organisations)
                ),
                "start_year": started.year if started else project.created_at.year,
                "description": self.text(project.description),
                "status": project.status,
                "co_produced": "true" if project.co_produced else "false",
            }
            entries.append(_checked(COLLABORATIONS, project, values))
        return entries

    def further_funding(self):
        projects = (
            self._projects()
            .filter(status=Project.Status.FUNDED, decided_on__range=(self.start, self.end))
            .order_by("decided_on", "pk")
        )
        entries = []
        for project in projects:
            values = {
                "project_id": project.pk,
                "title": self.text(project.title),
                "funder": self.text(project.funder),
                "amount_awarded": _blank(project.amount_awarded),
                "currency": "GBP",
                "start_date": _blank(project.decided_on),
                "amount_requested": _blank(project.amount_requested),
                "description": self.text(project.description),
            }
            entries.append(_checked(FURTHER_FUNDING, project, values))
        return entries

    # Files -------------------------------------------------------------------------

    def filename(self, extension, section=None):
        name = f"{self.access.team.slug}-researchfish"
        if section:
            name += f"-{section.code.replace('_', '-')}"
        return f"{name}-{self.start.isoformat()}-to-{self.end.isoformat()}.{extension}"

    def csv_response(self, code):
        section = BY_CODE[code]
        rows = next(rows for rows in self.sections() if rows.section is section)
        return files.csv_response(self.filename("csv", section), section.header, rows.rows())

    def xlsx_response(self):
        sheets = [
            files.Sheet(rows.section.title, rows.section.header, rows.rows())
            for rows in self.sections()
        ]
        to_complete = [
            [
                rows.section.title,
                entry.record.pk,
                self.text(str(entry.record)),
                "; ".join(entry.missing),
            ]
            for rows in self.sections()
            for entry in rows.incomplete
        ]
        sheets.append(
            files.Sheet("To complete", ["section", "id", "record", "missing"], to_complete)
        )
        return files.xlsx_response(self.filename("xlsx"), sheets)
