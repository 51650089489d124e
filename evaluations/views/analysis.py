"""Analysis of a study: the excerpts (filtered, and as CSV or XLSX), the framework matrix with
its cells' summaries (as CSV and XLSX), and the sampling frame for interviews.

Each page and its download are one view: `?export=` gives the same rows as a file.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from activities.models import Community, Contact
from evaluations import exports
from evaluations.filters import ExcerptFilterSet, SamplingFrameFilterSet
from evaluations.forms.coding import CellSummaryForm
from evaluations.matrix import PARTICIPANTS, ROW_KINDS, UNATTRIBUTED, Matrix, cell_excerpts
from evaluations.matrix_filters import MatrixFilterSet
from evaluations.models import CellSummary, Excerpt, Participant, Source, Theme
from evaluations.views.studies import InStudyListView, get_in_study, get_study, study_url
from teams.tenancy import READ_EVALUATIONS, team_view


class ExcerptListView(InStudyListView):
    """The study's coded passages, filtered; `?export=csv` downloads them."""

    filterset_class = ExcerptFilterSet
    template_name = "evaluations/excerpt_list.html"
    partial_template_name = "evaluations/partials/excerpt_table.html"
    exports = (exports.EXCERPTS,)
    noun = ("passage", "passages")

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "study": self.study}

    def get_queryset(self):
        return (
            Excerpt.objects.for_user(self.access.user)
            .filter(source__study=self.study)
            .with_related()
            .defer("source__text")
            .order_by("source__date", "source__title", "source_id", "start", "pk")
        )


@team_view(READ_EVALUATIONS)
def matrix(request, access, study):
    study = get_study(access, study)
    rows = request.GET.get("rows", PARTICIPANTS)
    if rows not in ROW_KINDS:
        rows = PARTICIPANTS
    chosen = MatrixFilterSet(
        request.GET or None,
        queryset=Participant.objects.for_user(access.user).filter(study=study),
        access=access,
        study=study,
    )
    participants = chosen.qs if chosen.is_bound and chosen.is_filtering else None
    table = Matrix(study, access.user, rows, participants)
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        return exports.matrix_download(table, export)
    context = {
        "team": access.team,
        "study": study,
        "matrix": table,
        "rows": rows,
        "chosen": chosen,
        "filter_query": _filter_query(chosen),
    }
    return render(request, "evaluations/matrix.html", context)


def _filter_query(chosen):
    """The matrix's filters as a query string (`&community=...`), for its links and files."""
    if not chosen.is_bound or not chosen.form.is_valid():
        return ""
    values = {name: chosen.form.cleaned_data.get(name) for name in chosen.filters}
    return "".join(f"&{name}={value}" for name, value in values.items() if value)


def _row_of_cell(access, study, rows, row):
    """The participant or source of a matrix row (None: excerpts without a participant)."""
    if rows == PARTICIPANTS:
        if row == UNATTRIBUTED:
            return None
        return get_object_or_404(Participant.objects.filter(study=study), pk=row)
    sources = Source.objects.for_user(access.user).filter(study=study)
    return get_object_or_404(sources.defer("text"), pk=row)


@team_view(READ_EVALUATIONS)
def matrix_cell(request, access, study, rows, row, theme):
    """One cell of the matrix: its excerpts, and the evaluator's summary of them."""
    study = get_study(access, study)
    if rows not in ROW_KINDS:
        raise Http404("No such matrix.")
    theme = get_in_study(Theme, access, study, pk=theme)
    row_object = _row_of_cell(access, study, rows, row)
    summary = None
    if row_object is not None:
        key = {"participant": row_object} if rows == PARTICIPANTS else {"source": row_object}
        summaries = CellSummary.objects.for_user(access.user)
        summary = summaries.filter(study=study, theme=theme, **key).first()
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
        cell_excerpts(study, access.user, rows, row, theme)
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


class SamplingFrameView(InStudyListView):
    """The contacts with activity in the period, by community, to draw interviewees from.

    Evaluators see pseudonyms; the period defaults to the study's.
    """

    filterset_class = SamplingFrameFilterSet
    template_name = "evaluations/sampling_frame.html"
    partial_template_name = "evaluations/partials/sampling_frame_table.html"
    exports = (exports.SAMPLING_FRAME,)
    export_name = "sampling-frame"
    paginate_by = None

    def get_queryset(self):
        # The frame names contacts; their personal details are not read (audit.access).
        return self.access.scoped(Contact).without_details()

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        data = self.request.GET.copy()
        if "date_from" not in data and "date_to" not in data:
            study = self.study
            data["date_from"] = study.period_start.isoformat() if study.period_start else ""
            data["date_to"] = study.period_end.isoformat() if study.period_end else ""
        kwargs["data"] = data
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contacts = list(context["object_list"])
        # Which contact a participant is stays with the evaluators, who chose them.
        participants = {}
        if self.access.can_evaluate:
            linked = Participant.objects.filter(study=self.study, contact__isnull=False)
            participants = dict(linked.values_list("contact_id", "code"))
        labels = dict(Community.choices)
        groups = {}
        for contact in contacts:
            contact.participant_code = participants.get(contact.pk)
            groups.setdefault(contact.community, []).append(contact)
        context |= {
            "groups": [(code, labels[code], groups[code]) for code in labels if code in groups],
            # The list itself, read once: the frame asks whether it is empty.
            "object_list": contacts,
            "total": len(contacts),
        }
        return context
