from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import TemplateView

from activities.views.calendar import calendar_feed
from evaluations.views import distribution
from kmtracker import accounts, views

team_patterns = [
    path("", views.team_dashboard, name="team_dashboard"),
    path("", include("activities.urls")),
    path("", include("evaluations.urls")),
    path("", include("audit.urls")),
    path("settings/", include("kmtracker.team_settings.urls")),
    path("", include("members.urls")),
]

# Django's views of a forgotten password and of changing one's own (kmtracker/accounts.py).
password_patterns = [
    path("reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path("reset/sent/", accounts.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("change/", accounts.PasswordChangeView.as_view(), name="password_change"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", include(password_patterns)),
    path("accounts/tokens/", accounts.api_tokens, name="api_tokens"),
    path("accounts/tokens/<int:pk>/revoke/", accounts.api_token_revoke, name="api_token_revoke"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "accessibility/",
        login_not_required(TemplateView.as_view(template_name="accessibility.html")),
        name="accessibility",
    ),
    path("teams/<slug:team>/", include(team_patterns)),
    path("calendar/<str:token>.ics", calendar_feed, name="calendar_feed"),
    path("api/v1/", include("api.urls")),
    path("", include("members.site_urls")),
    path("admin/", admin.site.urls),
    path("", include("mail.urls")),
    # The link an outside recipient of a team's reports is sent: no sign-in, the token only.
    path(
        "reports/confirm/<str:token>/",
        distribution.recipient_confirm,
        name="report_recipient_confirm",
    ),
]
