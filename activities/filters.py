"""FilterSets: the one place that decides which rows a list, its export or a report shows.

Each FilterSet takes the request, whose `team_access` (set by the team views)
scopes the choices of its related-record filters to the team in play.
"""

import django_filters
from django.db.models import Case, F, IntegerField, Min, Q, Value, When
from django.urls import reverse
from django.utils import timezone

from activities.mentions import redactor_for, search_as_read
from activities.models import (
    CONDUITS,
    Activity,
    ActivityType,
    Broker,
    Category,
    Community,
    Contact,
    Direction,
    Organisation,
    Outcome,
    Project,
    Setting,
    Topic,
)
from kmtracker.lib.date_fields import DateFilter
from kmtracker.lib.filter_forms import draw_cheaply
from kmtracker.lib.quarters import Quarter, quarters_between
from kmtracker.lib.widgets import AutocompleteSelect, DateInput


class QuarterField(django_filters.fields.ChoiceField):
    """A quarter chosen from a list, valid when it names a quarter (`2025-q1`).

    Checking the slug rather than the offered choices spares a request that
    only filters the reading of the team's first activity date.
    """

    def valid_value(self, value):
        try:
            Quarter.from_slug(value)
        except ValueError:
            return False
        return True


class QuarterFilter(django_filters.ChoiceFilter):
    field_class = QuarterField


