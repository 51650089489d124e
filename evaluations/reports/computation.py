"""Counting a report's figures from the log: one definition, every output.

`compute_figures(access, periods)` (periods: `evaluations.reports.periods.ReportPeriods`)
reads the log once and returns
`ReportFigures`: sections of rows (section, breakdown, and a value for each of
the three columns: this quarter, the previous quarter, the year to date). The
HTML page, the print layout, the CSV and XLSX downloads (`exports.py`) and the
snapshot frozen at sign-off (`report_pages.py` compares it with the log) all
render these same rows.

Everything is counted in the database, with conditional aggregates
(`Count(..., filter=Q(date__range=...))`) giving the three columns at once, so a
report takes a fixed number of queries whatever the number of activities. The
span's activities lie scattered over the table, so reading them is what costs:
one grouped pass gives every figure that needs no join (categories, settings,
directions, hours, events, lead brokers, months), and on PostgreSQL one statement
reads them once more for their co-brokers and conduits. Every read starts from
the model's `for_user()` queryset narrowed to the team (`access.scoped(Model)`).

What each figure means (also shown under its table):

- Activities are counted by their date. An activity led by one broker and
  co-brokered by two counts once in every total and once for each of the three
  brokers in "Activities by broker". An activity with two conduits counts once
  for each conduit.
- Hours of brokering: the sum of the activities' durations in minutes, divided
  by 60 and rounded to one decimal (half up). Activities without a duration
  add nothing. The categories' hours add up to the total as shown: each gets
  its whole tenths of an hour, and the tenths still missing go to those with
  the largest remainders (largest-remainder rounding), so a category may show
  a tenth less than its own minutes rounded alone.
- Contacts engaged: distinct contacts involved in the period's activities.
  A new contact is one whose first activity with the team ever falls in the
  period; erased contacts still count.
- Events held: activities of a type the team counts as an event (its activity
  types say which); attendees: the sum of their attendee counts. An event whose
  attendance was left blank adds nothing and is counted apart, as not recorded
  (an event nobody came to has 0).
- Bids submitted: submitted date in the period; amount requested is the sum
  over those projects. Each stood at the period's end as funded (status funded
  or completed, since only funded work goes on to completion, and decision
  date by the period's end), unsuccessful or withdrawn (that status and a
  decision date by the end), or still open (every other one: undecided, or
  decided after the period); the four add up to the bids submitted, and so do
  their amounts requested. The award is that of the funded ones.
- Decisions in the period: decision date in the period, by status (funded,
  unsuccessful, withdrawn), whenever the bid went in; amount awarded is the
  sum over those funded. The note names the projects funded in the period
  without a "bid funded" outcome.
- Open pipeline: projects whose status at the end of the column's period (the
  last day included, in the installation's time zone) was idea, developing or
  submitted, read from each project's change history: the latest record made
  by then. A project created later is in no column, and moving a project today
  leaves past columns as they were. A project with no history at all (written
  by bulk statements that keep none) counts at its current status from its
  creation. A change to the history of the period (a record corrected or
  removed) changes the figure, and shows as a difference after sign-off.
- Outcomes are counted by their date; capability changes by dimension.
"""

import datetime

from django.db import connections
from django.db.models import Case, Count, Exists, F, Min, OuterRef, Q, Subquery, Sum, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from activities.models import (
    Activity,
    Broker,
    Category,
    Community,
    Conduit,
    Contact,
    Direction,
    Outcome,
    Project,
    Setting,
)
from evaluations.reports.figures import (
    GBP,
    HOURS,
    NOT_RECORDED,
    ZERO,
    ReportFigures,
    Row,
    Section,
    hours,
    hours_adding_up,
    pounds,
)

FUNDED_STATUSES = Project.FUNDED_STATUSES
OPEN_STATUSES = (Project.Status.IDEA, Project.Status.DEVELOPING, Project.Status.SUBMITTED)


def _columns(periods, prefix, make, date_field="date", condition=None):
    """Conditional aggregates `<prefix>0..2`, one per column of the report."""
    return {
        f"{prefix}{index}": make(Q(**{f"{date_field}__range": period.range}) & (condition or Q()))
        for index, period in enumerate(periods.columns)
    }


def _values(aggregated, prefix):
    return tuple(aggregated.get(f"{prefix}{index}") or 0 for index in range(3))


def _add(total, values):
    return tuple(a + b for a, b in zip(total, values, strict=True))


