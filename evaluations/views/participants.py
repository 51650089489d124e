"""A participant's page: their coded passages and, beside them for the evaluators, the
activities of the log that their contact took part in (pseudonymised, free text redacted)."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from activities.models import Activity
from evaluations.models import Excerpt, Participant
from evaluations.views.studies import get_in_study, get_study
from teams.tenancy import READ_EVALUATIONS, team_view

# Activities shown at the most, the latest first.
ACTIVITIES_SHOWN = 200


def contact_activities(access, participant):
    """The activities the participant's contact took part in, as `access` may read them;
    none unless the reader evaluates (the link to a contact is the evaluators' alone)."""
    if not access.can_evaluate or participant.contact_id is None:
        return Activity.objects.none()
    return (
        access.scoped(Activity)
        .filter(contacts=participant.contact_id)
        .select_related("activity_type")
        .order_by("-date", "-pk")
    )


@team_view(READ_EVALUATIONS)
@require_GET
def participant_detail(request, access, study, pk):
    study = get_study(access, study)
    participant = get_in_study(Participant, access, study, pk=pk)
    excerpts = (
        Excerpt.objects.for_user(access.user)
        .filter(source__study=study, participant=participant)
        .with_related()
        .defer("source__text")
        .order_by("source__date", "source_id", "start", "pk")
    )
    activities = contact_activities(access, participant)
    in_period = activities
    if study.period_start:
        in_period = in_period.filter(date__gte=study.period_start)
    if study.period_end:
        in_period = in_period.filter(date__lte=study.period_end)
    context = {
        "team": access.team,
        "study": study,
        "participant": participant,
        "excerpts": excerpts,
        "activities": list(activities[:ACTIVITIES_SHOWN]),
        "activity_count": activities.count(),
        "in_period": set(in_period.values_list("pk", flat=True)),
        "shows_contact": access.can_evaluate and participant.contact_id is not None,
    }
    return render(request, "evaluations/participant_detail.html", context)
