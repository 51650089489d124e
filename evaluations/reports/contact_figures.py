"""The report's figures of contacts: those engaged, and those new to the team."""

from django.db.models import Count, Exists, Min, OuterRef, Q

from activities.models import Activity, Community, Contact
from evaluations.reports.figures import Row, Section
from evaluations.reports.tallies import Tally, choice_rows, column_values, per_column


def contact_sections(scope):
    # One query for both sections: each contact of the span's activities, with the
    # columns it was engaged in and its first activity in the span; it is new in a
    # column when that first activity falls in it and it had none before the span
    # (then its first activity ever is in the span). The check stops at the first
    # earlier activity found, instead of reading every contact's whole history.
    start, end = scope.periods.span
    earlier = Activity.contacts.through.objects.filter(
        contact=OuterRef("pk"), activity__date__lt=start
    )
    # Narrowed in the same filter() call, so that the chosen activity is the one in the
    # span (one join), and the counts below read that join.
    narrowed = {} if scope.chosen is None else {"activities__in": scope.chosen}
    contacts = (
        scope.access.scoped(Contact)
        .filter(
            activities__team=scope.access.team,
            activities__date__gte=start,
            activities__date__lte=end,
            **narrowed,
        )
        .annotate(
            first_in_span=Min("activities__date"),
            returning=Exists(earlier),
            **per_column(scope.periods, "in", lambda q: Count("pk", filter=q), "activities__date"),
        )
    )
    figures = contacts.aggregate(
        **{
            f"{prefix}_{code}_{index}": Count("pk", filter=Q(community=code) & condition)
            for code, _label in Community.choices
            for index, period in enumerate(scope.periods.columns)
            for prefix, condition in (
                ("engaged", Q(**{f"in{index}__gt": 0})),
                ("new", Q(returning=False, first_in_span__range=period.range)),
            )
        }
    )
    engaged, new = Tally(), Tally()
    for code, _label in Community.choices:
        engaged.add(code, column_values(figures, f"engaged_{code}_"))
        new.add(code, column_values(figures, f"new_{code}_"))
    return [
        Section(
            "contacts",
            "Contacts engaged",
            "Different people involved in the period's activities, by community.",
            [Row("contacts.total", "All contacts", engaged.total(), is_total=True)]
            + choice_rows("contacts", Community.choices, engaged, optional_blank=False),
        ),
        Section(
            "new_contacts",
            "New contacts",
            "Contacts whose first activity with the team falls in the period.",
            [Row("new_contacts.total", "All new contacts", new.total(), is_total=True)]
            + choice_rows("new_contacts", Community.choices, new, optional_blank=False),
        ),
    ]
