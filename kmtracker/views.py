"""Pages that are not about one kind of record: home, team dashboard, health."""

import datetime
import logging

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from activities.models import Activity, Category
from kmtracker.lib.quarters import Quarter
from teams.models import Team
from teams.tenancy import team_view

# The dashboard lists this many of each kind of follow-up; "see all" opens the page.
FOLLOW_UPS_SHOWN = 5
logger = logging.getLogger(__name__)


def home(request):
    """The user's teams; straight to the team's page when there is only one."""
    teams = list(Team.objects.for_user(request.user))
    if len(teams) == 1:
        return redirect(teams[0])
    return render(request, "home.html", {"teams": teams})


def follow_ups_of(activities, today):
    """The dashboard's follow-ups: due this week (soonest first) and overdue (the most recent
    first), a few of each with how many there are."""
    this_week = activities.follow_ups_this_week(today)
    overdue = activities.follow_ups_overdue(today)
    return {
        "this_week": this_week[:FOLLOW_UPS_SHOWN],
        "this_week_count": this_week.count(),
        "overdue": overdue[:FOLLOW_UPS_SHOWN],
        "overdue_count": overdue.count(),
        "snooze_default": today + datetime.timedelta(days=7),
    }


@team_view()
def team_dashboard(request, access):
    team = access.team
    today = timezone.localdate()
    quarter = Quarter.containing(today, team.year_start_month)
    # "team" for each activity's link (get_absolute_url), which would otherwise cost a query each.
    activities = access.scoped(Activity).select_related(
        "team", "activity_type", "lead_broker__user"
    )
    mine = activities.involving_broker(access.broker) if access.broker else activities.none()
    counts = dict(
        activities.in_period(quarter.start, quarter.end)
        .category_counts()
        .values_list("category", "count")
    )
    context = {
        "team": team,
        "quarter": quarter,
        "recent": (mine if access.broker else activities)[:10],
        **follow_ups_of(mine, today),
        "category_counts": [(label, counts.get(code, 0)) for code, label in Category.choices],
        "today": today,
    }
    return render(request, "dashboard.html", context)


@login_not_required
@never_cache
def healthz(request):
    """200 when the app and its database answer; 503 with the reason when not.

    For load balancers and monitors: no sign-in, no data. The reason names the kind
    of failure only; the error's text (which may name hosts or users) goes to the log.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:  # any database failure means "not healthy"
        logger.warning("Health check failed: database: %s", error)
        reason = f"database unavailable ({type(error).__name__})"
        return JsonResponse({"status": "unavailable", "reason": reason}, status=503)
    return HttpResponse("ok", content_type="text/plain")