class _ListedChoices(django_filters.fields.ModelChoiceIterator):
    """A short list of choices read with one plain query. Django reads choices through
    `.iterator()`, which on PostgreSQL opens a server-side cursor: three round trips
    (declare, fetch, close) for a dozen rows."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        listed = self.field.listed
        for obj in self.queryset.all() if listed is None else listed():
            yield self.choice(obj)


class ListedModelChoiceField(django_filters.fields.ModelChoiceField):
    iterator = _ListedChoices
    # Gives the rows of the queryset when the FilterSet reads them for itself too; called
    # only when the choices are listed, so that a request that only filters does not ask.
    listed = None


class ListedModelChoiceFilter(django_filters.ModelChoiceFilter):
    """A choice of one of a few records (a team's activity types), all listed in the form."""

    field_class = ListedModelChoiceField


class _Later:
    """Choices computed when first listed. Forms deep-copy their fields' choices: this
    stays one object, so the choices are computed once for the FilterSet."""

    def __init__(self, compute):
        self.compute = compute

    def __call__(self):
        return self.compute()

    def __deepcopy__(self, memo):
        return self


# Each word of a search is one more condition; thousands of them (a pasted document)
# make a query too deep for the database to parse.
MAX_SEARCH_TERMS = 12


def search_terms(value):
    """The distinct words of a search, the first MAX_SEARCH_TERMS of them."""
    return list(dict.fromkeys(value.split()))[:MAX_SEARCH_TERMS]


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
            draw_cheaply(self._form)
            self.adjust_form(self._form)
            self.label_records_as_read(self._form)
        return self._form

    def label_records_as_read(self, form):
        """Records named by their free text (a project by its title) in the choices of
        related-record filters, as the user reads them."""
        if self.access is None or self.access.sees_contact_names:
            return
        for field in form.fields.values():
            model = getattr(getattr(field, "queryset", None), "model", None)
            if model in (Activity, Outcome, Project):
                read = redactor_for(self.access)
                field.label_from_instance = lambda obj, read=read: read(str(obj))

    def adjust_form(self, form):
        """Change the built form's fields, e.g. how choices are labelled."""

    def form_markup_key(self):
        """Everything the form's markup depends on, as a hashable value: the same key, the
        same markup (kmtracker/lists/drawn_forms.py). None: draw it every time."""
        return None

    def _asked(self):
        """The filters asked for, as the form reads them (every value of each field)."""
        data = self.data if self.is_bound else {}
        getlist = getattr(data, "getlist", None)
        asked = []
        for name in self.filters:
            key = f"{self.form_prefix}-{name}" if self.form_prefix else name
            values = getlist(key) if getlist is not None else [data[key]] if key in data else []
            asked.append((name, tuple(str(value) for value in values)))
        return tuple(asked)

    def search_text(self, queryset, fields, value):
        """Rows whose free-text `fields` hold every word of `value`, as the user reads them
        (evaluators read contacts' names as pseudonyms, and cannot search by them)."""
        return search_as_read(queryset, self.access, fields, search_terms(value))

    def _autocomplete(self, name, url_name, queryset):
        field = self.filters[name]
        field.queryset = queryset
        field.extra["widget"] = AutocompleteSelect(
            url=reverse(f"activities:{url_name}", kwargs={"team": self.access.team.slug})
        )


class ActivityFilterSet(TeamFilterSet):
    q = django_filters.CharFilter(
        method="search", label="Search titles, descriptions, contacts and organisations"
    )
    date_from = DateFilter(field_name="date", lookup_expr="gte", label="From", widget=DateInput)
    date_to = DateFilter(field_name="date", lookup_expr="lte", label="To", widget=DateInput)
    quarter = QuarterFilter(method="filter_quarter", label="Quarter")
    category = django_filters.ChoiceFilter(choices=Category.choices)
    activity_type = ListedModelChoiceFilter(queryset=ActivityType.objects.none(), label="Type")
    broker = django_filters.ModelChoiceFilter(
        queryset=Broker.objects.none(), method="filter_broker", label="Broker"
    )
    direction = django_filters.ChoiceFilter(choices=Direction.choices)
    # The five conduits are fixed (a migration creates them): no query to list them.
    conduit = django_filters.ChoiceFilter(field_name="conduits", choices=CONDUITS, label="Conduit")
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
        method="sort",
    )

    class Meta:
        model = Activity
        fields = []

    # Filters whose form shows the chosen record by its name, read from the database.
    CHOSEN_RECORDS = ("broker", "topic", "project", "contact", "organisation")

    def scope_choices(self, access):
        team = access.team
        self.filters["activity_type"].queryset = ActivityType.objects.for_team(team)
        self._activity_types = None
        # A team may hold thousands of these: the form renders only the chosen one and
        # searches the others as the user types.
        brokers = Broker.objects.for_team(team).select_related("user")
        self._autocomplete("broker", "broker_search", brokers)
        self._autocomplete("topic", "topic_search", Topic.objects.for_team(team))
        self._autocomplete("project", "project_search", Project.objects.for_team(team))
        self._autocomplete("contact", "contact_search", Contact.objects.for_team(team))
        self._autocomplete("organisation", "organisation_search", Organisation.objects.all())
        # Read when the form is drawn, so that a request that only filters does not ask.
        self.filters["quarter"].extra["choices"] = _Later(self._quarter_options)
        self._quarters = None
        self._first_activity_date = ()

    def know_first_activity_date(self, date):
        """Take the date of the team's first activity (or None) from a query already made."""
        self._first_activity_date = (date,)

    def _quarter_options(self):
        if self._quarters is None:
            self._quarters = [
                (quarter.slug, quarter.label) for quarter in self.quarter_choices(self.access.team)
            ]
        return self._quarters

    def adjust_form(self, form):
        if self.access is not None:
            form.fields["contact"].label_from_instance = self.access_label
            form.fields["activity_type"].listed = self.activity_types

    def activity_types(self):
        """The team's activity types the form offers, read once for the key and the form."""
        if self._activity_types is None:
            self._activity_types = list(self.filters["activity_type"].queryset.all())
        return self._activity_types

    def form_markup_key(self):
        """The team, its activity types and quarters as offered, the role, and the filters
        asked for; None when a filter names a record the form shows by its name."""
        if self.access is None:
            return None
        asked = self._asked()
        if any(any(values) for name, values in asked if name in self.CHOSEN_RECORDS):
            return None
        team = self.access.team
        types = tuple((kind.pk, str(kind)) for kind in self.activity_types())
        quarters = tuple(self._quarter_options())
        return ("activities", team.pk, team.slug, self.access.role, types, quarters, asked)

    def access_label(self, contact):
        return contact.label_for(self.access)

    def quarter_choices(self, team):
        """The team's quarters from its earliest activity to today, newest first."""
        today = timezone.localdate()
        if self._first_activity_date:
            (earliest,) = self._first_activity_date
        else:
            earliest = Activity.objects.for_team(team).aggregate(first=Min("date"))["first"]
        return list(
            reversed(quarters_between(min(earliest or today, today), today, team.year_start_month))
        )

    def search(self, queryset, name, value):
        """Every word in the title or description (as read), or in the name of a contact
        (for readers who see names) or of an organisation (its names and acronyms) of the
        activity: "BNSSG" finds the work with the ICB and its people."""
        # Each word's subqueries start from the same rows, so that a long search adds
        # conditions side by side rather than nesting them ever deeper.
        base = queryset
        for term in search_terms(value):
            by_text = self.search_text(base, ("title", "description"), term)
            queryset = queryset.filter(Q(pk__in=by_text.values("pk")) | self._linked_to(term))
        return queryset

    def _linked_to(self, term):
        """Activities with an organisation, or a contact (by name, for readers who see
        names, or by organisation), that holds `term`. The few matching organisations and
        contacts are found first and their activities read through the link tables' indexes:
        joining every activity of the team to its links to test each name cost seconds."""
        organisations = Organisation.objects.filter(
            Q(name__icontains=term) | Q(aliases__icontains=term)
        ).values("pk")
        people = Q(organisation__in=organisations)
        if self.access is None or self.access.sees_contact_names:
            people |= Q(name__icontains=term)
        contacts = Contact.objects.filter(people)
        if self.access is not None:
            contacts = contacts.filter(team=self.access.team)
        by_organisation = Activity.organisations.through.objects.filter(
            organisation__in=organisations
        )
        by_contact = Activity.contacts.through.objects.filter(contact__in=contacts.values("pk"))
        return Q(pk__in=by_organisation.values("activity")) | Q(
            pk__in=by_contact.values("activity")
        )

    def filter_quarter(self, queryset, name, value):
        quarter = Quarter.from_slug(value, self.access.team.year_start_month)
        return queryset.in_period(quarter.start, quarter.end)

    def filter_broker(self, queryset, name, value):
        return queryset.involving_broker(value)

    def sort(self, queryset, name, value):
        """Order by the chosen columns, then by id: rows that tie could otherwise move
        between pages (many activities share a date, a category or a broker)."""
        sorter = self.filters["o"]
        ordering = [sorter.get_ordering_value(param) for param in value if param]
        return queryset.order_by(*ordering, "-pk")


