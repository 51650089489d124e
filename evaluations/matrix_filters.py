"""Which participants the framework matrix shows: by community, and (for evaluators, who
alone see which contact a participant is) by the category of the activities their contact
took part in during the study's period."""

import django_filters
from django.db.models import Q

from activities.models import Activity, Category, Community
from evaluations.models import Participant


def took_part_in(participants, access, study, category):
    """The `participants` whose contact took part in an activity of `category` in the study's
    period (any date when the study has none), among the activities `access` may read."""
    activities = access.scoped(Activity).filter(category=category)
    if study.period_start:
        activities = activities.filter(date__gte=study.period_start)
    if study.period_end:
        activities = activities.filter(date__lte=study.period_end)
    contacts = activities.values("contacts")
    return participants.filter(Q(contact__isnull=False) & Q(contact__in=contacts))


class MatrixFilterSet(django_filters.FilterSet):
    """The participants of the matrix: by their community, by their activities' category."""

    community = django_filters.ChoiceFilter(choices=Community.choices, label="Community")
    category = django_filters.ChoiceFilter(
        choices=Category.choices, method="by_category", label="Took part in"
    )

    class Meta:
        model = Participant
        fields = []

    def __init__(self, data=None, queryset=None, *, access, study, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.access, self.study = access, study
        if not access.can_evaluate:
            # Which contact a participant is stays with the evaluators.
            del self.filters["category"]

    def by_category(self, queryset, name, value):
        return took_part_in(queryset, self.access, self.study, value)

    @property
    def is_filtering(self):
        """True when a valid choice narrows the participants."""
        if not self.is_bound or not self.form.is_valid():
            return False
        return any(self.form.cleaned_data.get(name) for name in self.filters)
