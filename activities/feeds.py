"""A person's calendar feed: the follow-ups of the activities they lead or co-broker, and
the deadlines of their team's open projects, as all-day events.

The feed names no contact: titles are read as the person reads them in the app
(`activities.mentions.text_for`, pseudonyms for evaluators), and nothing else of an
activity or project is written but its type, its date and its address in the app.
"""

import datetime

from django.utils import timezone

from activities.mentions import text_for
from activities.models import Activity, Project
from kmtracker.lib.calendars import feed_response

# Follow-ups this far back stay in the feed, so that one missed last week still shows.
PAST_DAYS = 60


def entries(access):
    """The feed's events: (uid, day, title, description, path in the app)."""
    since = timezone.localdate() - datetime.timedelta(days=PAST_DAYS)
    found = []
    if access.broker is not None:
        follow_ups = (
            access.scoped(Activity)
            .involving_broker(access.broker)
            .filter(follow_up_date__gte=since)
            .select_related("activity_type")
            .order_by("follow_up_date", "pk")
        )
        found += [
            _entry(
                access,
                "follow-up",
                a,
                a.follow_up_date,
                "Follow up",
                a.title,
                f"{a.activity_type} on {a.date:%d %B %Y}",
            )
            for a in follow_ups
        ]
    deadlines = access.scoped(Project).open().filter(deadline__gte=since).order_by("deadline", "pk")
    found += [
        _entry(
            access,
            "deadline",
            p,
            p.deadline,
            "Deadline",
            p.title,
            f"{p.get_kind_display()}, {p.get_status_display().lower()}",
        )
        for p in deadlines
    ]
    return found


def _entry(access, kind, record, day, what, title, text):
    """One event of the feed, its title read as `access`'s person reads it."""
    uid = f"{kind}-{record.pk}@{access.team.slug}.kmtracker"
    return uid, day, f"{what}: {text_for(access, title)}", text, record.get_absolute_url()


def feed_of(access, absolute):
    """The feed of `access`'s person as a response; `absolute` makes a path a full URL."""
    rows = [
        (uid, day, title, text, absolute(path)) for uid, day, title, text, path in entries(access)
    ]
    return feed_response(f"KM Tracker: {access.team.name}", rows)