class StableOrderingFilter(django_filters.OrderingFilter):
    """An OrderingFilter that ends every ordering with the id, so that pages never overlap."""

    def filter(self, qs, value):
        if not value:
            return qs
        ordering = [self.get_ordering_value(param) for param in value if param]
        return qs.order_by(*ordering, "pk")


class ContactFilterSet(TeamFilterSet):
    q = django_filters.CharFilter(
        method="search", label="Search name, email, job title, organisation"
    )
    community = django_filters.ChoiceFilter(choices=Community.choices)
    organisation = django_filters.ModelChoiceFilter(
        queryset=Organisation.objects.none(), label="Organisation"
    )
    o = StableOrderingFilter(
        fields=(
            ("name", "name"),
            ("organisation__name", "organisation"),
            ("community", "community"),
            ("first_engaged_on", "first_engaged"),
            ("activity_count", "activities"),
        ),
        label="Sort by",
    )

    class Meta:
        model = Contact
        fields = []

    def scope_choices(self, access):
        self._autocomplete("organisation", "organisation_search", Organisation.objects.all())
        if not access.sees_contact_names:
            # Rows in order of real names would hint at who each pseudonym is.
            self.filters["o"].param_map["name"] = "pk"

    def adjust_form(self, form):
        if not self.sees_names:
            form.fields["q"].label = "Search organisation"

    @property
    def sees_names(self):
        return self.access is not None and self.access.sees_contact_names

    def search(self, queryset, name, value):
        """Every word must match a field; evaluators search organisation names only,
        since a match on a name or email would reveal who a pseudonym is."""
        for term in search_terms(value):
            match = Q(organisation__name__icontains=term) | Q(organisation__aliases__icontains=term)
            if self.sees_names:
                match |= (
                    Q(name__icontains=term)
                    | Q(email__icontains=term)
                    | Q(job_title__icontains=term)
                )
            queryset = queryset.filter(match)
        return queryset


