"""Query vocabulary of the brokering log.

Every model's queryset builds on `teams.querysets.TeamScopedQuerySet`, whose
`for_user()` is the one place that decides which rows of team data a user may
see: every view, export and report starts from it. Related models are reached
through their relations (`related_rows`), as these classes come before the
models that use them.
"""

import datetime

from django.db import connections
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower

from activities.codes import DEFAULT_ACTIVITY_TYPES, DEFAULT_EVENT_TYPES, Category
from kmtracker.lib.history.writing import create_with_history, current_links
from kmtracker.lib.queries import count_of, related_rows
from teams.models import Membership
from teams.querysets import TeamScopedQuerySet


class BrokerQuerySet(TeamScopedQuerySet):
    def with_related(self):
        return self.select_related("user", "home_organisation", "host_organisation")

    def choosable(self, keep=()):
        """Brokers a form may choose: those still in their team, and `keep` (the pks a
        record already names, so that editing it keeps a member who has left)."""
        return self.filter(_choosable(keep))

    def own_and_named(self, user, pks, keep=()):
        """The broker profile of `user` (if any) and the brokers `pks` names, in one query (a form
        posted with its lead and co-brokers asks for both), each with `is_choosable`:
        whether `choosable(keep)` has it."""
        own = Q(user=user) if user is not None else Q(pk__in=[])
        return self.filter(own | Q(pk__in=pks)).annotate(
            is_choosable=ExpressionWrapper(_choosable(keep), output_field=BooleanField())
        )


def _choosable(keep):
    active = Membership.objects.filter(
        user_id=OuterRef("user_id"), team_id=OuterRef("team_id"), is_active=True
    )
    return Exists(active) | Q(pk__in=[pk for pk in keep if pk])


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

    def without_details(self):
        """The contacts as other records' pages and lists show them (name, pseudonym,
        organisation), without the personal details: a page that loads those is recorded in
        the access log as reading them (audit.access), so only the pages that show them load
        them."""
        return self.defer(*self.model.ACCESS_LOGGED_FIELDS)

    def ordered_for(self, access):
        """The contacts in name order for readers who see names, in id order for those who
        read pseudonyms (an order of names would hint at who each pseudonym is)."""
        return self.order_by(*contact_order_for(access))


def contact_order_for(access, prefix=""):
    """The ordering of contacts (reached through `prefix`, e.g. `contact__`) that `access`
    may be shown: by name when it sees names, by id otherwise."""
    if access is not None and access.sees_contact_names:
        return (f"{prefix}name", f"{prefix}pk")
    return (f"{prefix}pk",)


class ContactMergeQuerySet(TeamScopedQuerySet):
    pass


class DuplicateCheckQuerySet(TeamScopedQuerySet):
    pass


class DistinctContactsQuerySet(TeamScopedQuerySet):
    def pairs(self):
        """The pairs as (smaller pk, larger pk), in one query."""
        return set(self.values_list("first_id", "second_id"))


# An activity's many-to-many fields, in the model's order (each kept in its history).
LINK_FIELDS = ("co_brokers", "conduits", "contacts", "organisations", "topics")


def know_link_ids(activity):
    """Give a saved `activity` what `with_links()` gives it (each field's rows, each with
    `link_id`) from one query of the link tables alone: for a form that saves against
    its links (ActivityForm.current_links) rather than shows them. The rows carry only
    their pk; any other field of theirs loads when it is first read."""
    cache = getattr(activity, "_prefetched_objects_cache", None)
    if cache is None:
        cache = activity._prefetched_objects_cache = {}
    for name, links in current_links(activity, LINK_FIELDS).items():
        manager = getattr(activity, name)
        pk = manager.model._meta.pk
        rows = []
        for target, link_id in links.items():
            row = manager.model.from_db(manager.db, [pk.attname], [target])
            row.link_id = link_id
            rows.append(row)
        known = manager.get_queryset()
        known._result_cache, known._prefetch_done = rows, True
        cache[manager.prefetch_cache_name] = known
    return activity


