"""Importing activities: the columns of activities.csv, checked against the team's log."""

import contextlib

from activities.duplicates import Person, TeamIndex
from activities.imports.cells import (
    CellError,
    Lookup,
    code_parser,
    limited_text,
    name_key,
    parse_count,
    parse_date,
    split_list,
)
from activities.imports.rows import EXISTING, Field, Importer
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
from kmtracker.lib.history.writing import create_with_history
from kmtracker.lib.inputs import as_id


class ActivityImporter(Importer):
    kind = "activities"
    signed_off_dates = ("date",)
    title = "activities"
    key_label = "same date, lead broker and title"
    skipped = (
        "its `id` is an activity of the team, or the team has an activity with its `date`, "
        "`lead_broker` and `title`"
    )
    fields = (
        Field("id", parse=parse_count),
        Field("date", required=True, parse=parse_date),
        Field("lead_broker", required=True),
        Field("co_brokers"),
        Field("category", parse=code_parser(Category.choices, "a category")),
        Field("activity_type", required=True),
        Field("title", required=True, parse=limited_text(250)),
        Field("description", parse=str),
        Field("duration_minutes", parse=parse_count),
        Field("setting", parse=code_parser(Setting.choices, "a setting")),
        Field("direction", parse=code_parser(Direction.choices, "a direction")),
        Field("conduits"),
        Field("contacts"),
        Field("organisations"),
        Field("topics"),
        Field("attendees", parse=parse_count),
        Field("project"),
        Field("follow_up", parse=parse_date),
    )
    ignored = ("team", "contact_communities", "outcomes", "created_by", "created_at", "updated_at")

    def load(self, rows):
        team = self.team
        brokers = list(Broker.objects.for_team(team).select_related("user"))
        self.brokers = Lookup(
            [(b.name, b) for b in brokers] + [(b.user.get_username(), b) for b in brokers],
            "broker of this team",
            " Write the broker's full name or username.",
        )
        self.types = Lookup(
            [(t.name, t) for t in ActivityType.objects.for_team(team)],
            "activity type of this team",
        )
        contacts = list(Contact.objects.for_team(team).select_related("organisation"))
        self.contacts = Lookup(
            [(c.name, c) for c in contacts],
            "contact of this team",
            " Import or add the contact first.",
        )
        self.contact_by_pk = {c.pk: c for c in contacts}
        self.contact_index = TeamIndex.of_loaded(contacts)
        self.organisations = Lookup(
            [(o.name, o) for o in Organisation.objects.all()],
            "organisation",
            " Add it first (from a contact, or by importing contacts).",
        )
        self.projects = Lookup(
            [(p.title, p) for p in Project.objects.for_team(team)], "project of this team"
        )
        self.conduits = code_parser([(c.code, c.label) for c in Conduit.objects.all()], "a conduit")
        ids = [pk for pk in (as_id(row.get("id")) for row in rows) if pk is not None]
        self.existing_ids = set(
            Activity.objects.for_team(team).filter(pk__in=ids).values_list("pk", flat=True)
        )
        dates = []
        for row in rows:
            with contextlib.suppress(CellError):
                dates.append(parse_date(row.get("date", "")))
        self.existing_keys = set()
        if dates:
            logged = Activity.objects.for_team(team).filter(date__range=(min(dates), max(dates)))
            self.existing_keys = {
                (day, broker_id, name_key(title))
                for day, broker_id, title in logged.values_list("date", "lead_broker_id", "title")
            }

    def parse_lead_broker(self, text):
        return self.brokers.get(text)

    def parse_co_brokers(self, text):
        return self._each(text, self.brokers.get)

    def parse_activity_type(self, text):
        return self.types.get(text)

    def parse_conduits(self, text):
        return self._each(text, self.conduits)

    def parse_contacts(self, text):
        found = self._each(text, self._contact)
        return [contact for contact in found if contact is not None]

    def _contact(self, text):
        """The contact a name means: the one contact of that name, else the person chooses in
        the preview among those of that name or, if none, those the matcher finds alike
        ("Dr A. Brennan" for "Ayesha Brennan"). None until they have chosen."""
        named = list(dict.fromkeys(self.contacts.by_name.get(name_key(text), [])))
        if len(named) == 1:
            return named[0]
        options = [(c, "same name") for c in named]
        if not named:
            matches = self.contact_index.matches(Person(text))
            options = [
                (self.contact_by_pk[pk], ", ".join(why)) for pk, (_s, why) in matches.items()
            ]
        if not options:
            return self.contacts.get(text)  # says that no contact is called that
        chosen = self.ask(
            f"Which contact is “{text}”?",
            [(str(contact.pk), self._contact_label(contact, why)) for contact, why in options],
        )
        return self.contact_by_pk[int(chosen)] if chosen else None

    @staticmethod
    def _contact_label(contact, why):
        where = f", {contact.organisation.name}" if contact.organisation else ""
        return f"{contact.name}{where} ({why})"

    def parse_organisations(self, text):
        return self._each(text, self.organisations.get)

    def parse_topics(self, text):
        return [name[:80] for name in dict.fromkeys(split_list(text))]

    def parse_project(self, text):
        return self.projects.get(text)

    @staticmethod
    def _each(text, parse):
        found, problems = [], []
        for part in split_list(text):
            try:
                found.append(parse(part))
            except CellError as error:
                problems.append(str(error))
        if problems:
            raise CellError(" ".join(problems))
        return list(dict.fromkeys(found))

    def check_row(self, result):
        values = result.values
        result.summary = " · ".join(
            str(part)
            for part in (values.get("date"), values.get("title"), values.get("lead_broker"))
            if part
        )
        if values.get("id") in self.existing_ids:
            self._exists(result, f"Activity {values['id']} of this team.")
            return
        key = self.key(values)
        if key in self.existing_keys:
            self._exists(
                result, "An activity of this team has the same date, lead broker and title."
            )
            return
        activity_type, category = values.get("activity_type"), values.get("category")
        if activity_type and category and activity_type.category != category:
            result.error(
                "category",
                category,
                f"“{activity_type}” is a type of {activity_type.category}, not of {category}.",
            )
        lead = values.get("lead_broker")
        if lead:
            values["co_brokers"] = [b for b in values.get("co_brokers", []) if b != lead]
        own = self.access.broker if not self.access.is_lead else None
        if own is not None and lead and lead != own and own not in values["co_brokers"]:
            result.error(
                "lead_broker",
                lead.name,
                "You can import only work you lead or co-broker: add yourself as a co-broker.",
            )

    @staticmethod
    def _exists(result, note):
        """The row is already in the log: it is skipped, whatever else it holds."""
        result.status, result.errors, result.note = EXISTING, [], note

    def key(self, values):
        if not all(values.get(name) for name in ("date", "lead_broker", "title")):
            return None
        return (values["date"], values["lead_broker"].pk, name_key(values["title"]))

    def create(self, rows):
        topics = self._topics([name for values in rows for name in values.get("topics", [])])
        activities, links = [], {name: [] for name in self.LINKS}
        for values in rows:
            activity = self._activity(values)
            activities.append(activity)
            for name in self.LINKS:
                for target in values.get(name, []):
                    links[name].append(
                        (activity, topics[name_key(target)] if name == "topics" else target)
                    )
        return create_with_history(activities, links, self.author)

    LINKS = ("co_brokers", "conduits", "contacts", "organisations", "topics")

    def _activity(self, values):
        activity_type = values["activity_type"]
        return Activity(
            team=self.team,
            date=values["date"],
            lead_broker=values["lead_broker"],
            category=values.get("category") or activity_type.category,
            activity_type=activity_type,
            title=values["title"],
            description=values.get("description", ""),
            duration_minutes=values.get("duration_minutes"),
            setting=values.get("setting", ""),
            direction=values.get("direction") or "",  # blank stays blank: "not recorded"
            attendees=values.get("attendees"),
            project=values.get("project"),
            follow_up_date=values.get("follow_up"),
            created_by=self.author,
        )

    def _topics(self, names):
        """The team's topics by name, adding those the rows name for the first time."""
        known = {name_key(topic.name): topic for topic in Topic.objects.for_team(self.team)}
        new = {}
        for name in names:
            if name_key(name) not in known:
                new.setdefault(name_key(name), Topic(team=self.team, name=name))
        known.update(zip(new, Topic.objects.bulk_create(new.values()), strict=True))
        return known
