"""The columns of every export of the brokering log, declared once.

Each list (activities, contacts, outcomes, projects, organisations) and the
activity–contact links export the rows its FilterSet selects, with the columns
below, in this order. The README's data dictionary (activities.dictionary) and
the in-app page are generated from these declarations, and a test fails when
the README disagrees.

Contacts are written as the viewer may see them: names for brokers and leads,
stable pseudonyms (`C-` and 8 characters) for evaluators, whose exports never
hold a contact's name, job title, email, phone, notes or consent note.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from activities.copy_exports import activity_cells
from activities.models import (
    CONDUITS,
    Activity,
    Category,
    Community,
    Contact,
    Direction,
    Organisation,
    Outcome,
    Project,
    Setting,
)
from kmtracker import copy_csv
from kmtracker import exports as files

# Rows fetched per query; the prefetches run once per chunk, so the number of
# queries grows with the number of chunks, never with the number of rows.
CHUNK_SIZE = 2000
SEPARATOR = "; "

# Column types, as the data dictionary explains them.
INTEGER = "integer"
DECIMAL = "decimal"
DATE = "date"
DATETIME = "datetime"
BOOLEAN = "boolean"
TEXT = "text"
TEXT_LIST = "text list"
CODE = "code"
CODE_LIST = "code list"

TYPES = {
    INTEGER: "A whole number; empty when not recorded.",
    DECIMAL: "A number with a decimal point (`1250.00`); amounts are in pounds (GBP).",
    DATE: "A date in ISO 8601 form, `YYYY-MM-DD`; empty when not recorded.",
    DATETIME: "A date and time in ISO 8601 form, to the second, in the installation's time "
    "zone (UK time by default) with its offset from UTC: `YYYY-MM-DDTHH:MM:SS+01:00`.",
    BOOLEAN: "`true` or `false`.",
    TEXT: "Free text, possibly over several lines.",
    TEXT_LIST: "Several texts joined by `; ` (semicolon and space); empty when none.",
    CODE: "One of the stable codes listed; reports and imports depend on them.",
    CODE_LIST: "Several of the codes listed, joined by `; `; empty when none.",
}


@dataclass(frozen=True)
class Column:
    """One column: its heading, how to get its value, its type and what it means.

    `value(record, access)` gets the cell from one record; `codes` lists the
    values a code column may hold; `personal` columns are left empty for
    viewers who see contacts as pseudonyms.
    """

    heading: str
    value: Callable[[Any, Any], Any]
    type: str
    meaning: str
    codes: tuple = ()
    personal: bool = False


@dataclass(frozen=True)
class Export:
    """One exported table: its file name, columns, and how it reads its rows.

    `prepare(queryset)` adds what the columns read (joins, prefetches,
    annotations) to the queryset the list's FilterSet returns; `records(obj,
    access)` gives the records one row is written for (one per object, or one per
    activity–contact link). `cells(queryset)`, when given, computes the same cells in
    SQL, for PostgreSQL to write the CSV itself (kmtracker.copy_csv).
    """

    name: str
    title: str
    description: str
    columns: tuple
    prepare: Callable = lambda queryset: queryset
    records: Callable = lambda obj, access: (obj,)
    cells: Callable | None = None

    @property
    def header(self):
        return [column.heading for column in self.columns]

    def filename(self, team, extension):
        return f"{team.slug}-{self.name}-{timezone.localdate().isoformat()}.{extension}"

    def rows(self, queryset, access, chunk_size=None, progress=None):
        """One list of values per record of `queryset`, fetched chunk by chunk."""
        hidden = not access.sees_contact_names
        objects = self.prepare(queryset).iterator(chunk_size=chunk_size or CHUNK_SIZE)
        if progress is not None:
            objects = progress.wrap(objects)
        for obj in objects:
            for record in self.records(obj, access):
                yield [
                    "" if hidden and column.personal else column.value(record, access)
                    for column in self.columns
                ]


# How values are read.


def attr(name):
    return lambda obj, access: getattr(obj, name)


def joined(values):
    return SEPARATOR.join(str(value) for value in values if value not in (None, ""))


def person(user):
    """A user as the exports name them: full name, else username."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def stamp(moment):
    """A datetime in the installation's time zone (UK time by default), to the second."""
    if moment is None:
        return None
    return timezone.localtime(moment).isoformat(timespec="seconds")


def sorted_contacts(contacts, access):
    """Contacts with the label `access` may see, sorted by that label.

    Evaluators' pseudonyms are sorted as pseudonyms, so their order says nothing
    about the names behind them.
    """
    labelled = [(contact.label_for(access), contact) for contact in contacts]
    return sorted(labelled, key=lambda pair: (pair[0].casefold(), pair[1].pk))


def contact_labels(contacts, access):
    return joined(label for label, _ in sorted_contacts(contacts, access))


def _code_values(choices):
    return tuple(choices.values)


# Activities.


def _activity_prepare(queryset):
    outcomes = Outcome.objects.only("pk", "type", "date", "activity_id").order_by("date", "pk")
    return (
        queryset.prefetch_related(None)
        .with_related()
        .prefetch_related(Prefetch("outcomes", queryset=outcomes))
    )


def _activity_contacts(activity, access):
    return sorted_contacts(activity.contacts.all(), access)


ACTIVITY_COLUMNS = (
    Column(
        "id",
        attr("pk"),
        INTEGER,
        "The activity's number: stable, unique in the installation, and the one in its "
        "web address. An import skips a row whose `id` is an activity of the team.",
    ),
    Column("date", attr("date"), DATE, "When the work took place."),
    Column("team", lambda a, access: a.team.slug, CODE, "The team's short name (its slug)."),
    Column(
        "lead_broker",
        lambda a, access: a.lead_broker.name,
        TEXT,
        "The broker who led the work: full name, or username when no name is set.",
    ),
    Column(
        "co_brokers",
        lambda a, access: joined(sorted(b.name for b in a.co_brokers.all())),
        TEXT_LIST,
        "Other brokers who took part (collective brokering).",
    ),
    Column(
        "category",
        attr("category"),
        CODE,
        "One of the four categories of brokering of the seed evaluation.",
        _code_values(Category),
    ),
    Column(
        "activity_type",
        lambda a, access: a.activity_type.name,
        TEXT,
        "The kind of activity within its category, from the team's own vocabulary.",
    ),
    Column("title", attr("title"), TEXT, "A short title."),
    Column("description", attr("description"), TEXT, "What was done and with whom."),
    Column("duration_minutes", attr("duration_minutes"), INTEGER, "Time spent, in minutes."),
    Column(
        "setting",
        attr("setting"),
        CODE,
        "Where the work took place; empty when not recorded.",
        _code_values(Setting),
    ),
    Column(
        "direction",
        attr("direction"),
        CODE,
        "Which way knowledge moved between research and commissioning.",
        _code_values(Direction),
    ),
    Column(
        "conduits",
        lambda a, access: joined(c.code for c in a.conduits.all()),
        CODE_LIST,
        "The conduits through which commissioners took up knowledge.",
        tuple(code for code, _ in CONDUITS),
    ),
    Column(
        "contacts",
        lambda a, access: joined(label for label, _ in _activity_contacts(a, access)),
        TEXT_LIST,
        "The people involved, sorted: names for brokers and leads, pseudonyms "
        "(`C-` and 8 characters, the same in every export of the team) for evaluators.",
    ),
    Column(
        "contact_communities",
        lambda a, access: joined(c.community for _, c in _activity_contacts(a, access)),
        CODE_LIST,
        "The community of each contact, one per contact in the order of `contacts`.",
        _code_values(Community),
    ),
    Column(
        "organisations",
        lambda a, access: joined(sorted(o.name for o in a.organisations.all())),
        TEXT_LIST,
        "Organisations involved, by name.",
    ),
    Column(
        "topics",
        lambda a, access: joined(sorted(t.name for t in a.topics.all())),
        TEXT_LIST,
        "Free tags of the team (frailty, maternity, ...).",
    ),
    Column("attendees", attr("attendees"), INTEGER, "For events: how many attended."),
    Column(
        "project",
        lambda a, access: a.project.title if a.project else "",
        TEXT,
        "The title of the project the work belongs to, if any.",
    ),
    Column(
        "outcomes",
        lambda a, access: joined(o.type for o in a.outcomes.all()),
        CODE_LIST,
        "The type of each outcome recorded for the activity, oldest first "
        "(outcomes.csv has their details). Not read by imports.",
        _code_values(Outcome.Type),
    ),
    Column("follow_up", attr("follow_up_date"), DATE, "When to follow the work up."),
    Column(
        "created_by",
        lambda a, access: person(a.created_by),
        TEXT,
        "Who logged the activity. Not read by imports.",
    ),
    Column(
        "created_at",
        lambda a, access: stamp(a.created_at),
        DATETIME,
        "When it was logged. Not read by imports.",
    ),
    Column(
        "updated_at",
        lambda a, access: stamp(a.updated_at),
        DATETIME,
        "When it last changed. Not read by imports.",
    ),
)

ACTIVITIES = Export(
    name="activities",
    title="Activities",
    description="One row per activity of the activity list, with its filters.",
    columns=ACTIVITY_COLUMNS,
    prepare=_activity_prepare,
    cells=activity_cells,
)


# Activity–contact links, for network analysis.


def _link_prepare(queryset):
    contacts = Contact.objects.select_related("organisation")
    return (
        queryset.select_related(None)
        .prefetch_related(None)
        .only("pk", "date", "category", "team_id")
        .prefetch_related(Prefetch("contacts", queryset=contacts))
    )


def _links(activity, access):
    return [(activity, contact) for _, contact in _activity_contacts(activity, access)]


ACTIVITY_CONTACTS = Export(
    name="activity_contacts",
    title="Activity–contact links",
    description="One row per contact of each activity of the activity list, with its "
    "filters: an edge list for network analysis (Gephi, R's igraph).",
    columns=(
        Column(
            "activity_id",
            lambda r, access: r[0].pk,
            INTEGER,
            "The activity (`id` of activities.csv).",
        ),
        Column("date", lambda r, access: r[0].date, DATE, "The activity's date."),
        Column(
            "category",
            lambda r, access: r[0].category,
            CODE,
            "The activity's category.",
            _code_values(Category),
        ),
        Column(
            "contact",
            lambda r, access: r[1].label_for(access),
            TEXT,
            "The contact: name for brokers and leads, pseudonym for evaluators.",
        ),
        Column(
            "community",
            lambda r, access: r[1].community,
            CODE,
            "The contact's community.",
            _code_values(Community),
        ),
        Column(
            "organisation_kind",
            lambda r, access: r[1].organisation.kind if r[1].organisation else "",
            CODE,
            "The kind of the contact's organisation; empty when none is recorded.",
            _code_values(Organisation.Kind),
        ),
    ),
    prepare=_link_prepare,
    records=_links,
)


# Contacts.

CONTACTS = Export(
    name="contacts",
    title="Contacts",
    description="One row per contact of the contact list, with its filters. For "
    "evaluators the columns marked personal are empty.",
    columns=(
        Column("id", attr("pk"), INTEGER, "The contact's number, as in its web address."),
        Column(
            "pseudonym",
            attr("pseudonym"),
            TEXT,
            "`C-` and 8 characters from a keyed hash: the same in every export of the team, "
            "and the label evaluators see in every other export.",
        ),
        Column("name", attr("name"), TEXT, "Full name.", personal=True),
        Column("job_title", attr("job_title"), TEXT, "Job title.", personal=True),
        Column(
            "organisation",
            lambda c, access: c.organisation.name if c.organisation else "",
            TEXT,
            "The organisation they work for, by name.",
        ),
        Column(
            "organisation_kind",
            lambda c, access: c.organisation.kind if c.organisation else "",
            CODE,
            "The kind of that organisation.",
            _code_values(Organisation.Kind),
        ),
        Column(
            "community",
            attr("community"),
            CODE,
            "The community the contact belongs to.",
            _code_values(Community),
        ),
        Column("email", attr("email"), TEXT, "Email address.", personal=True),
        Column(
            "phone",
            attr("phone"),
            TEXT,
            "Phone number; an international number reads `'+44 ...` so that spreadsheets "
            "keep it as text.",
            personal=True,
        ),
        Column("notes", attr("notes"), TEXT, "The team's notes.", personal=True),
        Column(
            "consent_note",
            attr("consent_note"),
            TEXT,
            "Why the team may hold their details (consent or lawful basis).",
            personal=True,
        ),
        Column(
            "first_engaged",
            attr("first_engaged_on"),
            DATE,
            "The date of their earliest activity. Not read by imports.",
        ),
        Column(
            "activities",
            attr("activity_count"),
            INTEGER,
            "How many of the team's activities involve them. Not read by imports.",
        ),
        Column(
            "erased",
            attr("is_erased"),
            BOOLEAN,
            "`true` when their details were erased on request (the row keeps the links).",
        ),
        Column(
            "created_at", lambda c, access: stamp(c.created_at), DATETIME, "When they were added."
        ),
        Column(
            "updated_at", lambda c, access: stamp(c.updated_at), DATETIME, "When they last changed."
        ),
    ),
    prepare=lambda queryset: queryset.select_related("organisation"),
)


