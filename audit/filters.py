"""The access log page's filters: who, what kind, from and to which day."""

import django_filters
from django.contrib.auth import get_user_model

from audit.models import AccessRecord
from kmtracker.lib.date_fields import DateFilter
from kmtracker.lib.widgets import DateInput


class AccessRecordFilterSet(django_filters.FilterSet):
    user = django_filters.ModelChoiceFilter(queryset=get_user_model().objects.none())
    kind = django_filters.ChoiceFilter(choices=AccessRecord.Kind.choices)
    date_from = DateFilter(field_name="at", lookup_expr="date__gte", label="From", widget=DateInput)
    date_to = DateFilter(field_name="at", lookup_expr="date__lte", label="To", widget=DateInput)

    class Meta:
        model = AccessRecord
        fields = ["user", "kind", "date_from", "date_to"]

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the team's members can be chosen: the list names nobody from elsewhere.
        self.filters["user"].queryset = (
            get_user_model().objects.filter(memberships__team=team).order_by("username")
        )