def _rank(field, codes):
    """The position of `field`'s code in `codes`, for sorting choices by meaning, not spelling."""
    return Case(
        *(When(**{field: code}, then=Value(position)) for position, code in enumerate(codes)),
        default=Value(len(codes)),
        output_field=IntegerField(),
    )


class RankedOrderingFilter(django_filters.OrderingFilter):
    """Sorting with empty values last either way, choice fields in the order of their
    choices (`ranks`: field name -> codes in order), and newest first among equals, so
    that pages do not shuffle rows that tie."""

    def __init__(self, *args, ranks=None, **kwargs):
        self.ranks = ranks or {}
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        ordering = []
        for param in value:
            if not param:
                continue
            field = self.get_ordering_value(param)
            descending = field.startswith("-")
            name = field.removeprefix("-")
            if name in self.ranks:
                qs = qs.annotate(**{f"{name}_rank": _rank(name, self.ranks[name])})
                name = f"{name}_rank"
            ordering.append(
                F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True)
            )
        return qs.order_by(*ordering, "-pk")


class OutcomeFilterSet(TeamFilterSet):
    q = django_filters.CharFilter(method="search", label="Search description and evidence")
    type = django_filters.ChoiceFilter(choices=Outcome.Type.choices)
    capability_dimension = django_filters.ChoiceFilter(
        choices=Outcome.Dimension.choices, label="Capability dimension"
    )
    confidence = django_filters.ChoiceFilter(choices=Outcome.Confidence.choices)
    date_from = DateFilter(field_name="date", lookup_expr="gte", label="From", widget=DateInput)
    date_to = DateFilter(field_name="date", lookup_expr="lte", label="To", widget=DateInput)
    project = django_filters.ModelChoiceFilter(queryset=Project.objects.none())
    category = django_filters.ChoiceFilter(
        field_name="activity__category", choices=Category.choices, label="Activity category"
    )
    o = RankedOrderingFilter(
        fields=(("date", "date"), ("type", "type"), ("confidence", "confidence")),
        ranks={"type": Outcome.Type.values, "confidence": Outcome.Confidence.values},
        label="Sort by",
    )

    class Meta:
        model = Outcome
        fields = []

    def scope_choices(self, access):
        self.filters["project"].queryset = Project.objects.for_team(access.team).order_by("title")

    def search(self, queryset, name, value):
        return self.search_text(queryset, ("description", "evidence"), value)