def _count(condition):
    return Count("pk", filter=condition)


def end_of(day):
    """The first moment after `day` in the current time zone: records before it were made by
    the end of that day."""
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    )


def status_at(day):
    """A project's status at the end of `day`, from its change history (an expression on
    `Project`): its latest record by then; its current status when it has no record at all
    but existed by then; None when it did not exist yet."""
    moment = end_of(day)
    records = Project.history.model.objects.filter(id=OuterRef("pk"))
    recorded = records.filter(history_date__lt=moment).order_by("-history_date", "-history_id")
    never_recorded = Q(created_at__lt=moment) & ~Exists(records)
    return Coalesce(
        Subquery(recorded.values("status")[:1]),
        Case(When(never_recorded, then=F("status")), default=None),
    )


class _Tally:
    """Sums grouped rows (at most a few dozen) into the report's breakdowns."""

    def __init__(self):
        self.values = {}

    def add(self, key, values):
        self.values[key] = _add(self.values.get(key, ZERO), values)

    @classmethod
    def of(cls, sums):
        """A tally of `{key: [value per column]}` as `_accumulate` builds it."""
        tally = cls()
        tally.values = {key: tuple(values) for key, values in sums.items()}
        return tally

    def get(self, key):
        return self.values.get(key, ZERO)

    def total(self):
        total = ZERO
        for values in self.values.values():
            total = _add(total, values)
        return total


def _accumulate(sums, key, values):
    """Add `values` (None counting as 0) to the running sums of `key`."""
    totals = sums.get(key)
    if totals is None:
        totals = sums[key] = [0] * len(values)
    for index, value in enumerate(values):
        if value:
            totals[index] += value


def compute_figures(access, periods, chosen=None):
    """Every figure of the report for the team of `access`, read through its scoped querysets.

    `chosen`, a queryset of the team's activities (a saved report's filters, any date),
    narrows the report to them: the activity, broker, conduit and contact figures count
    only those activities; projects are those the chosen activities worked on; outcomes
    those of a chosen activity, or (having no activity) of such a project. Who counts as
    a new contact still depends on all of the team's earlier work.
    """
    return _Computation(access, periods, chosen).figures()


