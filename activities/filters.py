"""FilterSets: the one place that decides which rows a list, its export or a report shows.

Each FilterSet takes the request, whose `team_access` (set by the team views)
scopes the choices of its related-record filters to the team in play.
"""

import django_filters
from django.db.models import Min, Q
from django.urls import reverse
from django.utils import timezone

from activities.models import (
    Activity,
    ActivityType,
    Broker,
    Category,
    Conduit,
    Contact,
    Direction,
    Organisation,
    Project,
    Setting,
    Topic,
)
from kmtracker.quarters import Quarter, quarters_between
from kmtracker.widgets import AutocompleteSelect, DateInput


class TeamFilterSet(django_filters.FilterSet):
    """A FilterSet whose related-record choices are limited to the request's team."""

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.access = getattr(request, "team_access", None)
        if self.access is not None:
            self.scope_choices(self.access)

    def scope_choices(self, access):
        """Point each related-record filter at the team's own rows."""

    @property
    def form(self):
        if not hasattr(self, "_form"):
            super().form  # noqa: B018 (builds and caches self._form)
            self.adjust_form(self._form)
        return self._form

    def adjust_form(self, form):
        """Change the built form's fields, e.g. how choices are labelled."""

    def _autocomplete(self, name, url_name, queryset):
        field = self.filters[name]
        field.queryset = queryset
        field.extra["widget"] = AutocompleteSelect(
            url=reverse(f"activities:{url_name}", kwargs={"team": self.access.team.slug})
        )


class ActivityFilterSet(TeamFilterSet):
    q = django_filters.CharFilter(method="search", label="Search title and description")
    date_from = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label="From", widget=DateInput
    )
    date_to = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", label="To", widget=DateInput
    )
    quarter = django_filters.ChoiceFilter(method="filter_quarter", label="Quarter")
    category = django_filters.ChoiceFilter(choices=Category.choices)
    activity_type = django_filters.ModelChoiceFilter(
        queryset=ActivityType.objects.none(), label="Type"
    )
    broker = django_filters.ModelChoiceFilter(
        queryset=Broker.objects.none(), method="filter_broker", label="Broker"
    )
    direction = django_filters.ChoiceFilter(choices=Direction.choices)
    conduit = django_filters.ModelChoiceFilter(
        field_name="conduits", queryset=Conduit.objects.all(), label="Conduit"
    )
    setting = django_filters.ChoiceFilter(choices=Setting.choices)
    contact = django_filters.ModelChoiceFilter(
        field_name="contacts", queryset=Contact.objects.none(), label="Contact"
    )
    organisation = django_filters.ModelChoiceFilter(
        field_name="organisations", queryset=Organisation.objects.none(), label="Organisation"
    )
    topic = django_filters.ModelChoiceFilter(
        field_name="topics", queryset=Topic.objects.none(), label="Topic"
    )
    project = django_filters.ModelChoiceFilter(queryset=Project.objects.none())
    o = django_filters.OrderingFilter(
        fields=(
            ("date", "date"),
            ("title", "title"),
            ("category", "category"),
            ("duration_minutes", "duration"),
            ("lead_broker__user__last_name", "broker"),
        ),
        label="Sort by",
    )

    class Meta:
        model = Activity
        fields = []

    def scope_choices(self, access):
        team = access.team
        self.filters["activity_type"].queryset = ActivityType.objects.for_team(team)
        self.filters["broker"].queryset = Broker.objects.for_team(team).select_related("user")
        self.filters["topic"].queryset = Topic.objects.for_team(team)
        self.filters["project"].queryset = Project.objects.for_team(team).order_by("title")
        self._autocomplete("contact", "contact_search", Contact.objects.for_team(team))
        self._autocomplete("organisation", "organisation_search", Organisation.objects.all())
        self.filters["quarter"].extra["choices"] = [
            (quarter.slug, quarter.label) for quarter in self.quarter_choices(team)
        ]

    def adjust_form(self, form):
        if self.access is not None:
            form.fields["contact"].label_from_instance = self.access_label

    def access_label(self, contact):
        return contact.label_for(self.access)

    def quarter_choices(self, team):
        """The team's quarters from its earliest activity to today, newest first."""
        today = timezone.localdate()
        earliest = Activity.objects.for_team(team).aggregate(first=Min("date"))["first"]
        return list(
            reversed(quarters_between(min(earliest or today, today), today, team.year_start_month))
        )

    def search(self, queryset, name, value):
        terms = value.split()
        for term in terms:
            queryset = queryset.filter(Q(title__icontains=term) | Q(description__icontains=term))
        return queryset

    def filter_quarter(self, queryset, name, value):
        quarter = Quarter.from_slug(value, self.access.team.year_start_month)
        return queryset.in_period(quarter.start, quarter.end)

    def filter_broker(self, queryset, name, value):
        return queryset.involving_broker(value)
