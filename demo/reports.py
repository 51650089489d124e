"""Demo data of reports that reach people: the quarter's recipients, a saved report
subscribed to, and the Researchfish mapping, so that signing off a quarter mails the
report (seen in the development outbox) and the Researchfish export lists the seminars."""

from django.utils import timezone

from activities.models import Outcome
from evaluations.models import (
    ReportRecipient,
    ReportSubscription,
    ResearchfishMapping,
    SavedReport,
)
from teams.models import Membership

# Activity type -> (form of engagement, primary audience, geographic reach).
ENGAGEMENTS = {
    "Seminar delivered": ("talk", "practitioners", "regional"),
    "Presentation": ("talk", "policymakers", "local"),
    "Network event": ("workshop", "practitioners", "regional"),
}


def seed_report_distribution(team):
    """Recipients (a broker, a confirmed steering group, a funder yet to confirm), the
    lead's saved "previous quarter" report subscribed monthly, and the mapping."""
    memberships = Membership.objects.filter(team=team).select_related("user")
    lead = next((m.user for m in memberships if m.role == Membership.Role.LEAD), None)
    broker = next((m.user for m in memberships if m.role == Membership.Role.BROKER), None)
    now = timezone.now()
    if broker is not None:
        ReportRecipient.objects.create(team=team, user=broker, added_by=lead, confirmed_at=now)
    ReportRecipient.objects.create(
        team=team,
        address=f"steering-group@{team.slug}.example",
        name="Steering group",
        added_by=lead,
        confirmed_at=now,
    )
    ReportRecipient.objects.create(
        team=team, address=f"funder@{team.slug}.example", name="Funder", added_by=lead
    )
    if lead is not None:
        saved = SavedReport.objects.create(
            team=team, owner=lead, name="Previous quarter", period_rule="previous_quarter"
        )
        ReportSubscription.objects.create(saved_report=saved, user=lead, frequency="monthly")
    for activity_type in team.activity_types.filter(name__in=ENGAGEMENTS):
        form, audience, reach = ENGAGEMENTS[activity_type.name]
        ResearchfishMapping.objects.create(
            team=team, activity_type=activity_type, form=form, audience=audience, reach=reach
        )
    ResearchfishMapping.objects.create(
        team=team,
        outcome_type=Outcome.Type.EVIDENCE_USED_IN_DECISION,
        influence_type="service_change",
        reach="regional",
    )
