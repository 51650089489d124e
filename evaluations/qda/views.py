"""A study's exchange with other analysis software: the REFI-QDA project and codebook,
the tidy tables, and the import of a REFI-QDA project into a new study.

REFI-QDA files and imports are the evaluators'; the tidy tables are read as the study's
other files are (evaluators and leads, through `for_user()`).
"""

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from evaluations.exports import study_filename
from evaluations.matrix import PARTICIPANTS, ROW_KINDS
from evaluations.models import Theme
from evaluations.qda import project, reader, tidy
from evaluations.qda.forms import ProjectImportForm
from evaluations.views.studies import get_study, study_url
from kmtracker.lib import files
from teams import submissions
from teams.tenancy import EVALUATE, READ_EVALUATIONS, team_view

QDPX_TYPE = "application/zip"
XML_TYPE = "application/xml"


@team_view(READ_EVALUATIONS)
@require_safe
def exchange(request, access, study):
    study = get_study(access, study)
    context = {"team": access.team, "study": study, "row_kinds": ROW_KINDS}
    return render(request, "evaluations/qda/exchange.html", context)


@team_view(EVALUATE)
@require_safe
def project_export(request, access, study):
    study = get_study(access, study)
    content = project.qdpx_bytes(study, access.user)
    return files.stored_response(study_filename(study, "project.qdpx"), content, QDPX_TYPE)


@team_view(EVALUATE)
@require_safe
def codebook_export(request, access, study):
    study = get_study(access, study)
    if not Theme.objects.filter(study=study).exists():
        # A REFI-QDA codebook holds at least one code.
        messages.info(request, "The framework has no themes yet: there is no codebook to download.")
        return redirect(study_url("qda_exchange", study))
    content = project.codebook_xml(study)
    return files.stored_response(study_filename(study, "codebook.qdc"), content, XML_TYPE)


def _format(request):
    return "xlsx" if request.GET.get("export") == "xlsx" else "csv"


@team_view(READ_EVALUATIONS)
@require_safe
def codebook_table(request, access, study):
    study = get_study(access, study)
    entries = tidy.study_codebook(study)
    filename = study_filename(study, "codebook")
    return tidy.CODEBOOK.response(filename, entries, access, _format(request))


@team_view(READ_EVALUATIONS)
@require_safe
def case_matrix(request, access, study):
    """`?rows=participants|sources&values=counts|presence`; CSV, or XLSX with `export=xlsx`."""
    study = get_study(access, study)
    rows = request.GET.get("rows", PARTICIPANTS)
    values = request.GET.get("values", "counts")
    if rows not in ROW_KINDS or values not in tidy.VALUES:
        raise Http404("No such matrix.")
    matrix = tidy.CaseMatrix(study, access.user, rows, values)
    filename = study_filename(study, f"{rows}-{values}")
    return matrix.response(filename, access, _format(request))


@team_view(EVALUATE)
def project_import(request, access):
    form = ProjectImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data.get(submissions.FIELD, "")
        try:
            imported = _save(form, access, token)
        except submissions.AlreadySubmitted as already:
            if already.submission.url:
                return redirect(already.submission.url)
            return redirect("evaluations:study_list", team=access.team.slug)
        messages.success(request, _summary(imported))
        return redirect(imported.study.get_absolute_url())
    context = {"team": access.team, "form": form, "max_mb": reader.MAX_BYTES // 1024 // 1024}
    return render(request, "evaluations/qda/project_import.html", context)


def _save(form, access, token):
    with transaction.atomic():
        submission = submissions.claim(token, access)
        upload = form.cleaned_data["file"]
        imported = reader.save_project(form.project, access.team, access.user, upload.name)
        imported.study.team = access.team
        submissions.record(submission, imported.study.get_absolute_url())
    return imported


def _summary(imported):
    text = (
        f"Imported {imported.sources} source{'s' * (imported.sources != 1)}, "
        f"{imported.themes} theme{'s' * (imported.themes != 1)}, "
        f"{imported.passages} coded passage{'s' * (imported.passages != 1)} and "
        f"{imported.participants} participant{'s' * (imported.participants != 1)}."
    )
    if imported.skipped:
        text += f" Not imported: {', '.join(imported.skipped)}."
    return text