# Outcomes.


def _outcome_prepare(queryset):
    contacts = Contact.objects.select_related("organisation")
    return (
        queryset.select_related("activity", "project", "created_by")
        .prefetch_related(None)
        .prefetch_related(Prefetch("contacts", queryset=contacts))
    )


OUTCOMES = Export(
    name="outcomes",
    title="Outcomes",
    description="One row per outcome of the outcome list, with its filters.",
    columns=(
        Column("id", attr("pk"), INTEGER, "The outcome's number."),
        Column("date", attr("date"), DATE, "When it happened."),
        Column("type", attr("type"), CODE, "What came of the work.", _code_values(Outcome.Type)),
        Column(
            "capability_dimension",
            attr("capability_dimension"),
            CODE,
            "For a capability change: which capability; empty otherwise.",
            _code_values(Outcome.Dimension),
        ),
        Column("description", attr("description"), TEXT, "What happened."),
        Column("evidence", attr("evidence"), TEXT, "What shows that it happened."),
        Column(
            "confidence",
            attr("confidence"),
            CODE,
            "How sure the team is that the work led to it.",
            _code_values(Outcome.Confidence),
        ),
        Column("value_gbp", attr("value_gbp"), DECIMAL, "Its value in pounds, if any."),
        Column(
            "activity_id",
            attr("activity_id"),
            INTEGER,
            "The activity it came of (`id` of activities.csv); empty when none.",
        ),
        Column(
            "activity",
            lambda o, access: o.activity.title if o.activity else "",
            TEXT,
            "That activity's title.",
        ),
        Column(
            "project_id",
            attr("project_id"),
            INTEGER,
            "The project it came of (`id` of projects.csv); empty when none.",
        ),
        Column(
            "project",
            lambda o, access: o.project.title if o.project else "",
            TEXT,
            "That project's title.",
        ),
        Column(
            "contacts",
            lambda o, access: contact_labels(o.contacts.all(), access),
            TEXT_LIST,
            "People it concerns: names, or pseudonyms for evaluators.",
        ),
        Column("created_by", lambda o, access: person(o.created_by), TEXT, "Who recorded it."),
        Column("created_at", lambda o, access: stamp(o.created_at), DATETIME, "When recorded."),
        Column(
            "updated_at", lambda o, access: stamp(o.updated_at), DATETIME, "When it last changed."
        ),
    ),
    prepare=_outcome_prepare,
)


