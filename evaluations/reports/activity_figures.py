"""The report's figures of activities: categories, hours, settings, directions, events and
attendees, brokers, conduits, and the chart by month (`computation.py` says what each
means)."""

from django.db import connections
from django.db.models import F, Q, Sum

from activities.models import Activity, Broker, Category, Conduit, Direction, Setting
from evaluations.reports.figures import (
    HOURS,
    NOT_RECORDED,
    ZERO,
    Row,
    Section,
    hours,
    hours_adding_up,
)
from evaluations.reports.tallies import (
    Tally,
    accumulate,
    choice_rows,
    column_values,
    count_where,
    per_column,
)


class ActivityFigures:
    """One pass over the span's activities (and one over their links), then their sections."""

    def __init__(self, scope):
        self.access = scope.access
        self.periods = scope.periods
        self.activities = scope.activities

    def sections(self):
        """Read the activities, then their sections (`months()` reads the same pass)."""
        self.tallies = self._read_activities()
        self.linked = self._read_links()
        return [*self.activity_sections(), self.broker_section(), self.conduit_section()]

    def _read_activities(self):
        """One pass over the span's activities, grouped by category, setting, direction
        and lead broker: six sections, the lead brokers' counts and the chart by month.
        Reading the activities (scattered over the table) costs far more than the few
        thousand groups, so every figure that needs no join is taken from this pass.
        """
        events = Q(activity_type__is_event=True)
        months = self.periods.chart_months
        month_counts = {
            f"month{index}": count_where(Q(date__range=self.periods.chart_days(month).range))
            for index, month in enumerate(months)
        }
        keys = ("category", "setting", "direction", "lead_broker")
        aggregates = {
            **per_column(self.periods, "n", count_where),
            **per_column(self.periods, "m", lambda q: Sum("duration_minutes", filter=q)),
            **per_column(self.periods, "e", count_where, condition=events),
            **per_column(self.periods, "a", lambda q: Sum("attendees", filter=q), condition=events),
            **per_column(
                self.periods, "u", count_where, condition=events & Q(attendees__isnull=True)
            ),
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
            accumulate(sums["category"], category, count)
            accumulate(sums["minutes"], category, values[3:6])
            accumulate(sums["setting"], setting, count)
            accumulate(sums["direction"], direction, count)
            accumulate(sums["events"], setting, values[6:9])
            accumulate(sums["attendees"], setting, values[9:12])
            accumulate(led, broker, count)
            accumulate(sums["unrecorded"], None, values[12:15])
            accumulate(by_month, category, values[15:])
        self.led = Tally.of(led)
        none = [0] * len(months)
        self.by_month = [
            (month, {code: by_month.get(code, none)[index] for code in Category.values})
            for index, month in enumerate(months)
        ]
        return {name: Tally.of(table) for name, table in sums.items()}

    def _read_links(self):
        """(co-brokers, conduits): tallies of the activities per co-broker (other than the
        activity's lead) and per conduit (None for none)."""
        connection = connections[self.activities.db]
        if connection.vendor == "postgresql":
            return self._read_links_postgresql(connection)
        return self._read_links_portably()

    def _read_links_portably(self):
        co_brokers, conduits = Tally(), Tally()
        co = (
            self.activities.annotate(co_broker=F("co_brokers"))
            .filter(co_broker__isnull=False)
            .exclude(co_broker=F("lead_broker"))
            .values("co_broker")
            .annotate(**per_column(self.periods, "n", count_where))
        )
        for group in co:
            co_brokers.add(group["co_broker"], column_values(group, "n"))
        grouped = (
            self.activities.annotate(conduit=F("conduits"))
            .values("conduit")
            .annotate(**per_column(self.periods, "n", count_where))
        )
        for group in grouped:
            conduits.add(group["conduit"], column_values(group, "n"))
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
        co_brokers, conduits = Tally(), Tally()
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
                choice_rows("settings", Setting.choices, by_setting),
            ),
            Section(
                "directions",
                "Activities by direction",
                "Which way knowledge moved between research and commissioning.",
                choice_rows("directions", Direction.choices, by_direction),
            ),
            Section(
                "events",
                "Events held",
                "Activities of the types the team counts as events, by setting.",
                [Row("events.total", "All events", events.total(), is_total=True)]
                + choice_rows("events", Setting.choices, events),
            ),
            Section(
                "attendees",
                "Events: attendees",
                "Attendees of those events added up, by setting.",
                [Row("attendees.total", "All events", attendees.total(), is_total=True)]
                + choice_rows("attendees", Setting.choices, attendees)
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
        involvement = Tally()
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

    def months(self):
        """Activities per month and category over the charted months."""
        return self.by_month
