"""The report's figures of outcomes: by type, and capability changes by dimension."""

from django.db.models import Q

from activities.models import Outcome
from evaluations.reports.figures import Row, Section
from evaluations.reports.tallies import Tally, choice_rows, column_values, count_where, per_column


def outcome_sections(scope):
    outcomes = scope.access.scoped(Outcome).in_period(*scope.periods.span).order_by()
    if scope.chosen is not None:
        outcomes = outcomes.filter(
            Q(activity__in=scope.chosen)
            | Q(activity__isnull=True, project__in=scope.chosen_projects())
        )
    grouped = outcomes.values("type", "capability_dimension").annotate(
        **per_column(scope.periods, "n", count_where)
    )
    by_type, by_dimension = Tally(), Tally()
    for group in grouped:
        by_type.add(group["type"], column_values(group, "n"))
        if group["type"] == Outcome.Type.CAPABILITY_CHANGE:
            by_dimension.add(group["capability_dimension"], column_values(group, "n"))
    return [
        Section(
            "outcomes",
            "Outcomes by type",
            "Outcomes counted by their date.",
            [Row("outcomes.total", "All outcomes", by_type.total(), is_total=True)]
            + choice_rows("outcomes", Outcome.Type.choices, by_type, optional_blank=False),
        ),
        Section(
            "capability",
            "Capability changes by dimension",
            "Outcomes of the type capability change.",
            choice_rows("capability", Outcome.Dimension.choices, by_dimension),
        ),
    ]
