"""Quarterly progress reports: the index, a quarter's report and its outputs, the
narrative, sign-off and reopening, and the same report for any period.

Everyone in the team reads reports; only the lead writes the narrative, signs
off and reopens (others get 403). The figures come from `evaluations/reports/`.
"""

from django.contrib import messages
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from activities.models import Activity, Category
from activities.views.history import history_context
from evaluations.filters import ReportPeriodFilterSet
from evaluations.forms.reports import NarrativeForm, ReopenForm
from evaluations.models import QuarterlyReport
from evaluations.reports import distribution, exports
from evaluations.reports.charts import chart_data, monthly_table
from evaluations.reports.computation import compute_figures
from evaluations.reports.narrative import placeholders
from evaluations.reports.pages import QuarterReport, quarters_with_data
from evaluations.reports.periods import ReportPeriods
from kmtracker.lib.edit_conflicts import conflict_form, save_checked
from kmtracker.lib.quarters import Quarter
from kmtracker.lib.versioning import VersionConflict
from teams.tenancy import LEAD, team_view


def _quarter(access, slug):
    try:
        return Quarter.from_slug(slug, access.team.year_start_month)
    except ValueError as error:
        raise Http404("No such quarter.") from error


def _to_report(access, quarter):
    return redirect("evaluations:report_detail", team=access.team.slug, quarter=quarter.slug)


def _export(request, access, figures, periods, about=()):
    """The CSV or XLSX download that `?export=` asks for, or None for the page."""
    export = request.GET.get("export")
    if export == "csv":
        return exports.csv_response(access.team, figures, periods)
    if export == "xlsx":
        return exports.xlsx_response(access.team, figures, periods, about)
    return None


@team_view()
def report_index(request, access):
    return render(
        request,
        "evaluations/report_index.html",
        {
            "team": access.team,
            "entries": quarters_with_data(access),
            "filter": _period_filter(request, bound=False),
        },
    )


def _quarter_report(request, access, slug, template):
    report = QuarterReport(
        access, _quarter(access, slug), show_current=request.GET.get("figures") == "current"
    )
    if request.GET.get("export") in ("csv", "xlsx") and not report.show_current:
        # The files of the sign-off, as its recipients were sent them.
        return distribution.signed_off_download(report, request.GET["export"])
    about = [("status", report.status())]
    download = _export(request, access, report.figures, report.periods, about)
    return download or render(request, template, report.context())


@team_view()
def report_detail(request, access, quarter):
    return _quarter_report(request, access, quarter, "evaluations/report_detail.html")


@team_view()
def report_print(request, access, quarter):
    """The report laid out for A4 paper: no navigation, no table or chart cut across pages."""
    return _quarter_report(request, access, quarter, "evaluations/report_print.html")


@team_view(LEAD)
def report_narrative(request, access, quarter):
    quarter = _quarter(access, quarter)
    page = QuarterReport(access, quarter)
    report = page.record
    if report.is_signed_off:
        messages.error(request, "This quarter is signed off: reopen it to change the narrative.")
        return _to_report(access, quarter)
    known = placeholders(page.current)
    form = NarrativeForm(request.POST or None, instance=report, placeholders=known)
    context = {"team": access.team, "quarter": quarter, "report": report}
    context["placeholder_sections"] = _by_section(known)
    if request.method == "POST" and form.is_valid():
        try:
            save_checked(form)
        except (VersionConflict, IntegrityError):  # or another lead began the report just now
            saved = QuarterlyReport.for_quarter(access, quarter)
            form, conflict = conflict_form(NarrativeForm, request.POST, saved, placeholders=known)
            context |= {"form": form, "conflict": conflict}
            return render(request, "evaluations/report_narrative.html", context, status=409)
        messages.success(request, f"Narrative of {quarter.short_label} saved.")
        return _to_report(access, quarter)
    return render(request, "evaluations/report_narrative.html", {**context, "form": form})


def _by_section(known):
    """[(section title, [Placeholder])] in report order, for the list beside the form."""
    sections = {}
    for placeholder in known.values():
        sections.setdefault(placeholder.section, []).append(placeholder)
    return list(sections.items())


@team_view()
def report_history(request, access, quarter):
    """Every change to the quarter's narrative and sign-off, for everyone in the team."""
    quarter = _quarter(access, quarter)
    report = QuarterlyReport.for_quarter(access, quarter)
    back = reverse("evaluations:report_detail", args=[access.team.slug, quarter.slug])
    context = history_context(report, access, back) | {"record_label": quarter.label}
    return render(request, "activities/record_history.html", {"team": access.team, **context})


@team_view(LEAD)
@require_POST
def report_signoff(request, access, quarter):
    quarter = _quarter(access, quarter)
    report = QuarterlyReport.of_quarter(access.team, quarter)
    periods = ReportPeriods.for_quarter(quarter, today=timezone.localdate())
    figures = compute_figures(access, periods)
    if report.sign_off(request.user, figures):
        distribution.on_sign_off(report)
        messages.success(request, f"{quarter.short_label} signed off: its figures are frozen.")
    else:
        messages.info(request, f"{quarter.short_label} was already signed off.")
    return _to_report(access, quarter)


@team_view(LEAD)
@require_POST
def report_reopen(request, access, quarter):
    quarter = _quarter(access, quarter)
    report = QuarterlyReport.for_quarter(access, quarter)
    form = ReopenForm(request.POST)
    if report.pk is None or not form.is_valid():
        messages.error(request, "This quarter could not be reopened.")
    elif report.reopen(request.user, form.cleaned_data["note"]):
        messages.success(request, f"{quarter.short_label} reopened: its figures follow the log.")
    else:
        messages.info(request, f"{quarter.short_label} was not signed off.")
    return _to_report(access, quarter)


def _period_filter(request, bound=True):
    return ReportPeriodFilterSet(
        (request.GET or None) if bound else None,
        queryset=request.team_access.scoped(Activity),
        request=request,
    )


def _period_report(request, access, template):
    filterset = _period_filter(request)
    context = {"team": access.team, "filter": filterset, "periods": None}
    if filterset.is_bound and filterset.is_valid():
        periods = ReportPeriods.for_range(*filterset.period, access.team.year_start_month)
        figures = compute_figures(access, periods)
        download = _export(request, access, figures, periods)
        if download:
            return download
        context |= {
            "periods": periods,
            "figures": figures,
            "charts": chart_data(figures, periods),
            "monthly": monthly_table(figures, periods),
            "categories": Category.choices,
        }
    return render(request, template, context)


@team_view()
def report_period(request, access):
    """The report for any dates, chosen with the activity FilterSet's date range."""
    return _period_report(request, access, "evaluations/report_period.html")


@team_view()
def report_period_print(request, access):
    return _period_report(request, access, "evaluations/report_print.html")