# Projects.


def _count_of(queryset, link):
    """The number of rows of `queryset` whose `link` is the outer row, as a subquery."""
    counted = (
        queryset.filter(**{link: OuterRef("pk")})
        .order_by()
        .values(link)
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _project_prepare(queryset):
    contacts = Contact.objects.select_related("organisation")
    return (
        queryset.select_related("lead_broker__user", "created_by")
        .prefetch_related(None)
        .prefetch_related(Prefetch("partners", queryset=contacts))
        .annotate(
            export_activities=_count_of(Activity.objects.all(), "project"),
            export_outcomes=_count_of(Outcome.objects.all(), "project"),
        )
    )


PROJECTS = Export(
    name="projects",
    title="Projects",
    description="One row per project of the project list, with its filters.",
    columns=(
        Column("id", attr("pk"), INTEGER, "The project's number."),
        Column("title", attr("title"), TEXT, "Its title."),
        Column("kind", attr("kind"), CODE, "What kind of project.", _code_values(Project.Kind)),
        Column(
            "status",
            attr("status"),
            CODE,
            "Where it stands, from idea to completed.",
            _code_values(Project.Status),
        ),
        Column("description", attr("description"), TEXT, "What it is about."),
        Column("funder", attr("funder"), TEXT, "Who funds it, or was asked to."),
        Column("amount_requested", attr("amount_requested"), DECIMAL, "Amount requested (£)."),
        Column("amount_awarded", attr("amount_awarded"), DECIMAL, "Amount awarded (£)."),
        Column("deadline", attr("deadline"), DATE, "The submission deadline."),
        Column("submitted_on", attr("submitted_on"), DATE, "When it was submitted."),
        Column("decided_on", attr("decided_on"), DATE, "When the funder decided."),
        Column(
            "co_produced",
            attr("co_produced"),
            BOOLEAN,
            "`true` when commissioners are among the applicants.",
        ),
        Column(
            "partners",
            lambda p, access: contact_labels(p.partners.all(), access),
            TEXT_LIST,
            "Partner contacts: names, or pseudonyms for evaluators.",
        ),
        Column(
            "lead_broker",
            lambda p, access: p.lead_broker.name if p.lead_broker else "",
            TEXT,
            "The broker who leads it.",
        ),
        Column(
            "activities", attr("export_activities"), INTEGER, "How many activities belong to it."
        ),
        Column("outcomes", attr("export_outcomes"), INTEGER, "How many outcomes came of it."),
        Column("created_by", lambda p, access: person(p.created_by), TEXT, "Who added it."),
        Column("created_at", lambda p, access: stamp(p.created_at), DATETIME, "When added."),
        Column(
            "updated_at", lambda p, access: stamp(p.updated_at), DATETIME, "When it last changed."
        ),
    ),
    prepare=_project_prepare,
)


# Organisations.

ORGANISATIONS = Export(
    name="organisations",
    title="Organisations",
    description="One row per organisation of the organisation list: those the team's "
    "contacts work for or its activities involve (organisations are shared by all teams).",
    columns=(
        Column("id", attr("pk"), INTEGER, "The organisation's number (shared by all teams)."),
        Column("name", attr("name"), TEXT, "Its name, unique in the installation."),
        Column(
            "kind",
            attr("kind"),
            CODE,
            "What kind of organisation.",
            _code_values(Organisation.Kind),
        ),
        Column(
            "contacts",
            attr("contact_count"),
            INTEGER,
            "How many of the team's contacts work there.",
        ),
        Column(
            "activities",
            attr("activity_count"),
            INTEGER,
            "How many of the team's activities involve it.",
        ),
        Column(
            "first_activity",
            attr("first_activity"),
            DATE,
            "The date of the team's first activity involving it.",
        ),
        Column(
            "last_activity",
            attr("last_activity"),
            DATE,
            "The date of the team's latest activity involving it.",
        ),
    ),
)

EXPORTS = {
    export.name: export
    for export in (ACTIVITIES, ACTIVITY_CONTACTS, CONTACTS, OUTCOMES, PROJECTS, ORGANISATIONS)
}
FORMATS = ("csv", "xlsx")


def chosen(query, names):
    """(Export, format, bom) that a list's query string asks for, among the list's
    tables `names`; ValueError with a message saying what is wrong."""
    export_format = query.get("export", "")
    if export_format not in FORMATS:
        raise ValueError(f"Unknown export format {export_format!r}: use csv or xlsx.")
    table = query.get("table") or names[0]
    if table not in names:
        raise ValueError(f"Unknown table {table!r}: this list exports {', '.join(names)}.")
    bom = query.get("bom", "") in ("1", "true", "yes", "on")
    return EXPORTS[table], export_format, bom


def download(export, queryset, access, export_format="csv", bom=False):
    """The rows of `queryset` as a CSV (streamed) or XLSX download named after the team.

    On PostgreSQL, PostgreSQL writes the CSV (several times faster) when the export
    can compute its cells in SQL; contacts' pseudonyms are computed in Python only.
    """
    if export_format == "csv" and writes_in_sql(export, queryset, access):
        filename = export.filename(access.team, "csv")
        return copy_csv.copy_response(filename, export.header, export.cells(queryset), bom)
    rows = export.rows(queryset, access)
    if export_format == "xlsx":
        filename = export.filename(access.team, "xlsx")
        return files.xlsx_response(filename, export.name, export.header, rows)
    return files.csv_response(export.filename(access.team, "csv"), export.header, rows, bom)


def writes_in_sql(export, queryset, access):
    """Whether the database can write this CSV itself (see kmtracker.copy_csv)."""
    return (
        export.cells is not None and access.sees_contact_names and copy_csv.supports_copy(queryset)
    )
