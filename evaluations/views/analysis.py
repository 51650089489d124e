"""Analysis of a study: the excerpts (filtered, and as CSV), the framework matrix with
its cells' summaries (as CSV and XLSX), and the sampling frame for interviews.

Each page and its download are one view: `?export=` gives the same rows as a file.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render

from activities.models import Community, Contact
from activities.views.base import is_partial_request
from evaluations import exports
from evaluations.filters import ExcerptFilterSet, SamplingFrameFilterSet
from evaluations.forms import CellSummaryForm
from evaluations.matrix import PARTICIPANTS, ROW_KINDS, UNATTRIBUTED, Matrix, cell_excerpts
from evaluations.models import CellSummary, Excerpt, Participant, Source, Theme
from evaluations.views.studies import get_in_study, get_study, study_url
from kmtracker.tenancy import READ_EVALUATIONS, team_view

EXCERPTS_PER_PAGE = 50


@team_view(READ_EVALUATIONS)
def excerpt_list(request, access, study):
    study = get_study(access, study)
    excerpts = (
        Excerpt.objects.for_user(access.user)
        .filter(source__study=study)
        .with_related()
        .defer("source__text")
        .order_by("source__date", "source__title", "source_id", "start", "pk")
    )
    filterset = ExcerptFilterSet(request.GET, queryset=excerpts, study=study)
    if not filterset.is_valid():
        if "export" in request.GET:
            return HttpResponseBadRequest(filterset.errors.as_text(), content_type="text/plain")
        rows = excerpts.none()
    else:
        rows = filterset.qs
    if request.GET.get("export") == "csv":
        return exports.excerpts_csv(study, rows.iterator(chunk_size=500))
    page = Paginator(rows, EXCERPTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "team": access.team,
        "study": study,
        "filter": filterset,
        "page_obj": page,
        "paginator": page.paginator,
        "is_paginated": page.has_other_pages(),
        "excerpts": page.object_list,
        "query_without_page": query.urlencode(),
    }
    template = "excerpt_table" if is_partial_request(request) else "excerpt_list"
    return render(request, _template(template), context)


@team_view(READ_EVALUATIONS)
def matrix(request, access, study):
    study = get_study(access, study)
    rows = request.GET.get("rows", PARTICIPANTS)
    if rows not in ROW_KINDS:
        rows = PARTICIPANTS
    table = Matrix(study, rows)
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        return exports.matrix_download(table, export)
    context = {"team": access.team, "study": study, "matrix": table, "rows": rows}
    return render(request, "evaluations/matrix.html", context)


def _row_of_cell(study, rows, row):
    """The participant or source of a matrix row (None: excerpts without a participant)."""
    if rows == PARTICIPANTS:
        if row == UNATTRIBUTED:
            return None
        return get_object_or_404(Participant.objects.filter(study=study), pk=row)
    return get_object_or_404(Source.objects.filter(study=study).defer("text"), pk=row)


@team_view(READ_EVALUATIONS)
def matrix_cell(request, access, study, rows, row, theme):
    """One cell of the matrix: its excerpts, and the evaluator's summary of them."""
    study = get_study(access, study)
    if rows not in ROW_KINDS:
        raise Http404("No such matrix.")
    theme = get_in_study(Theme, access, study, pk=theme)
    row_object = _row_of_cell(study, rows, row)
    summary = None
    if row_object is not None:
        key = {"participant": row_object} if rows == PARTICIPANTS else {"source": row_object}
        summary = CellSummary.objects.filter(study=study, theme=theme, **key).first()
    if request.method == "POST":
        if not access.can_evaluate:
            raise PermissionDenied
        if row_object is None:
            raise Http404("Excerpts without a participant have no summary.")
        form = CellSummaryForm(request.POST, instance=summary)
        if form.is_valid():
            _save_summary(form, study, theme, key, request.user)
            messages.success(request, f"Summary of {theme.label} for {row_object} saved.")
            return redirect(study_url("matrix", study) + f"?rows={rows}")
    else:
        form = CellSummaryForm(instance=summary)
    excerpts = (
        cell_excerpts(study, rows, row, theme)
        .with_related()
        .defer("source__text")
        .order_by("source__date", "source_id", "start", "pk")
    )
    context = {
        "team": access.team,
        "study": study,
        "rows": rows,
        "row_object": row_object,
        "theme": theme,
        "excerpts": excerpts,
        "form": form if access.can_evaluate and row_object is not None else None,
        "summary": summary,
    }
    return render(request, "evaluations/matrix_cell.html", context)


def _save_summary(form, study, theme, key, user):
    """Save the cell's summary; an emptied summary is removed."""
    summary = form.instance
    if not form.cleaned_data["text"].strip():
        if summary.pk:
            summary.delete()
        return
    summary = form.save(commit=False)
    summary.study, summary.theme, summary.updated_by = study, theme, user
    for name, value in key.items():
        setattr(summary, name, value)
    summary.save()


@team_view(READ_EVALUATIONS)
def sampling_frame(request, access, study):
    """The contacts with activity in the period, by community, to draw interviewees from.

    Evaluators see pseudonyms; the period defaults to the study's.
    """
    study = get_study(access, study)
    data = request.GET.copy()
    if "date_from" not in data and "date_to" not in data:
        data["date_from"] = study.period_start.isoformat() if study.period_start else ""
        data["date_to"] = study.period_end.isoformat() if study.period_end else ""
    filterset = SamplingFrameFilterSet(data, queryset=access.scoped(Contact), request=request)
    if not filterset.is_valid():
        if "export" in request.GET:
            return HttpResponseBadRequest(filterset.errors.as_text(), content_type="text/plain")
        contacts = []
    else:
        contacts = filterset.qs
    if request.GET.get("export") == "csv":
        return exports.sampling_frame_csv(study, contacts, access)
    contacts = list(contacts)
    # Which contact a participant is stays with the evaluators, who chose them.
    participants = {}
    if access.can_evaluate:
        linked = Participant.objects.filter(study=study, contact__isnull=False)
        participants = dict(linked.values_list("contact_id", "code"))
    labels = dict(Community.choices)
    groups = {}
    for contact in contacts:
        contact.participant_code = participants.get(contact.pk)
        groups.setdefault(contact.community, []).append(contact)
    context = {
        "team": access.team,
        "study": study,
        "filter": filterset,
        "groups": [(code, labels[code], groups[code]) for code in labels if code in groups],
        "total": len(contacts),
        "query": data.urlencode(),
    }
    template = "sampling_frame_table" if is_partial_request(request) else "sampling_frame"
    return render(request, _template(template), context)


def _template(name):
    """A page, or (named *_table) the partial that a filter change re-renders."""
    folder = "evaluations/partials" if name.endswith("_table") else "evaluations"
    return f"{folder}/{name}.html"
