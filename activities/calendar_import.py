"""Activities from a broker's calendar: the events of an uploaded .ics file as candidate
activities, and the chosen ones logged at once.

Each event becomes a candidate with its date, duration and title; its attendees
matched to the team's contacts by e-mail, else by name, through the one matcher of
contacts (`activities.duplicates`); the organisations of those contacts; and a type
suggested by the words of its title. Events already logged (the same UID and start,
`ImportedEvent`) are marked and cannot be logged again; cancelled, declined, private,
free/busy-only and all-day out-of-office events are left unticked.
"""

import hashlib
import re
from dataclasses import dataclass, field

from django.db import transaction

from activities.duplicates import SAME_EMAIL, Person, TeamIndex
from activities.models import Activity, ActivityType, Contact, ImportedEvent
from kmtracker.lib.history.writing import create_with_history

# Words of event titles and the word of a type's name they suggest.
TITLE_WORDS = {
    "webinar": "seminar",
    "lecture": "seminar",
    "talk": "seminar",
    "symposium": "seminar",
    "seminar": "seminar",
    "presentation": "presentation",
    "presenting": "presentation",
    "call": "meeting",
    "catch": "meeting",
    "catchup": "meeting",
    "board": "meeting",
    "committee": "meeting",
    "meeting": "meeting",
    "intro": "introduction",
    "introduction": "introduction",
    "introductions": "introduction",
    "bid": "bid",
    "proposal": "bid",
    "grant": "bid",
    "advice": "consultation",
    "clinic": "consultation",
    "surgery": "consultation",
    "consultation": "consultation",
    "evaluation": "evaluation",
    "network": "network",
    "networking": "network",
    "newsletter": "newsletter",
    "blog": "blog",
    "project": "project",
}
_WORD = re.compile(r"\w+")


@dataclass
class Candidate:
    """One event offered as an activity: what it would be logged as, and whether it may."""

    event: object  # kmtracker.lib.calendars.Event
    key: str
    contacts: list = field(default_factory=list)  # (contact, how it was matched)
    unmatched: list = field(default_factory=list)  # attendees who are no contact
    organisations: list = field(default_factory=list)
    activity_type: ActivityType | None = None
    type_reason: str = ""
    left_out: str = ""
    already: bool = False

    @property
    def kept_by_default(self):
        return not self.left_out and not self.already


def event_key(event):
    """A short stable name for an event's row on the review page."""
    return hashlib.sha256(f"{event.uid}|{event.start_key}".encode()).hexdigest()[:16]


def candidates(access, events):
    """The candidate activities of `events` for the member of `access`."""
    team = access.team
    own = {access.user.email.lower()} if access.user.email else set()
    index = TeamIndex.of_team(team)
    contacts = Contact.objects.for_team(team).active().select_related("organisation").in_bulk()
    types = list(access.scoped(ActivityType).active())
    logged = ImportedEvent.objects.for_team(team).keys(events)
    found, keys = [], set()
    for event in events:
        candidate = Candidate(event=event, key=event_key(event))
        if candidate.key in keys:  # the same occurrence twice in one file
            continue
        keys.add(candidate.key)
        candidate.already = (event.uid, event.start_key) in logged
        candidate.left_out = event.left_out(own)
        _match_attendees(candidate, event, index, contacts, own)
        candidate.activity_type, candidate.type_reason = suggest_type(event.title, types)
        found.append(candidate)
    return found


def _match_attendees(candidate, event, index, contacts, own):
    people = list(event.attendees)
    if event.organiser is not None and event.organiser.email.lower() not in own:
        people.append(event.organiser)
    seen = set()
    for person in people:
        if person.email and person.email.lower() in own:
            continue
        matches = index.matches(Person(person.name, person.email))
        best = next(iter(matches.items()), None)
        if best is not None and best[0] in contacts and best[0] not in seen:
            pk, (_score, reasons) = best
            by_email = SAME_EMAIL in reasons
            seen.add(pk)
            candidate.contacts.append((contacts[pk], "by e-mail" if by_email else "by name"))
        elif best is None:
            candidate.unmatched.append(person.name or person.email)
    organisations = {}
    for contact, _how in candidate.contacts:
        if contact.organisation is not None:
            organisations.setdefault(contact.organisation.pk, contact.organisation)
    candidate.organisations = list(organisations.values())


def suggest_type(title, types):
    """The type among `types` (active, in the team's order) the words of `title` suggest,
    and why; a meeting type, else the first type, when no word does."""
    words = {TITLE_WORDS.get(word, word) for word in _WORD.findall(title.lower())}
    best, best_score = None, (0, False)
    for activity_type in types:
        names = _WORD.findall(activity_type.name.lower())
        # More words in common first; then a type named by the word ("Meeting attended"
        # before "Project meeting" for a meeting).
        score = (len(words & set(names)), bool(names) and names[0] in words)
        if score > best_score:
            best, best_score = activity_type, score
    if best is not None:
        hits = sorted(words & set(_WORD.findall(best.name.lower())))
        return best, "from “" + "”, “".join(hits) + "” in the title"
    meetings = sorted(
        (t for t in types if "meeting" in t.name.lower()),
        key=lambda t: not t.name.lower().startswith("meeting"),
    )
    meeting = meetings[0] if meetings else None
    fallback = meeting or (types[0] if types else None)
    return fallback, "no word of the title suggests another"


def new_activity(access, day, title, activity_type, minutes, category=None, description=""):
    """An unsaved activity of the member of `access`, who leads it."""
    return Activity(
        team=access.team,
        lead_broker=access.broker,
        date=day,
        duration_minutes=minutes,
        category=category or activity_type.category,
        activity_type=activity_type,
        title=title[:250],
        description=description,
        created_by=access.user,
    )


@transaction.atomic
def log_on_days(access, rows):
    """Log `rows` ((day, title, activity type, minutes)) as activities the member leads,
    each with its history record; all or none."""
    activities = [new_activity(access, *row) for row in rows]
    if activities:
        create_with_history(activities, {}, access.user)
    return activities


@transaction.atomic
def log_events(access, chosen):
    """Log the chosen candidates ((candidate, activity type, category)) as activities led
    by the member, with their contacts and organisations and a history record each; all
    or none. Raises IntegrityError when one of them was logged meanwhile."""
    activities, links = [], {"contacts": [], "organisations": []}
    for candidate, activity_type, category in chosen:
        event = candidate.event
        activity = new_activity(
            access,
            event.date,
            event.title or "Calendar event",
            activity_type,
            event.duration_minutes,
            category=category,
            description=f"Location: {event.location}" if event.location else "",
        )
        activities.append(activity)
        links["contacts"] += [(activity, contact) for contact, _how in candidate.contacts]
        links["organisations"] += [(activity, o) for o in candidate.organisations]
    if not activities:
        return []
    create_with_history(activities, links, access.user)
    ImportedEvent.objects.bulk_create(
        ImportedEvent(
            team=access.team,
            uid=candidate.event.uid,
            start=candidate.event.start_key,
            activity=activity,
            imported_by=access.user,
        )
        for (candidate, _t, _c), activity in zip(chosen, activities, strict=True)
    )
    return activities
