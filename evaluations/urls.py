"""The evaluations app under /teams/<team>/ (see kmtracker/urls.py): quarterly reports,
the reflective log, and evaluation studies."""

from django.urls import path, re_path

from evaluations.qda import views as qda
from evaluations.views import (
    agreement,
    analysis,
    coding,
    distribution,
    framework,
    log,
    participants,
    reports,
    sampling,
    studies,
)

app_name = "evaluations"

# `-m4`: a quarter of a year that started in another month (kmtracker.lib.quarters).
QUARTER = r"(?P<quarter>[12]\d{3}-q[1-4](?:-m(?:1[0-2]|[1-9]))?)"
STUDY = "evaluations/<int:study>/"

urlpatterns = [
    path("reports/", reports.report_index, name="report_index"),
    path("reports/period/", reports.report_period, name="report_period"),
    path("reports/period/print/", reports.report_period_print, name="report_period_print"),
    path("reports/recipients/", distribution.recipient_list, name="recipient_list"),
    path(
        "reports/recipients/<int:pk>/remove/",
        distribution.recipient_remove,
        name="recipient_remove",
    ),
    path("reports/saved/", distribution.saved_report_list, name="saved_report_list"),
    path("reports/saved/<int:pk>/", distribution.saved_report_detail, name="saved_report_detail"),
    path(
        "reports/saved/<int:pk>/subscribe/",
        distribution.saved_report_subscribe,
        name="saved_report_subscribe",
    ),
    path("reports/researchfish/", distribution.researchfish, name="researchfish"),
    path(
        "reports/researchfish/mapping/",
        distribution.researchfish_mapping,
        name="researchfish_mapping",
    ),
    re_path(rf"^reports/{QUARTER}/$", reports.report_detail, name="report_detail"),
    re_path(rf"^reports/{QUARTER}/print/$", reports.report_print, name="report_print"),
    re_path(rf"^reports/{QUARTER}/narrative/$", reports.report_narrative, name="report_narrative"),
    re_path(rf"^reports/{QUARTER}/sign-off/$", reports.report_signoff, name="report_signoff"),
    re_path(rf"^reports/{QUARTER}/reopen/$", reports.report_reopen, name="report_reopen"),
    re_path(rf"^reports/{QUARTER}/history/$", reports.report_history, name="report_history"),
    # The reflective log.
    path("log/", log.EntryListView.as_view(), name="log_list"),
    path("log/new/", log.EntryCreateView.as_view(), name="log_add"),
    path("log/<int:pk>/", log.EntryDetailView.as_view(), name="log_detail"),
    path("log/<int:pk>/edit/", log.EntryUpdateView.as_view(), name="log_edit"),
    path("log/<int:pk>/delete/", log.EntryDeleteView.as_view(), name="log_delete"),
    # Evaluation studies.
    path("evaluations/", studies.StudyListView.as_view(), name="study_list"),
    path("evaluations/new/", studies.StudyCreateView.as_view(), name="study_add"),
    path("evaluations/<int:pk>/", studies.StudyDetailView.as_view(), name="study_detail"),
    path("evaluations/<int:pk>/edit/", studies.StudyUpdateView.as_view(), name="study_edit"),
    path(f"{STUDY}participants/", studies.ParticipantListView.as_view(), name="participant_list"),
    path(
        f"{STUDY}participants/new/",
        studies.ParticipantCreateView.as_view(),
        name="participant_add",
    ),
    path(
        f"{STUDY}participants/<int:pk>/",
        participants.participant_detail,
        name="participant_detail",
    ),
    path(
        f"{STUDY}participants/<int:pk>/edit/",
        studies.ParticipantUpdateView.as_view(),
        name="participant_edit",
    ),
    path(
        f"{STUDY}participants/<int:pk>/delete/",
        studies.participant_delete,
        name="participant_delete",
    ),
    path(f"{STUDY}sources/new/", studies.SourceCreateView.as_view(), name="source_add"),
    path(f"{STUDY}sources/from-log/", studies.source_add_from_log, name="source_add_from_log"),
    path(
        f"{STUDY}sources/from-reports/",
        studies.source_add_from_narratives,
        name="source_add_from_narratives",
    ),
    path(f"{STUDY}sources/<int:pk>/", coding.source_detail, name="source_detail"),
    path(f"{STUDY}sources/<int:pk>/edit/", studies.SourceUpdateView.as_view(), name="source_edit"),
    path(f"{STUDY}sources/<int:pk>/delete/", studies.source_delete, name="source_delete"),
    path(f"{STUDY}sources/<int:pk>/code/", coding.excerpt_add, name="excerpt_add"),
    path(f"{STUDY}excerpts/", analysis.ExcerptListView.as_view(), name="excerpt_list"),
    path(f"{STUDY}excerpts/<int:pk>/edit/", coding.excerpt_edit, name="excerpt_edit"),
    path(f"{STUDY}excerpts/<int:pk>/delete/", coding.excerpt_delete, name="excerpt_delete"),
    path(f"{STUDY}framework/", framework.framework, name="framework"),
    path(f"{STUDY}framework/default/", framework.framework_default, name="framework_default"),
    path(f"{STUDY}framework/import/", framework.framework_import, name="framework_import"),
    path(f"{STUDY}framework/themes/new/", framework.ThemeCreateView.as_view(), name="theme_add"),
    path(
        f"{STUDY}framework/themes/<int:pk>/edit/",
        framework.ThemeUpdateView.as_view(),
        name="theme_edit",
    ),
    path(f"{STUDY}framework/themes/<int:pk>/delete/", framework.theme_delete, name="theme_delete"),
    path(f"{STUDY}matrix/", analysis.matrix, name="matrix"),
    path(
        f"{STUDY}matrix/<slug:rows>/<int:row>/<int:theme>/",
        analysis.matrix_cell,
        name="matrix_cell",
    ),
    path(f"{STUDY}sampling-frame/", analysis.SamplingFrameView.as_view(), name="sampling_frame"),
    # Exchange with other analysis software (evaluations/qda/).
    path("evaluations/import/", qda.project_import, name="qda_import"),
    path(f"{STUDY}exchange/", qda.exchange, name="qda_exchange"),
    path(f"{STUDY}exchange/project.qdpx", qda.project_export, name="qda_project"),
    path(f"{STUDY}exchange/codebook.qdc", qda.codebook_export, name="qda_codebook"),
    path(f"{STUDY}exchange/codebook/", qda.codebook_table, name="qda_codebook_table"),
    path(f"{STUDY}exchange/matrix/", qda.case_matrix, name="qda_case_matrix"),
    path(f"{STUDY}agreement/", agreement.agreement, name="agreement"),
    path(f"{STUDY}sample/", sampling.sample, name="sample"),
    path(f"{STUDY}sample/<int:pk>/status/", sampling.invitee_status, name="invitee_status"),
    path(
        f"{STUDY}sample/participants/",
        sampling.invitees_to_participants,
        name="invitees_to_participants",
    ),
]
