"""Query vocabulary of the brokering log.

Every model's queryset builds on `teams.querysets.TeamScopedQuerySet`, whose
`for_user()` is the one place that decides which rows of team data a user may
see: every view, export and report starts from it. Related models are reached
through their relations (`related_rows`), as these classes come before the
models that use them.
"""

from django.db.models import Count, Max, Min, OuterRef, Prefetch, Q, QuerySet, Subquery

from activities.codes import DEFAULT_ACTIVITY_TYPES
from kmtracker.lib.queries import count_of, related_rows
from teams.querysets import TeamScopedQuerySet


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


class ContactMergeQuerySet(TeamScopedQuerySet):
    pass


class DistinctContactsQuerySet(TeamScopedQuerySet):
    def pairs(self):
        """The pairs as (smaller pk, larger pk), in one query."""
        return set(self.values_list("first_id", "second_id"))


class ActivityQuerySet(TeamScopedQuerySet):
    def in_period(self, start, end):
        """Activities dated from `start` to `end`, both inclusive."""
        return self.filter(date__gte=start, date__lte=end)

    def _brokers(self):
        return related_rows(self, "co_brokers").select_related("user")

    def with_related(self):
        """What lists and exports show of each activity, in a fixed number of queries."""
        contacts = related_rows(self, "contacts").select_related("organisation")
        return self.select_related(
            "team", "lead_broker__user", "activity_type", "project", "created_by"
        ).prefetch_related(
            Prefetch("co_brokers", queryset=self._brokers()),
            "conduits",
            "topics",
            "organisations",
            Prefetch("contacts", queryset=contacts),
        )

    def for_list(self):
        """What the activity list shows of each row: brokers, type and contacts only, so
        that a page takes three queries whatever its length."""
        contacts = related_rows(self, "contacts").only("pk", "team_id", "name")
        return self.select_related("team", "lead_broker__user", "activity_type").prefetch_related(
            Prefetch("co_brokers", queryset=self._brokers()),
            Prefetch("contacts", queryset=contacts),
        )

    def involving_broker(self, broker):
        """Activities `broker` leads or co-brokers."""
        return self.filter(
            Q(lead_broker=broker) | Q(pk__in=broker.co_brokered_activities.values("pk"))
        )

    def category_counts(self):
        """Rows of (category, count), one per category that has activities."""
        return self.order_by().values("category").annotate(count=Count("pk"))

    def follow_ups_due(self, on_or_before):
        return self.filter(follow_up_date__isnull=False, follow_up_date__lte=on_or_before)


class OutcomeQuerySet(TeamScopedQuerySet):
    def with_related(self):
        contacts = related_rows(self, "contacts").select_related("organisation")
        return self.select_related("activity", "project").prefetch_related(
            Prefetch("contacts", queryset=contacts)
        )

    def in_period(self, start, end):
        return self.filter(date__gte=start, date__lte=end)


class ProjectQuerySet(TeamScopedQuerySet):
    OPEN_STATUSES = ("idea", "developing", "submitted")

    def with_related(self):
        partners = related_rows(self, "partners").select_related("organisation")
        return self.select_related("lead_broker__user").prefetch_related(
            Prefetch("partners", queryset=partners)
        )

    def open(self):
        return self.filter(status__in=self.OPEN_STATUSES)


class TeamVocabularyQuerySet(TeamScopedQuerySet):
    pass


class ActivityTypeQuerySet(TeamVocabularyQuerySet):
    def add_defaults(self, team):
        """Give `team` the default activity types it does not have yet (by name)."""
        existing = set(self.filter(team=team).values_list("name", flat=True))
        return self.bulk_create(
            self.model(team=team, category=category, name=name, position=position)
            for position, (category, name) in enumerate(DEFAULT_ACTIVITY_TYPES)
            if name not in existing
        )


class OrganisationQuerySet(QuerySet):
    """Organisations are shared by every team: no `for_user()`, but `of_team()`."""

    def search(self, term):
        """Organisations whose name or one of whose other names contains `term`."""
        return self.filter(Q(name__icontains=term) | Q(aliases__icontains=term))

    def matching_name(self, name):
        """The organisations called `name`, by their name or one of their other names."""
        folded = name.strip().casefold()
        aliased = [
            pk
            for pk, aliases in self.filter(aliases__icontains=name.strip()).values_list(
                "pk", "aliases"
            )
            if folded in {alias.strip().casefold() for alias in aliases.split(";")}
        ]
        return self.filter(Q(name__iexact=name.strip()) | Q(pk__in=aliased))

    def of_team(self, team):
        """The organisations that `team`'s contacts work for or its activities involve, with
        how many of each the team has and its first and latest activity there."""
        links = self.model.activities.through.objects.filter(activity__team=team)
        contacts = related_rows(self, "contacts").filter(team=team)

        def activity_date(aggregate):
            dates = (
                links.filter(organisation=OuterRef("pk"))
                .order_by()
                .values("organisation")
                .annotate(day=aggregate("activity__date"))
                .values("day")
            )
            return Subquery(dates)

        return self.filter(
            Q(pk__in=contacts.values("organisation_id")) | Q(pk__in=links.values("organisation_id"))
        ).annotate(
            contact_count=count_of(contacts, "organisation"),
            activity_count=count_of(links, "organisation"),
            first_activity=activity_date(Min),
            last_activity=activity_date(Max),
        )