class ProjectFilterSet(TeamFilterSet):
    q = django_filters.CharFilter(method="search", label="Search title and description")
    status = django_filters.ChoiceFilter(choices=Project.Status.choices)
    kind = django_filters.ChoiceFilter(choices=Project.Kind.choices)
    lead_broker = django_filters.ModelChoiceFilter(
        queryset=Broker.objects.none(), label="Lead broker"
    )
    co_produced = django_filters.ChoiceFilter(
        choices=[("yes", "Yes"), ("no", "No")], method="filter_co_produced", label="Co-produced"
    )
    funder = django_filters.CharFilter(lookup_expr="icontains", label="Funder")
    o = RankedOrderingFilter(
        fields=(
            ("title", "title"),
            ("status", "status"),
            ("deadline", "deadline"),
            ("amount_requested", "amount"),
            ("updated_at", "updated"),
        ),
        ranks={"status": Project.Status.values},
        label="Sort by",
    )

    class Meta:
        model = Project
        fields = []

    def scope_choices(self, access):
        brokers = Broker.objects.for_team(access.team).select_related("user")
        self.filters["lead_broker"].queryset = brokers

    def search(self, queryset, name, value):
        return self.search_text(queryset, ("title", "description"), value)

    def filter_co_produced(self, queryset, name, value):
        return queryset.filter(co_produced=value == "yes")


class OrganisationFilterSet(TeamFilterSet):
    q = django_filters.CharFilter(method="search", label="Search name and other names")
    kind = django_filters.ChoiceFilter(choices=Organisation.Kind.choices)
    o = StableOrderingFilter(
        fields=(
            ("name", "name"),
            ("kind", "kind"),
            ("contact_count", "contacts"),
            ("activity_count", "activities"),
            ("last_activity", "last_activity"),
        ),
        label="Sort by",
    )

    class Meta:
        model = Organisation
        fields = []

    def search(self, queryset, name, value):
        for term in search_terms(value):
            queryset = queryset.search(term)
        return queryset


class FollowUpFilterSet(TeamFilterSet):
    """The follow-ups page: the reader's own by default, the team's for a lead who asks.

    Without a state it lists the open follow-ups (overdue ones included), newest first.
    """

    STATES = [
        ("open", "Open"),
        ("overdue", "Overdue"),
        ("this_week", "Due this week"),
        ("done", "Done"),
        ("all", "All"),
    ]
    q = django_filters.CharFilter(method="search", label="Search title and description")
    whose = django_filters.ChoiceFilter(
        choices=[("team", "The team's")], method="filter_whose", label="Whose", empty_label="Mine"
    )
    state = django_filters.ChoiceFilter(
        choices=STATES[1:], method="filter_state", label="State", empty_label="Open"
    )
    date_from = DateFilter(
        field_name="follow_up_date", lookup_expr="gte", label="Due from", widget=DateInput
    )
    date_to = DateFilter(
        field_name="follow_up_date", lookup_expr="lte", label="Due by", widget=DateInput
    )

    class Meta:
        model = Activity
        fields = []

    def adjust_form(self, form):
        # Only a lead looks after the team's follow-ups; a broker's page is theirs.
        if self.access is not None and not self.access.is_lead:
            del form.fields["whose"]

    @property
    def qs(self):
        # The defaults (mine, open) apply to an unfiltered page too, which django-filter
        # does not filter at all.
        if not hasattr(self, "_follow_ups"):
            self._follow_ups = self._with_defaults(super().qs)
        return self._follow_ups

    def _with_defaults(self, queryset):
        data = getattr(self.form, "cleaned_data", {}) if self.is_bound else {}
        if not data.get("whose") or self.access is None or not self.access.is_lead:
            broker = self.access.broker if self.access is not None else None
            queryset = queryset.involving_broker(broker) if broker else queryset.none()
        if not data.get("state"):
            queryset = queryset.open_follow_ups()
        return queryset.order_by("-follow_up_date", "-pk")

    def filter_whose(self, queryset, name, value):
        return queryset  # applied in filter_queryset, with the default

    def filter_state(self, queryset, name, value):
        today = timezone.localdate()
        return {
            "overdue": lambda: queryset.follow_ups_overdue(today),
            "this_week": lambda: queryset.follow_ups_this_week(today),
            "done": lambda: queryset.filter(follow_up_done_at__isnull=False),
            "all": lambda: queryset,
        }[value]()

    def search(self, queryset, name, value):
        return self.search_text(queryset, ("title", "description"), value)
