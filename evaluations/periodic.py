"""The reports' periodic job: each morning, tell a team's leads what changed in its
signed-off quarters since the last digest, and why."""

import datetime

from django.db import transaction
from django.utils import timezone

from evaluations.models import QuarterlyReport
from evaluations.reports.changes import signed_off_changes
from evaluations.reports.saved import send_subscriptions
from jobs.cadence import daily, monthly
from jobs.declare import job
from jobs.models import Occurrence
from jobs.schedule import Periodic
from mail.send import send_mail_to
from teams.models import Membership

NAME = "evaluations.signed_off_changes"


def digest_window(scheduled_for):
    """(since, until): from the previous digest's due time (a day before, for the first)
    to this one's, so that each change is in exactly one digest even after a missed day."""
    until = datetime.datetime.fromisoformat(scheduled_for)
    previous = Occurrence.objects.filter(name=NAME, due_at__lt=until).order_by("-due_at").first()
    since = previous.due_at if previous else until - datetime.timedelta(days=1)
    return since, until


def changes_by_report(team, since, until):
    """{"quarter", "changes"} of each of the team's signed-off reports changed between the
    two, the quarter as the team's report pages name it now."""
    found = []
    reports = QuarterlyReport.objects.filter(team=team, signed_off_at__isnull=False)
    for report in reports.order_by("start"):
        changes = signed_off_changes(
            team, report.start, report.end, max(since, report.signed_off_at), until
        )
        if changes:
            quarter = report.quarter.seen_from(team.year_start_month)
            found.append({"quarter": quarter, "changes": changes})
    return found


@job
def signed_off_changes_digest(scheduled_for):
    """E-mail each lead of a team whose signed-off quarters changed a digest of the changes.

    The messages of one run are queued in one transaction: a run that fails sends
    nothing, and its retry sends each message once.
    """
    since, until = digest_window(scheduled_for)
    teams = {
        report.team
        for report in QuarterlyReport.objects.filter(signed_off_at__isnull=False)
        .select_related("team")
        .order_by()
    }
    sent = 0
    with transaction.atomic():
        for team in sorted(teams, key=lambda team: team.pk):
            found = changes_by_report(team, since, until)
            if not found:
                continue
            # A lead without an e-mail address reads the changes on the report page.
            leads = (
                Membership.objects.filter(team=team, role=Membership.Role.LEAD, is_active=True)
                .exclude(user__email="")
                .select_related("user")
            )
            for membership in leads:
                message = send_mail_to(
                    membership.user,
                    template="signed_off_changes",
                    context={
                        "reports": found,
                        "since": timezone.localtime(since),
                        "until": timezone.localtime(until),
                        "count": sum(len(entry["changes"]) for entry in found),
                    },
                    team=team,
                    recurring=True,
                    kind="signed_off_changes",
                )
                sent += message is not None
    return {"sent": sent}


@job
def saved_report_subscriptions(scheduled_for):
    """Mail each subscriber the saved report they subscribed to, once per run (see
    evaluations/reports/saved.py); a subscriber who left the team is sent nothing again."""
    return send_subscriptions(scheduled_for)


SUBSCRIPTIONS = "evaluations.saved_report_subscriptions"

PERIODIC = [
    Periodic(NAME, daily("07:00"), signed_off_changes_digest),
    Periodic(SUBSCRIPTIONS, monthly(1, "06:00"), saved_report_subscriptions),
]
