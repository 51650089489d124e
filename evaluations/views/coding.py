"""Coding a source: its page shows the text with the coded passages highlighted, the list
of those passages, and (for evaluators) the form that codes a new one.

The form works three ways: select words with the mouse (the page's script fills
the passage and its offsets), type or paste the words, or set the start and end
with the keyboard buttons. Leads read the page without the form.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from evaluations.coding import highlighted
from evaluations.colours import colour_class, theme_colours
from evaluations.forms.coding import ExcerptForm
from evaluations.models import Excerpt, Source, Theme
from evaluations.views.studies import get_in_study, get_study, study_url
from teams import submissions
from teams.tenancy import EVALUATE, READ_EVALUATIONS, team_view


def _source(access, study_pk, pk):
    study = get_study(access, study_pk)
    source = get_in_study(Source, access, study, pk=pk)
    return study, source


def _coding_page(request, access, study, source, form, editing=None, status=200):
    excerpts = list(
        Excerpt.objects.filter(source=source).with_related().order_by("start", "end", "pk")
    )
    if form is not None:
        framework = form.framework_themes
    else:
        framework = Theme.objects.filter(study=study).in_framework_order().only("pk")
    colours = theme_colours(framework)
    for excerpt in excerpts:
        excerpt.coloured_themes = [(t, colour_class(colours, t.pk)) for t in excerpt.themes.all()]
    context = {
        "team": access.team,
        "study": study,
        "source": source,
        "participants": form.speakers if form else list(source.participants.all()),
        "excerpts": excerpts,
        "text_html": highlighted(source.text, excerpts, colours),
        "theme_picker": _theme_picker(form, colours) if form else [],
        "form": form,
        "editing": editing,
    }
    return render(request, "evaluations/source_detail.html", context, status=status)


def _theme_picker(form, colours):
    """The themes to choose from, by top-level theme: (group, [(id, label, colour, chosen)])."""
    chosen = {str(value) for value in form["themes"].value() or []}
    return [
        (
            group,
            [(pk, label, colour_class(colours, pk), str(pk) in chosen) for pk, label in options],
        )
        for group, options in form.fields["themes"].choices
    ]


def _to_passage(study, source, excerpt):
    return redirect(study_url("source_detail", study, pk=source.pk) + f"#passage-{excerpt.pk}")


@team_view(READ_EVALUATIONS)
def source_detail(request, access, study, pk):
    study, source = _source(access, study, pk)
    form = _new_excerpt_form(None, access, source) if access.can_evaluate else None
    return _coding_page(request, access, study, source, form)


def _new_excerpt_form(data, access, source):
    """The form of a new coded passage, with its one-time token: sent twice, it codes once."""
    return submissions.add_token_field(ExcerptForm(data, access=access, source=source))


@team_view(EVALUATE)
@require_POST
def excerpt_add(request, access, study, pk):
    study, source = _source(access, study, pk)
    form = _new_excerpt_form(request.POST, access, source)
    if not form.is_valid():
        return _coding_page(request, access, study, source, form)
    excerpt, earlier = submissions.save_once(
        form, access, form.save, lambda excerpt: _to_passage(study, source, excerpt).url
    )
    if earlier is not None:
        messages.info(request, "This passage was already coded: here it is.")
        return redirect(earlier.url or request.path)
    themes = ", ".join(theme.label for theme in form.cleaned_data["themes"])
    messages.success(request, f"Passage coded: {themes}.")
    return _to_passage(study, source, excerpt)


@team_view(EVALUATE)
def excerpt_edit(request, access, study, pk):
    """Change a coded passage's themes, memo, speaker or extent; other passages stay put."""
    study = get_study(access, study)
    excerpt = get_in_excerpts(access, study, pk)
    source = excerpt.source
    form = ExcerptForm(request.POST or None, instance=excerpt, access=access, source=source)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Coded passage saved.")
        return _to_passage(study, source, excerpt)
    return _coding_page(request, access, study, source, form, editing=excerpt)


@team_view(EVALUATE)
def excerpt_delete(request, access, study, pk):
    """Remove the coding of a passage (the source's text is not touched)."""
    study = get_study(access, study)
    excerpt = get_in_excerpts(access, study, pk)
    if request.method == "POST":
        excerpt.delete()
        messages.success(request, "Coding removed.")
        return redirect(study_url("source_detail", study, pk=excerpt.source_id))
    context = {"team": access.team, "study": study, "excerpt": excerpt}
    return render(request, "evaluations/excerpt_confirm_delete.html", context)


def get_in_excerpts(access, study, pk):
    """One excerpt of `study` that the user may see, with its source, or 404."""
    rows = Excerpt.objects.for_user(access.user).filter(source__study=study)
    excerpt = get_object_or_404(rows.select_related("source"), pk=pk)
    excerpt.source.study = study
    return excerpt
