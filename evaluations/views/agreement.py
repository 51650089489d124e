"""Inter-coder agreement of a study: the figures per theme and overall, on the units the
user chooses, and the passages where the coders disagree side by side."""

from django import forms
from django.shortcuts import render
from django.views.decorators.http import require_GET

from evaluations.agreement import (
    CHARACTERS,
    UNIT_DESCRIPTIONS,
    UNIT_KINDS,
    study_agreement,
    study_coders,
)
from evaluations.models import Source
from evaluations.views.studies import get_study
from kmtracker.lib.names import display_name
from teams.tenancy import READ_EVALUATIONS, team_view


class AgreementForm(forms.Form):
    """What the agreement is computed on: the units, and one source or every shared one."""

    unit = forms.ChoiceField(
        choices=UNIT_KINDS.items(), initial=CHARACTERS, required=False, label="Units"
    )
    source = forms.ModelChoiceField(
        queryset=Source.objects.none(), required=False, empty_label="Every source", label="Source"
    )

    coders = forms.MultipleChoiceField(
        required=False,
        label="Coders",
        help_text="None chosen: every coder. Choose two of several for their Cohen's kappa.",
    )

    def __init__(self, *args, access, study, **kwargs):
        super().__init__(*args, **kwargs)
        sources = Source.objects.for_user(access.user).filter(study=study).defer("text")
        self.fields["source"].queryset = sources
        self.fields["coders"].choices = [
            (user.pk, display_name(user)) for user in study_coders(study, access.user)
        ]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"
        self.fields["coders"].widget.attrs["aria-describedby"] = "coders-help"

    def clean_unit(self):
        return self.cleaned_data["unit"] or CHARACTERS


@team_view(READ_EVALUATIONS)
@require_GET
def agreement(request, access, study):
    study = get_study(access, study)
    form = AgreementForm(request.GET or None, access=access, study=study)
    unit, source = CHARACTERS, None
    if form.is_bound:
        form.is_valid()  # a choice refused is shown as an error; the others still count
        unit = form.cleaned_data.get("unit") or CHARACTERS
        source = form.cleaned_data.get("source")
        coders = [int(pk) for pk in form.cleaned_data.get("coders") or []]
    else:
        coders = []
    result = study_agreement(study, access.user, unit, source.pk if source else None, coders)
    context = {
        "team": access.team,
        "study": study,
        "options": form,
        "result": result,
        "unit_label": UNIT_KINDS[unit].lower(),
        "unit_description": UNIT_DESCRIPTIONS[unit],
    }
    return render(request, "evaluations/agreement.html", context)