class ActivityQuerySet(TeamScopedQuerySet):
    def in_period(self, start, end):
        """Activities dated from `start` to `end`, both inclusive."""
        return self.filter(date__gte=start, date__lte=end)

    def _brokers(self):
        return related_rows(self, "co_brokers").select_related("user")

    def with_related(self):
        """What lists and exports show of each activity, in a fixed number of queries."""
        contacts = related_rows(self, "contacts").without_details().select_related("organisation")
        return self.select_related(
            "team", "lead_broker__user", "activity_type", "project", "created_by"
        ).prefetch_related(
            Prefetch("co_brokers", queryset=self._brokers()),
            "conduits",
            "topics",
            "organisations",
            Prefetch("contacts", queryset=contacts),
        )

    def with_links(self):
        """Every many-to-many field prefetched (one query each), each row carrying `link_id`,
        the id of its link row, which the change history keeps: what an edit form starts
        from and saves against (ActivityForm.current_links)."""
        prefetches = []
        for name in LINK_FIELDS:
            field = self.model._meta.get_field(name)
            through = field.remote_field.through._meta.db_table
            quote = connections[self.db].ops.quote_name
            # The prefetch joins the link table under its own name (as Django's own
            # prefetch of the activity's id does).
            link_id = RawSQL(f"{quote(through)}.{quote('id')}", ())
            rows = field.related_model._default_manager.annotate(link_id=link_id)
            prefetches.append(Prefetch(name, queryset=rows))
        return self.prefetch_related(*prefetches)

    def for_list(self):
        """What the activity list shows of each row: brokers, type and contacts only, so
        that a page takes three queries whatever its length."""
        contacts = related_rows(self, "contacts").only("pk", "team_id", "name")
        return self.select_related("team", "lead_broker__user", "activity_type").prefetch_related(
            Prefetch("co_brokers", queryset=self._brokers()),
            Prefetch("contacts", queryset=contacts),
        )

    def for_list_page(self):
        """The rows of the activity list's page: `for_list()`'s, with the co-brokers and
        contacts as plain lists (`listed_co_brokers`, `listed_contacts`). Reading them
        through `.all()` makes a related manager per row and relation, twice (the
        prefetch, then the table): a tenth of the table's drawing time. The rows' links
        are made from the list's own address, so the team is not joined either."""
        contacts = related_rows(self, "contacts").only("pk", "team_id", "name")
        return self.select_related("lead_broker__user", "activity_type").prefetch_related(
            Prefetch("co_brokers", queryset=self._brokers(), to_attr="listed_co_brokers"),
            Prefetch("contacts", queryset=contacts, to_attr="listed_contacts"),
        )

    # The columns the list's rows show, of each activity, its lead broker and its type.
    LIST_PAGE_COLUMNS = (
        "date",
        "title",
        "category",
        "duration_minutes",
        "activity_type__name",
        "lead_broker__user__first_name",
        "lead_broker__user__last_name",
        "lead_broker__user__username",
    )

    def only_list_columns(self):
        """Only what the list's page shows of each row: the activities' other columns (the
        description above all) cost more to read and load than the columns shown. Not for
        exports, whose columns read the rest."""
        return self.only(*self.LIST_PAGE_COLUMNS)

    def involving_broker(self, broker):
        """Activities `broker` leads or co-brokers."""
        return self.filter(
            Q(lead_broker=broker) | Q(pk__in=broker.co_brokered_activities.values("pk"))
        )

    def week_of(self, broker, days):
        """{day: the activities `broker` leads or co-brokers that day} for each of `days`."""
        found = {day: [] for day in days}
        if broker is None:
            return found
        rows = self.involving_broker(broker).in_period(days[0], days[-1])
        for activity in rows.select_related("activity_type").order_by("date", "pk"):
            found[activity.date].append(activity)
        return found

    def category_counts(self):
        """Rows of (category, count), one per category that has activities."""
        return self.order_by().values("category").annotate(count=Count("pk"))

    def follow_ups(self):
        """Activities with a follow-up, done or not."""
        return self.filter(follow_up_date__isnull=False)

    def open_follow_ups(self):
        """Follow-ups not done yet."""
        return self.follow_ups().filter(follow_up_done_at__isnull=True)

    def follow_ups_due(self, on_or_before):
        """Open follow-ups dated `on_or_before` or earlier (overdue ones included)."""
        return self.open_follow_ups().filter(follow_up_date__lte=on_or_before)

    def follow_ups_overdue(self, today):
        """Open follow-ups dated before `today`, the most recent first."""
        return (
            self.open_follow_ups()
            .filter(follow_up_date__lt=today)
            .order_by("-follow_up_date", "-pk")
        )

    def follow_ups_this_week(self, today):
        """Open follow-ups from `today` to the end of its week (Sunday), soonest first."""
        return (
            self.open_follow_ups()
            .filter(follow_up_date__gte=today, follow_up_date__lte=week_end(today))
            .order_by("follow_up_date", "pk")
        )