class _Computation:
    def __init__(self, access, periods, chosen=None):
        self.access = access
        self.periods = periods
        # Each query reads only the days some column needs (the index on team and date helps).
        self.activities = access.scoped(Activity).in_period(*periods.span).order_by()
        # As ids, so that a filter across contacts or conduits cannot repeat an activity.
        self.chosen = None if chosen is None else chosen.order_by().values("pk")
        if self.chosen is not None:
            self.activities = self.activities.filter(pk__in=self.chosen)

    def figures(self):
        self.tallies = self._read_activities()
        self.linked = self._read_links()
        sections = [
            *self.activity_sections(),
            self.broker_section(),
            self.conduit_section(),
            *self.contact_sections(),
            *self.project_sections(),
            *self.outcome_sections(),
        ]
        order = [
            "activities",
            "hours",
            "brokers",
            "settings",
            "directions",
            "conduits",
            "contacts",
            "new_contacts",
            "events",
            "attendees",
            "projects",
            "decisions",
            "pipeline",
            "outcomes",
            "capability",
        ]
        sections.sort(key=lambda section: order.index(section.code))
        return ReportFigures(sections=sections, months=self.months())

    def _read_activities(self):
        """One pass over the span's activities, grouped by category, setting, direction
        and lead broker: six sections, the lead brokers' counts and the chart by month.
        Reading the activities (scattered over the table) costs far more than the few
        thousand groups, so every figure that needs no join is taken from this pass.
        """
        events = Q(activity_type__is_event=True)
        months = self.periods.chart_months
        month_counts = {
            f"month{index}": _count(Q(date__range=self.periods.chart_days(month).range))
            for index, month in enumerate(months)
        }
        keys = ("category", "setting", "direction", "lead_broker")
        aggregates = {
            **_columns(self.periods, "n", _count),
            **_columns(self.periods, "m", lambda q: Sum("duration_minutes", filter=q)),
            **_columns(self.periods, "e", _count, condition=events),
            **_columns(self.periods, "a", lambda q: Sum("attendees", filter=q), condition=events),
            **_columns(self.periods, "u", _count, condition=events & Q(attendees__isnull=True)),
            **month_counts,
        }
        cube = self.activities.values(*keys).annotate(**aggregates).values_list(*keys, *aggregates)
        # Thousands of groups: summed into plain lists, then handed over as tallies.
        sums = {
            name: {}
            for name in (
                "category",
                "minutes",
                "setting",
                "direction",
                "events",
                "attendees",
                "unrecorded",
            )
        }
        led, by_month = {}, {}
        for category, setting, direction, broker, *values in cube:
            count = values[0:3]
            _accumulate(sums["category"], category, count)
            _accumulate(sums["minutes"], category, values[3:6])
            _accumulate(sums["setting"], setting, count)
            _accumulate(sums["direction"], direction, count)
            _accumulate(sums["events"], setting, values[6:9])
            _accumulate(sums["attendees"], setting, values[9:12])
            _accumulate(led, broker, count)
            _accumulate(sums["unrecorded"], None, values[12:15])
            _accumulate(by_month, category, values[15:])
        self.led = _Tally.of(led)
        none = [0] * len(months)
        self.by_month = [
            (month, {code: by_month.get(code, none)[index] for code in Category.values})
            for index, month in enumerate(months)
        ]
        return {name: _Tally.of(table) for name, table in sums.items()}

    def _read_links(self):
        """(co-brokers, conduits): tallies of the activities per co-broker (other than the
        activity's lead) and per conduit (None for none)."""
        connection = connections[self.activities.db]
        if connection.vendor == "postgresql":
            return self._read_links_postgresql(connection)
        return self._read_links_portably()

    def _read_links_portably(self):
        co_brokers, conduits = _Tally(), _Tally()
        co = (
            self.activities.annotate(co_broker=F("co_brokers"))
            .filter(co_broker__isnull=False)
            .exclude(co_broker=F("lead_broker"))
            .values("co_broker")
            .annotate(**_columns(self.periods, "n", _count))
        )
        for group in co:
            co_brokers.add(group["co_broker"], _values(group, "n"))
        grouped = (
            self.activities.annotate(conduit=F("conduits"))
            .values("conduit")
            .annotate(**_columns(self.periods, "n", _count))
        )
        for group in grouped:
            conduits.add(group["conduit"], _values(group, "n"))
        return co_brokers, conduits

    def _read_links_postgresql(self, connection):
        """The same figures in one statement that reads the span's activities once (they
        lie scattered over the table: reading them dominates) and looks up each one's
        co-brokers and conduits by index. The activities are the scoped queryset's own SQL."""
        scoped, params = self.activities.values("id", "date", "lead_broker").query.sql_with_params()
        columns = ", ".join(
            "count(*) FILTER (WHERE a.date BETWEEN %s AND %s)" for _period in self.periods.columns
        )
        dates = [day for period in self.periods.columns for day in period.range]
        co_brokers_table = Activity.co_brokers.through._meta.db_table
        conduits_table = Activity.conduits.through._meta.db_table
        sql = f"""
            WITH a AS MATERIALIZED ({scoped})
            SELECT 'co_broker', cb.broker_id::text, {columns} FROM a
            JOIN LATERAL (SELECT broker_id FROM {co_brokers_table} WHERE activity_id = a.id) cb
              ON cb.broker_id <> a.lead_broker
            GROUP BY cb.broker_id
            UNION ALL
            SELECT 'conduit', c.conduit_id, {columns} FROM a
            LEFT JOIN LATERAL (SELECT conduit_id FROM {conduits_table} WHERE activity_id = a.id) c
              ON true
            GROUP BY c.conduit_id
        """
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *dates, *dates])
            rows = cursor.fetchall()
        co_brokers, conduits = _Tally(), _Tally()
        for kind, key, *values in rows:
            if kind == "co_broker":
                co_brokers.add(int(key), tuple(values))
            else:
                conduits.add(key, tuple(values))
        return co_brokers, conduits

    def activity_sections(self):
        tallies = self.tallies
        by_category, minutes = tallies["category"], tallies["minutes"]
        by_setting, by_direction = tallies["setting"], tallies["direction"]
        events, attendees = tallies["events"], tallies["attendees"]
        # Events whose attendance was not recorded (blank), told apart from those nobody came to.
        unrecorded = tallies["unrecorded"].total()

        def as_hours(values):
            return tuple(hours(value) for value in values)

        # Each column's hours by category add up to its total as shown.
        codes = [code for code, _label in Category.choices]
        by_column = [
            hours_adding_up([minutes.get(code)[index] for code in codes]) for index in range(3)
        ]
        category_hours = {
            code: tuple(column[position] for column in by_column)
            for position, code in enumerate(codes)
        }

        return [
            Section(
                "activities",
                "Activities",
                "Each activity counts once, by its date.",
                [Row("activities.total", "All activities", by_category.total(), is_total=True)]
                + [
                    Row(f"activities.category.{code}", label, by_category.get(code))
                    for code, label in Category.choices
                ],
            ),
            Section(
                "hours",
                "Hours of brokering",
                "The activities' durations added up, in hours to one decimal; the categories "
                "are rounded so that they add up to the total (largest remainder).",
                [
                    Row(
                        "hours.total",
                        "All activities",
                        as_hours(minutes.total()),
                        unit=HOURS,
                        is_total=True,
                    )
                ]
                + [
                    Row(f"hours.category.{code}", label, category_hours[code], unit=HOURS)
                    for code, label in Category.choices
                ],
            ),
            Section(
                "settings",
                "Activities by setting",
                "",
                _choice_rows("settings", Setting.choices, by_setting),
            ),
            Section(
                "directions",
                "Activities by direction",
                "Which way knowledge moved between research and commissioning.",
                _choice_rows("directions", Direction.choices, by_direction),
            ),
            Section(
                "events",
                "Events held",
                "Activities of the types the team counts as events, by setting.",
                [Row("events.total", "All events", events.total(), is_total=True)]
                + _choice_rows("events", Setting.choices, events),
            ),
            Section(
                "attendees",
                "Events: attendees",
                "Attendees of those events added up, by setting.",
                [Row("attendees.total", "All events", attendees.total(), is_total=True)]
                + _choice_rows("attendees", Setting.choices, attendees)
                + (
                    [Row("attendees.not_recorded", "Events, attendees not recorded", unrecorded)]
                    if unrecorded != ZERO
                    else []
                ),
            ),
        ]

    def broker_section(self):
        # Lead brokers (from the pass over the activities), then co-brokers, summed per
        # broker. A broker listed as both lead and co-broker of one activity counts it once.
        involvement = _Tally()
        for broker, values in self.led.values.items():
            involvement.add(broker, values)
        co_brokers, _conduits = self.linked
        for broker, values in co_brokers.values.items():
            involvement.add(broker, values)
        brokers = (
            self.access.scoped(Broker)
            .select_related("user")
            .filter(pk__in=list(involvement.values))
        )
        rows = [
            Row(f"brokers.{broker.pk}", broker.name, involvement.get(broker.pk))
            for broker in sorted(brokers, key=lambda broker: broker.name.lower())
        ]
        return Section(
            "brokers",
            "Activities by broker",
            "An activity counts once for its lead broker and once for each co-broker, "
            "so these add up to more than the number of activities.",
            rows,
        )

    def conduit_section(self):
        _co_brokers, counts = self.linked
        conduits = [(conduit.code, conduit.label) for conduit in Conduit.objects.all()]
        rows = [Row(f"conduits.{code}", label, counts.get(code)) for code, label in conduits]
        if counts.get(None) != ZERO:
            rows.append(Row("conduits.none", NOT_RECORDED, counts.get(None)))
        return Section(
            "conduits",
            "Activities by conduit",
            "An activity counts once for each conduit it used.",
            rows,
        )

    def contact_sections(self):
        # One query for both sections: each contact of the span's activities, with the
        # columns it was engaged in and its first activity in the span; it is new in a
        # column when that first activity falls in it and it had none before the span
        # (then its first activity ever is in the span). The check stops at the first
        # earlier activity found, instead of reading every contact's whole history.
        start, end = self.periods.span
        earlier = Activity.contacts.through.objects.filter(
            contact=OuterRef("pk"), activity__date__lt=start
        )
        # Narrowed in the same filter() call, so that the chosen activity is the one in the
        # span (one join), and the counts below read that join.
        narrowed = {} if self.chosen is None else {"activities__in": self.chosen}
        contacts = (
            self.access.scoped(Contact)
            .filter(
                activities__team=self.access.team,
                activities__date__gte=start,
                activities__date__lte=end,
                **narrowed,
            )
            .annotate(
                first_in_span=Min("activities__date"),
                returning=Exists(earlier),
                **_columns(self.periods, "in", lambda q: Count("pk", filter=q), "activities__date"),
            )
        )
        figures = contacts.aggregate(
            **{
                f"{prefix}_{code}_{index}": Count("pk", filter=Q(community=code) & condition)
                for code, _label in Community.choices
                for index, period in enumerate(self.periods.columns)
                for prefix, condition in (
                    ("engaged", Q(**{f"in{index}__gt": 0})),
                    ("new", Q(returning=False, first_in_span__range=period.range)),
                )
            }
        )
        engaged, new = _Tally(), _Tally()
        for code, _label in Community.choices:
            engaged.add(code, _values(figures, f"engaged_{code}_"))
            new.add(code, _values(figures, f"new_{code}_"))
        return [
            Section(
                "contacts",
                "Contacts engaged",
                "Different people involved in the period's activities, by community.",
                [Row("contacts.total", "All contacts", engaged.total(), is_total=True)]
                + _choice_rows("contacts", Community.choices, engaged, optional_blank=False),
            ),
            Section(
                "new_contacts",
                "New contacts",
                "Contacts whose first activity with the team falls in the period.",
                [Row("new_contacts.total", "All new contacts", new.total(), is_total=True)]
                + _choice_rows("new_contacts", Community.choices, new, optional_blank=False),
            ),
        ]

    def project_sections(self):
        projects = self.access.scoped(Project).annotate(
            has_funded_outcome=Exists(
                Outcome.objects.filter(project=OuterRef("pk"), type=Outcome.Type.BID_FUNDED)
            ),
            **{
                f"status_at{index}": status_at(period.end)
                for index, period in enumerate(self.periods.columns)
            },
        )
        if self.chosen is not None:
            projects = projects.filter(pk__in=self._chosen_projects())
        decided = {
            "funded": Q(status__in=FUNDED_STATUSES),
            "unsuccessful": Q(status=Project.Status.UNSUCCESSFUL),
            "withdrawn": Q(status=Project.Status.WITHDRAWN),
        }
        aggregates = {
            **{
                f"open_{code}_{index}": _count(Q(**{f"status_at{index}": code}))
                for code in OPEN_STATUSES
                for index in range(3)
            },
            **_columns(
                self.periods,
                "quiet",
                _count,
                "decided_on",
                decided["funded"] & Q(has_funded_outcome=False),
            ),
        }
        for index, period in enumerate(self.periods.columns):
            # Decisions in the period, by their decision date.
            for name, condition in decided.items():
                in_period = condition & Q(decided_on__range=period.range)
                aggregates[f"{name}_{index}"] = _count(in_period)
            aggregates[f"funded_awarded_{index}"] = Sum(
                "amount_awarded", filter=decided["funded"] & Q(decided_on__range=period.range)
            )
            # The bids submitted in the period, and where each stood at its end.
            submitted = Q(submitted_on__range=period.range)
            by_end = Q(decided_on__lte=period.end)
            still_open = ~(Q(status__in=[*FUNDED_STATUSES, "unsuccessful", "withdrawn"]) & by_end)
            cohort = {
                "submitted": submitted,
                **{name: submitted & condition & by_end for name, condition in decided.items()},
                "open": submitted & still_open,
            }
            for name, condition in cohort.items():
                aggregates[f"bids_{name}_{index}"] = _count(condition)
                aggregates[f"bids_{name}_requested_{index}"] = Sum(
                    "amount_requested", filter=condition
                )
            aggregates[f"bids_funded_awarded_{index}"] = Sum(
                "amount_awarded", filter=cohort["funded"]
            )
        totals = projects.aggregate(**aggregates)

        def counts(prefix):
            return _values(totals, f"{prefix}_")

        def money(prefix):
            return tuple(pounds(value) for value in _values(totals, f"{prefix}_"))

        quiet = self._funded_without_outcome(projects)
        return [
            Section(
                "projects",
                "Bids submitted in the period",
                "Projects whose submitted date falls in the period, and where each stood at "
                "the period's end by its status and decision date: funded (a funded project "
                "that has since completed still counts as funded), unsuccessful, withdrawn "
                "or still open (undecided, or decided after the period; a bid recorded as "
                "decided without its decision date also counts here until the date is "
                "recorded). The four add up to the bids submitted, and so do their amounts.",
                _bid_rows(counts, money),
            ),
            Section(
                "decisions",
                "Decisions in the period",
                "Projects whose decision date falls in the period, whenever they were "
                "submitted. " + quiet,
                [
                    Row("projects.funded", "Funded", counts("funded")),
                    Row("projects.unsuccessful", "Unsuccessful", counts("unsuccessful")),
                    Row("projects.withdrawn", "Withdrawn", counts("withdrawn")),
                    Row("projects.awarded", "Amount awarded (GBP)", money("funded_awarded"), GBP),
                    Row(
                        "projects.funded_without_outcome",
                        "Funded without a “bid funded” outcome",
                        _values(totals, "quiet"),
                    ),
                ],
            ),
            Section(
                "pipeline",
                "Open pipeline (at the end of the period)",
                "Projects whose status on the last day of the column's period was idea, "
                "developing or submitted, from each project's change history; a project "
                "created or moved since does not change it.",
                [
                    Row(
                        f"pipeline.{code}",
                        Project.Status(code).label,
                        _values(totals, f"open_{code}_"),
                    )
                    for code in OPEN_STATUSES
                ],
            ),
        ]

    def _funded_without_outcome(self, projects):
        """The note naming the projects funded in the period without a "bid funded" outcome."""
        titles = list(
            projects.filter(
                status__in=FUNDED_STATUSES,
                decided_on__range=self.periods.current.range,
                has_funded_outcome=False,
            )
            .order_by("decided_on", "title")
            .values_list("title", flat=True)
        )
        if not titles:
            return "Every project funded in the period has a “bid funded” outcome."
        return (
            f"Funded in the period without a “bid funded” outcome: {'; '.join(titles)}. "
            "Record the outcome on the project so that outcomes and projects agree."
        )

    def outcome_sections(self):
        outcomes = self.access.scoped(Outcome).in_period(*self.periods.span).order_by()
        if self.chosen is not None:
            outcomes = outcomes.filter(
                Q(activity__in=self.chosen)
                | Q(activity__isnull=True, project__in=self._chosen_projects())
            )
        grouped = outcomes.values("type", "capability_dimension").annotate(
            **_columns(self.periods, "n", _count)
        )
        by_type, by_dimension = _Tally(), _Tally()
        for group in grouped:
            by_type.add(group["type"], _values(group, "n"))
            if group["type"] == Outcome.Type.CAPABILITY_CHANGE:
                by_dimension.add(group["capability_dimension"], _values(group, "n"))
        return [
            Section(
                "outcomes",
                "Outcomes by type",
                "Outcomes counted by their date.",
                [Row("outcomes.total", "All outcomes", by_type.total(), is_total=True)]
                + _choice_rows("outcomes", Outcome.Type.choices, by_type, optional_blank=False),
            ),
            Section(
                "capability",
                "Capability changes by dimension",
                "Outcomes of the type capability change.",
                _choice_rows("capability", Outcome.Dimension.choices, by_dimension),
            ),
        ]

    def _chosen_projects(self):
        return (
            Activity.objects.filter(pk__in=self.chosen, project__isnull=False)
            .order_by()
            .values("project")
        )

    def months(self):
        """Activities per month and category over the charted months."""
        return self.by_month


