"""The brokering log's periodic job: each Monday morning, e-mail every broker their
follow-ups due that week and those overdue, once per person per week."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from activities.models import Activity, Broker
from activities.querysets import week_end
from jobs.cadence import weekly
from jobs.declare import job
from jobs.once import once
from jobs.schedule import Periodic
from mail.send import send_mail_to

NAME = "activities.follow_up_digest"
KIND = "follow_up_digest"


def follow_ups_for(user, day):
    """[{"team", "overdue", "this_week"}] of `user`'s open follow-ups on `day`, by team: the
    activities they lead or co-broker in each team where they still broker or lead."""
    found = []
    profiles = (
        Broker.objects.filter(
            user=user,
            team__memberships__user=user,
            team__memberships__is_active=True,
            team__memberships__role__in=("broker", "lead"),
        )
        .select_related("team")
        .order_by("team__name")
    )
    for profile in profiles:
        mine = Activity.objects.filter(team=profile.team).involving_broker(profile)
        overdue = list(mine.follow_ups_overdue(day).select_related("team"))
        this_week = list(mine.follow_ups_this_week(day).select_related("team"))
        if overdue or this_week:
            found.append({"team": profile.team, "overdue": overdue, "this_week": this_week})
    return found


def digest_key(user, day):
    """The exactly-once key of `user`'s digest in `day`'s week (ISO year and week)."""
    year, week, _ = day.isocalendar()
    return f"{KIND}:{user.pk}:{year}-W{week:02d}"


@job
def follow_up_digest(scheduled_for):
    """E-mail each broker with an address their follow-ups due this week and overdue.

    Each person's message is queued under a key of their own for the week, in the
    transaction that queues it: a retried or repeated run sends nobody a second one.
    """
    day = timezone.localtime(datetime.datetime.fromisoformat(scheduled_for)).date()
    users = (
        Broker.objects.filter(user__is_active=True)
        .exclude(user__email="")
        .values_list("user", flat=True)
        .distinct()
    )
    sent = 0
    for user in get_user_model().objects.filter(pk__in=users).order_by("pk"):
        teams = follow_ups_for(user, day)
        if not teams:
            continue
        with once(digest_key(user, day)) as first_time:
            if not first_time:
                continue
            message = send_mail_to(
                user,
                template=KIND,
                context={
                    "teams": teams,
                    "day": day,
                    "week_end": week_end(day),
                    "count": sum(len(t["overdue"]) + len(t["this_week"]) for t in teams),
                },
                recurring=True,
                kind=KIND,
            )
            sent += message is not None
    return {"sent": sent}


PERIODIC = [Periodic(NAME, weekly("monday", "07:00"), follow_up_digest)]