def week_end(day):
    """The Sunday that ends `day`'s week (Monday to Sunday)."""
    return day + datetime.timedelta(days=6 - day.weekday())


class OutcomeQuerySet(TeamScopedQuerySet):
    def with_related(self):
        contacts = related_rows(self, "contacts").without_details().select_related("organisation")
        return self.select_related("activity", "project").prefetch_related(
            Prefetch("contacts", queryset=contacts)
        )

    def in_period(self, start, end):
        return self.filter(date__gte=start, date__lte=end)


class ProjectQuerySet(TeamScopedQuerySet):
    OPEN_STATUSES = ("idea", "developing", "submitted")

    def with_related(self):
        partners = related_rows(self, "partners").without_details().select_related("organisation")
        return self.select_related("lead_broker__user").prefetch_related(
            Prefetch("partners", queryset=partners)
        )

    def open(self):
        return self.filter(status__in=self.OPEN_STATUSES)

    def decided_without_date(self):
        """Bids funded, unsuccessful or withdrawn with no decision date: records from before
        the form asked for it, which the report cannot place in a period."""
        return self.filter(status__in=self.model.DECIDED_STATUSES, decided_on__isnull=True)


class ImportedEventQuerySet(TeamScopedQuerySet):
    def keys(self, events):
        """The (uid, start) of `events` (calendar events) already logged in the team."""
        uids = {event.uid for event in events}
        return set(self.filter(uid__in=uids).values_list("uid", "start"))


class CalendarFeedQuerySet(TeamScopedQuerySet):
    def of_person(self, user):
        """The feeds of `user` alone: a feed is its person's, not the team's."""
        return self.filter(user=user)

    def live(self):
        return self.filter(revoked_at__isnull=True)


class TeamVocabularyQuerySet(TeamScopedQuerySet):
    """A team's vocabulary: the entries offered for new records are the active ones."""

    def active(self):
        return self.filter(is_active=True)

    def with_use_count(self):
        """Annotate `use_count`: how many activities have the entry."""
        return self.annotate(use_count=Count("activities", distinct=True))


class TopicQuerySet(TeamVocabularyQuerySet):
    def named(self, names):
        """The topics with any of these names, whatever their case."""
        return self.alias(lower_name=Lower("name")).filter(
            lower_name__in={name.lower() for name in names}
        )

    def named_or_retired(self, names):
        """The topics with any of these names, and every retired one, in one query."""
        return self.alias(lower_name=Lower("name")).filter(
            Q(lower_name__in={name.lower() for name in names}) | Q(is_active=False)
        )


class ActivityTypeQuerySet(TeamVocabularyQuerySet):
    def by_category(self):
        """(category label, [types]) for each of the four categories, in their order."""
        types = list(self.order_by("category", "position", "name"))
        return [
            (label, [t for t in types if t.category == code]) for code, label in Category.choices
        ]

    def next_position(self, team, category):
        """The position after the last type of `category` in `team`."""
        last = self.filter(team=team, category=category).aggregate(last=Max("position"))["last"]
        return 0 if last is None else last + 1

    def add_defaults(self, team):
        """Give `team` the default activity types it does not have yet (by name,
        whatever its case: a team that made its own "introduction" gets no second one)."""
        existing = {
            name.casefold() for name in self.filter(team=team).values_list("name", flat=True)
        }
        missing = [
            self.model(
                team=team,
                category=category,
                name=name,
                position=position,
                is_event=name in DEFAULT_EVENT_TYPES,
            )
            for position, (category, name) in enumerate(DEFAULT_ACTIVITY_TYPES)
            if name.casefold() not in existing
        ]
        # Each with its "created" history record, as a type added by hand has.
        return create_with_history(missing, links={}) if missing else []


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

    def proposed_for(self, contacts):
        """The organisations `contacts` (a queryset of contacts) work for, by name."""
        return self.filter(pk__in=contacts.values("organisation_id")).order_by("name")

    def worked_with(self, team):
        """The organisations `team`'s contacts work for or its activities involve: those its
        members may edit, and its leads merge."""
        contacts = self.model.contacts.field.model.objects.filter(team=team)
        activities = self.model.activities.through.objects.filter(activity__team=team)
        return self.filter(
            Q(pk__in=contacts.values("organisation_id"))
            | Q(pk__in=activities.values("organisation_id"))
        )

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