def _bid_rows(counts, money):
    """The bids submitted, then each way they stood at the period's end, each count with the
    amount requested of the same projects beside it, and the amount awarded of those funded
    (an award comes with funding: the others had none by the period's end)."""
    rows = []
    for name, label in (
        ("submitted", "Submitted"),
        ("funded", "Funded"),
        ("unsuccessful", "Unsuccessful"),
        ("withdrawn", "Withdrawn"),
        ("open", "Still open"),
    ):
        # The submitted bids keep the keys they had before the breakdown was added.
        key = "projects.submitted" if name == "submitted" else f"projects.bids.{name}"
        requested = "projects.requested" if name == "submitted" else f"{key}.requested"
        rows += [
            Row(key, label, counts(f"bids_{name}"), is_total=name == "submitted"),
            Row(
                requested, f"{label}: amount requested (GBP)", money(f"bids_{name}_requested"), GBP
            ),
        ]
        if name in ("submitted", "funded"):
            rows.append(
                Row(
                    f"{key}.awarded",
                    f"{label}: amount awarded (GBP)",
                    money("bids_funded_awarded"),
                    GBP,
                )
            )
    return rows


def _choice_rows(prefix, choices, tally, optional_blank=True):
    """A row per choice, zeros included; "Not recorded" only when some activity left it blank."""
    rows = [Row(f"{prefix}.{code}", label, tally.get(code)) for code, label in choices]
    if optional_blank and tally.get("") != ZERO:
        rows.append(Row(f"{prefix}.blank", NOT_RECORDED, tally.get("")))
    return rows
