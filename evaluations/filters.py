"""FilterSets of the evaluations app: the period of an "any period" report (the activity
FilterSet's date range), the reflective log, a study's excerpts and its sampling frame."""

import datetime

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from activities.filters import ActivityFilterSet, TeamFilterSet, search_terms
from activities.models import Community, Contact, Organisation
from evaluations.matrix import theme_and_children
from evaluations.models import Excerpt, LogTag, Participant, ReflectiveEntry, Source, Theme
from evaluations.studies import sampling_frame
from kmtracker.lib.date_fields import DateFilter
from kmtracker.lib.names import display_name
from kmtracker.lib.widgets import DateInput

LONGEST_PERIOD = datetime.timedelta(days=5 * 366)


class PeriodForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end of the period must not be before its start.")
        elif start and end and end - start > LONGEST_PERIOD:
            self.add_error("date_to", "Choose a period of five years or less.")
        return cleaned


class ReportPeriodFilterSet(ActivityFilterSet):
    """ActivityFilterSet's `date_from` and `date_to`, both required, and nothing else.

    The report counts projects and outcomes as well as activities, so the
    activity list's other filters (category, broker, ...) would not apply to
    every figure: only the dates are offered.
    """

    PERIOD_FILTERS = ("date_from", "date_to")

    class Meta(ActivityFilterSet.Meta):
        form = PeriodForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in list(self.filters):
            if name not in self.PERIOD_FILTERS:
                del self.filters[name]

    def scope_choices(self, access):
        """No related-record filters are kept, so there is nothing to scope (and no query)."""

    def adjust_form(self, form):
        for name in self.PERIOD_FILTERS:
            form.fields[name].required = True
        form.fields["date_to"].help_text = "Both dates are included."

    @property
    def period(self):
        """(first day, last day) once the form is valid."""
        return self.form.cleaned_data["date_from"], self.form.cleaned_data["date_to"]


# The reflective log and evaluation studies -------------------------------------------------------


class ReflectiveEntryFilterSet(TeamFilterSet):
    """Filters of the reflective log: the rows are already only those the user may read."""

    q = django_filters.CharFilter(method="search", label="Search title and reflection")
    tag = django_filters.ModelChoiceFilter(
        field_name="tags", queryset=LogTag.objects.none(), label="Tag"
    )
    date_from = DateFilter(field_name="date", lookup_expr="gte", label="From", widget=DateInput)
    date_to = DateFilter(field_name="date", lookup_expr="lte", label="To", widget=DateInput)
    shared = django_filters.ChoiceFilter(
        choices=[("yes", "Shared with evaluators"), ("no", "Private")],
        method="filter_shared",
        label="Sharing",
    )
    author = django_filters.ModelChoiceFilter(
        queryset=get_user_model().objects.none(), label="Author"
    )

    class Meta:
        model = ReflectiveEntry
        fields = []

    def scope_choices(self, access):
        # Retired tags too: older entries still carry them.
        self.filters["tag"].queryset = access.scoped(LogTag)
        if access.is_evaluator:
            # Evaluators read the shared entries of several authors; others only their own.
            authors = ReflectiveEntry.objects.for_user(access.user).filter(team=access.team)
            self.filters["author"].queryset = (
                get_user_model()
                .objects.filter(pk__in=authors.values("author_id"))
                .order_by("first_name", "last_name", "username")
            )
            del self.filters["shared"]
        else:
            del self.filters["author"]

    def adjust_form(self, form):
        if "author" in form.fields:
            form.fields["author"].label_from_instance = display_name

    def search(self, queryset, name, value):
        return self.search_text(queryset, ("title", "text"), value)

    def filter_shared(self, queryset, name, value):
        return queryset.filter(shared=value == "yes")


class ExcerptFilterSet(django_filters.FilterSet):
    """Which excerpts of a study the excerpt list, its CSV and a matrix cell's link show."""

    q = django_filters.CharFilter(method="search", label="Search text and memo")
    theme = django_filters.ModelChoiceFilter(
        queryset=Theme.objects.none(), method="filter_theme", label="Theme"
    )
    source = django_filters.ModelChoiceFilter(queryset=Source.objects.none())
    kind = django_filters.ChoiceFilter(
        field_name="source__kind", choices=Source.Kind.choices, label="Kind of source"
    )
    participant = django_filters.ModelChoiceFilter(
        queryset=Participant.objects.none(), null_label="No participant", null_value="none"
    )
    community = django_filters.ChoiceFilter(
        field_name="participant__community", choices=Community.choices
    )
    coder = django_filters.ModelChoiceFilter(queryset=get_user_model().objects.none())

    class Meta:
        model = Excerpt
        fields = []

    def __init__(self, data=None, queryset=None, *, study, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.study = study
        themes = Theme.objects.filter(study=study).in_framework_order().select_related("parent")
        self.filters["theme"].queryset = themes
        # The sources its reader may read (a copy of a reflective entry is not every reader's).
        sources = Source.objects.for_user(request.user) if request else Source.objects.none()
        self.filters["source"].queryset = sources.filter(study=study).only("title")
        self.filters["participant"].queryset = Participant.objects.filter(study=study)
        coders = Excerpt.objects.filter(source__study=study).values("coder_id")
        self.filters["coder"].queryset = get_user_model().objects.filter(pk__in=coders)

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            form.fields["theme"].label_from_instance = lambda theme: theme.label
            form.fields["coder"].label_from_instance = display_name
        return self._form

    def search(self, queryset, name, value):
        for term in search_terms(value):
            queryset = queryset.filter(Q(text__icontains=term) | Q(memo__icontains=term))
        return queryset

    def filter_theme(self, queryset, name, theme):
        """A top-level theme selects the excerpts coded to it or to any of its sub-themes."""
        return queryset.filter(themes__in=theme_and_children(theme)).distinct()


class ParticipantFilterSet(django_filters.FilterSet):
    """Which participants of a study the participant list shows."""

    q = django_filters.CharFilter(method="search", label="Search code and role")
    community = django_filters.ChoiceFilter(choices=Community.choices)

    class Meta:
        model = Participant
        fields = []

    def search(self, queryset, name, value):
        for term in search_terms(value):
            queryset = queryset.filter(Q(code__icontains=term) | Q(role__icontains=term))
        return queryset


class SamplingFrameFilterSet(TeamFilterSet):
    """The period and community of the sampling frame for interviews."""

    date_from = DateFilter(method="in_period", label="Activities from", widget=DateInput)
    date_to = DateFilter(method="in_period", label="To", widget=DateInput)
    community = django_filters.ChoiceFilter(choices=Community.choices)
    organisation_kind = django_filters.ChoiceFilter(
        field_name="organisation__kind", choices=Organisation.Kind.choices, label="Organisation"
    )

    class Meta:
        model = Contact
        fields = []
        form = PeriodForm

    def in_period(self, queryset, name, value):
        """Both dates act together, in `filter_queryset`."""
        return queryset

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        queryset = sampling_frame(queryset, data.get("date_from"), data.get("date_to"))
        return super().filter_queryset(queryset)
