"""Quarterly progress reports, under /teams/<team>/ (see kmtracker/urls.py)."""

from django.urls import path, re_path

from evaluations import views

app_name = "evaluations"

QUARTER = r"(?P<quarter>[12]\d{3}-q[1-4])"

urlpatterns = [
    path("reports/", views.report_index, name="report_index"),
    path("reports/period/", views.report_period, name="report_period"),
    path("reports/period/print/", views.report_period_print, name="report_period_print"),
    re_path(rf"^reports/{QUARTER}/$", views.report_detail, name="report_detail"),
    re_path(rf"^reports/{QUARTER}/print/$", views.report_print, name="report_print"),
    re_path(rf"^reports/{QUARTER}/narrative/$", views.report_narrative, name="report_narrative"),
    re_path(rf"^reports/{QUARTER}/sign-off/$", views.report_signoff, name="report_signoff"),
    re_path(rf"^reports/{QUARTER}/reopen/$", views.report_reopen, name="report_reopen"),
]
