"""The study's sample for interviews (evaluators only): drawing it from the sampling frame,
following each person's invitation, and making those who accepted participants."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from evaluations.models import Draw, Invitee
from evaluations.sampling import accepted_to_participants, draw_sample, reproduce
from evaluations.sampling_forms import DrawForm, InviteeStatusForm
from evaluations.views.studies import get_study, study_url
from teams import submissions
from teams.tenancy import EVALUATE, team_view


def _page(request, access, study, form, status=200):
    invitees = (
        Invitee.objects.for_user(access.user)
        .filter(study=study)
        .select_related("contact", "participant", "draw")
        .order_by("community", "pk")
    )
    draws = Draw.objects.for_user(access.user).filter(study=study).select_related("drawn_by")
    context = {
        "team": access.team,
        "study": study,
        "form": form,
        "invitees": invitees,
        "draws": draws,
        "statuses": Invitee.Status.choices,
        "status_form": InviteeStatusForm(),
        "accepted_waiting": sum(
            1 for i in invitees if i.status == Invitee.Status.ACCEPTED and not i.participant_id
        ),
    }
    return render(request, "evaluations/sample.html", context, status=status)


@team_view(EVALUATE)
def sample(request, access, study):
    """The sample page; POST draws more people by the quotas given."""
    study = get_study(access, study)
    if request.method != "POST":
        return _page(request, access, study, DrawForm(study=study))
    form = DrawForm(request.POST, study=study)
    if not form.is_valid():
        return _page(request, access, study, form)
    url = study_url("sample", study)
    try:
        with transaction.atomic():
            submission = submissions.claim(form.cleaned_data.get(submissions.FIELD), access)
            data = form.cleaned_data
            draw = draw_sample(
                access, study, form.quotas, data["seed"], data["date_from"], data["date_to"]
            )
            submissions.record(submission, url=url)
    except submissions.AlreadySubmitted:
        return redirect(url)
    drawn = sum(len(ids) for ids in reproduce(draw).values())
    short = [label for label, quota, eligible in draw.quota_rows() if eligible < quota]
    message = f"{drawn} people drawn with seed {draw.seed}."
    if short:
        message += f" Fewer eligible than the quota: {', '.join(short)}."
    messages.success(request, message)
    return redirect(url)


@team_view(EVALUATE)
@require_POST
def invitee_status(request, access, study, pk):
    """Record a step of one person's invitation, with its date."""
    study = get_study(access, study)
    invitee = get_object_or_404(Invitee.objects.for_user(access.user).filter(study=study), pk=pk)
    form = InviteeStatusForm(request.POST)
    if form.is_valid():
        invitee.set_status(form.cleaned_data["status"], form.cleaned_data["on"])
        messages.success(request, f"Status saved: {invitee.get_status_display().lower()}.")
    else:
        messages.error(request, "Choose one of the statuses, and a date or none.")
    return redirect(study_url("sample", study) + f"#invitee-{invitee.pk}")


@team_view(EVALUATE)
@require_POST
def invitees_to_participants(request, access, study):
    """Make everyone who accepted and is not a participant yet one, in one step."""
    study = get_study(access, study)
    made = accepted_to_participants(study)
    if made:
        codes = ", ".join(p.code for p in made)
        messages.success(
            request, f"{len(made)} participant{'s' * (len(made) != 1)} added: {codes}."
        )
    else:
        messages.info(request, "Nobody who accepted is waiting to be made a participant.")
    return redirect(study_url("sample", study))
