"""Query vocabulary of the brokering log.

`for_user()` is the one place that decides which rows of team data a user may
see: every view, export and report starts from it.
"""

from django.db.models import Count, Min, Prefetch, Q

from activities.recording import RecordedQuerySet


def _teams_of(user):
    from activities.models import Membership

    return Membership.objects.filter(user=user).values("team_id")


class TeamScopedQuerySet(RecordedQuerySet):
    """Rows that belong to a team, reached through the user's memberships."""

    team_lookup = "team_id"

    def for_user(self, user):
        """Rows of the teams `user` belongs to (every team for superusers, none for anonymous)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(**{f"{self.team_lookup}__in": _teams_of(user)})

    def for_team(self, team):
        return self.filter(**{self.team_lookup: team.pk})


class TeamQuerySet(TeamScopedQuerySet):
    team_lookup = "pk"


class MembershipQuerySet(TeamScopedQuerySet):
    pass


class BrokerQuerySet(TeamScopedQuerySet):
    def with_related(self):
        return self.select_related("user", "home_organisation", "host_organisation")


class ContactQuerySet(TeamScopedQuerySet):
    def with_related(self):
        return self.select_related("organisation")

    def with_first_engaged(self):
        """Annotate `first_engaged_on`: the date of the contact's earliest activity."""
        return self.annotate(first_engaged_on=Min("activities__date"))

    def with_activity_count(self):
        return self.annotate(activity_count=Count("activities", distinct=True))

    def active(self):
        return self.filter(erased_at__isnull=True)


class ActivityQuerySet(TeamScopedQuerySet):
    def in_period(self, start, end):
        """Activities dated from `start` to `end`, both inclusive."""
        return self.filter(date__gte=start, date__lte=end)

    def with_related(self):
        """What lists and exports show of each activity, in a fixed number of queries."""
        from activities.models import Broker

        brokers = Broker.objects.select_related("user")
        return self.select_related(
            "team", "lead_broker__user", "activity_type", "project", "created_by"
        ).prefetch_related(
            Prefetch("co_brokers", queryset=brokers),
            "conduits",
            "topics",
            "organisations",
            Prefetch("contacts", queryset=_contacts_with_organisation()),
        )

    def for_list(self):
        """What the activity list shows of each row: brokers, type and contacts only, so
        that a page takes three queries whatever its length."""
        from activities.models import Broker, Contact

        return self.select_related("team", "lead_broker__user", "activity_type").prefetch_related(
            Prefetch("co_brokers", queryset=Broker.objects.select_related("user")),
            Prefetch("contacts", queryset=Contact.objects.only("pk", "team_id", "name")),
        )

    def involving_broker(self, broker):
        """Activities `broker` leads or co-brokers."""
        return self.filter(
            Q(lead_broker=broker) | Q(pk__in=broker.co_brokered_activities.values("pk"))
        )

    def editable_by(self, access):
        """The activities that `access` (a TeamAccess) may change."""
        if access.is_lead:
            return self
        if not access.can_write or access.broker is None:
            return self.none()
        return self.involving_broker(access.broker)

    def category_counts(self):
        """Rows of (category, count), one per category that has activities."""
        return self.order_by().values("category").annotate(count=Count("pk"))

    def follow_ups_due(self, on_or_before):
        return self.filter(follow_up_date__isnull=False, follow_up_date__lte=on_or_before)


def _contacts_with_organisation():
    from activities.models import Contact

    return Contact.objects.select_related("organisation")


class OutcomeQuerySet(TeamScopedQuerySet):
    def with_related(self):
        return self.select_related("activity", "project").prefetch_related(
            Prefetch("contacts", queryset=_contacts_with_organisation())
        )

    def in_period(self, start, end):
        return self.filter(date__gte=start, date__lte=end)


class ProjectQuerySet(TeamScopedQuerySet):
    OPEN_STATUSES = ("idea", "developing", "submitted")

    def with_related(self):
        return self.select_related("lead_broker__user").prefetch_related(
            Prefetch("partners", queryset=_contacts_with_organisation())
        )

    def open(self):
        return self.filter(status__in=self.OPEN_STATUSES)


class TeamVocabularyQuerySet(TeamScopedQuerySet):
    pass


def organisations_of_team(team):
    """The organisations (shared by all teams) that `team`'s contacts work for or its
    activities involve, with how many of each the team has and its first and latest
    activity there."""
    from django.db.models import IntegerField, Max, OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce

    from activities.models import Activity, Contact, Organisation

    links = Activity.organisations.through.objects.filter(activity__team=team)
    contacts = Contact.objects.for_team(team)

    def count(queryset, link):
        counted = (
            queryset.filter(**{link: OuterRef("pk")})
            .order_by()
            .values(link)
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))

    def activity_date(aggregate):
        dates = (
            links.filter(organisation=OuterRef("pk"))
            .order_by()
            .values("organisation")
            .annotate(day=aggregate("activity__date"))
            .values("day")
        )
        return Subquery(dates)

    return Organisation.objects.filter(
        Q(pk__in=contacts.values("organisation_id")) | Q(pk__in=links.values("organisation_id"))
    ).annotate(
        contact_count=count(contacts, "organisation"),
        activity_count=count(links, "organisation"),
        first_activity=activity_date(Min),
        last_activity=activity_date(Max),
    )
