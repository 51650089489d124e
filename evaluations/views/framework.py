"""A study's framework: its themes and sub-themes, the default framework, and the
framework as CSV (`?export=csv` downloads it; the import page reads one)."""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from evaluations.exports import FRAMEWORK, study_filename
from evaluations.forms.framework import FrameworkImportForm, ThemeForm
from evaluations.framework import add_default_framework, apply_rows
from evaluations.models import Theme
from evaluations.views.studies import InStudyMixin, get_in_study, get_study, study_url
from kmtracker.lib.inputs import as_id
from teams.generic import TeamCreateView, TeamUpdateView
from teams.tenancy import EVALUATE, READ_EVALUATIONS, team_view


def _themes(access, study):
    return (
        Theme.objects.for_user(access.user)
        .filter(study=study)
        .in_framework_order()
        .select_related("parent")
    )


@team_view(READ_EVALUATIONS)
def framework(request, access, study):
    study = get_study(access, study)
    themes = _themes(access, study)
    if request.GET.get("export") == "csv":
        return FRAMEWORK.response(study_filename(study, "framework"), themes, access)
    themes = themes.annotate(excerpt_count=Count("excerpts", distinct=True))
    context = {"team": access.team, "study": study, "themes": themes}
    return render(request, "evaluations/framework.html", context)


@team_view(EVALUATE)
@require_POST
def framework_default(request, access, study):
    study = get_study(access, study)
    added = add_default_framework(study)
    if added:
        messages.success(request, f"{added} themes of the default framework added.")
    else:
        messages.info(request, "The framework already has every theme of the default one.")
    return redirect(study_url("framework", study))


@team_view(EVALUATE)
def framework_import(request, access, study):
    study = get_study(access, study)
    form = FrameworkImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        added = apply_rows(study, form.rows)
        messages.success(request, f"Framework imported: {added} new theme{'s' * (added != 1)}.")
        return redirect(study_url("framework", study))
    context = {"team": access.team, "study": study, "form": form}
    return render(request, "evaluations/framework_import.html", context)


class ThemeFormMixin(InStudyMixin):
    model = Theme
    form_class = ThemeForm
    template_name = "evaluations/theme_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("access")
        return kwargs

    def get_initial(self):
        parent = as_id(self.request.GET.get("parent"))
        return {"parent": parent} if parent is not None else super().get_initial()

    def get_success_url(self):
        return study_url("framework", self.study) + f"#theme-{self.object.pk}"


class ThemeCreateView(ThemeFormMixin, TeamCreateView):
    success_message = "Theme “{object}” added."


class ThemeUpdateView(ThemeFormMixin, TeamUpdateView):
    success_message = "Theme “{object}” saved."


@team_view(EVALUATE)
def theme_delete(request, access, study, pk):
    """Delete a theme nothing is coded to and that has no sub-themes."""
    study = get_study(access, study)
    theme = get_in_study(Theme, access, study, pk=pk)
    coded = theme.excerpts.count()
    children = theme.children.count()
    if request.method == "POST" and not coded and not children:
        theme.delete()
        messages.success(request, f"Theme “{theme}” deleted.")
        return redirect(study_url("framework", study))
    context = {
        "team": access.team,
        "study": study,
        "theme": theme,
        "coded": coded,
        "children": children,
    }
    return render(request, "evaluations/theme_confirm_delete.html", context)
