"""The read API under /api/v1/: the OpenAPI document, its documentation page, and each
team's rows (api/views.py)."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView

from api import views

app_name = "api"

QUARTER = r"(?P<quarter>[12]\d{3}-q[1-4](?:-m(?:1[0-2]|[1-9]))?)"
TEAM = "teams/<slug:team>/"

urlpatterns = [
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="schema"),
    # Swagger UI, its files from drf-spectacular-sidecar; its script is served from this
    # address too (`?script`), so the page keeps the site's Content-Security-Policy.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="api/swagger_ui.html"
        ),
        name="docs",
    ),
    path(f"{TEAM}activities/", views.ActivityRows.as_view(), name="activities"),
    path(
        f"{TEAM}activity-contacts/",
        views.ActivityContactRows.as_view(),
        name="activity_contacts",
    ),
    path(f"{TEAM}contacts/", views.ContactRows.as_view(), name="contacts"),
    path(f"{TEAM}organisations/", views.OrganisationRows.as_view(), name="organisations"),
    path(f"{TEAM}outcomes/", views.OutcomeRows.as_view(), name="outcomes"),
    path(f"{TEAM}projects/", views.ProjectRows.as_view(), name="projects"),
    path(f"{TEAM}reports/period/", views.PeriodReportView.as_view(), name="report_period"),
    re_path(
        rf"^teams/(?P<team>[-a-zA-Z0-9_]+)/reports/{QUARTER}/$",
        views.QuarterReportView.as_view(),
        name="report",
    ),
    path(
        f"{TEAM}studies/<int:study>/excerpts/",
        views.ExcerptRows.as_view(),
        name="excerpts",
    ),
    path(f"{TEAM}studies/<int:study>/matrix/", views.MatrixView.as_view(), name="matrix"),
    re_path(r"^", views.not_found, name="not_found"),
]
