"""Reports that reach people and funders: the quarter's recipients (the lead's), the
confirmation link an outside address is sent, saved reports and their subscriptions
(everyone's), the Researchfish export (everyone's) and its mapping (the lead's)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from activities.models import Activity
from evaluations.filters import ReportPeriodFilterSet
from evaluations.forms_distribution import (
    RecipientForm,
    ResearchfishMappingForm,
    SavedReportForm,
    SubscriptionForm,
)
from evaluations.models import ReportRecipient, ReportSubscription, SavedReport
from evaluations.reports.researchfish import BY_CODE, NEEDS_A_PERSON, ResearchfishExport
from evaluations.reports.saved import SavedReportRun
from kmtracker.lib.names import display_name
from mail.send import send_mail_to
from teams import submissions
from teams.tenancy import LEAD, team_view

# Recipients of the quarterly report -------------------------------------------------


@team_view(LEAD)
def recipient_list(request, access):
    form = RecipientForm(request.POST or None, access=access)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                submissions.claim(form.cleaned_data.get(submissions.FIELD), access)
                recipient = _add_recipient(request, access, form.cleaned_data)
        except (submissions.AlreadySubmitted, IntegrityError):
            messages.info(request, "That recipient was added already.")
        else:
            if recipient.is_confirmed:
                messages.success(request, f"{display_name(recipient.user)} will get the report.")
            else:
                messages.success(request, f"A confirmation link was sent to {recipient.address}.")
        return redirect("evaluations:recipient_list", team=access.team.slug)
    recipients = access.scoped(ReportRecipient).select_related("user")
    context = {"team": access.team, "form": form, "recipients": recipients}
    return render(request, "evaluations/recipient_list.html", context)


def _add_recipient(request, access, data):
    """The recipient, made; an outside address is sent its confirmation link."""
    if data["member"]:
        return ReportRecipient.objects.create(
            team=access.team,
            user=data["member"],
            added_by=request.user,
            confirmed_at=timezone.now(),
        )
    recipient = ReportRecipient.objects.create(
        team=access.team, address=data["address"], name=data["name"], added_by=request.user
    )
    confirm_url = reverse("report_recipient_confirm", args=[recipient.token])
    send_mail_to(
        recipient.address,
        template="report_recipient_confirm",
        context={"confirm_url": confirm_url, "added_by": display_name(request.user)},
        team=access.team,
    )
    return recipient


@team_view(LEAD)
@require_POST
def recipient_remove(request, access, pk):
    recipient = access.get(ReportRecipient, pk=pk)
    recipient.delete()
    messages.success(request, f"{recipient.email} will no longer get the report.")
    return redirect("evaluations:recipient_list", team=access.team.slug)


@login_not_required
@require_http_methods(["GET", "POST"])
def recipient_confirm(request, token):
    """The link sent to an outside address. GET shows a button (a link checker that opens
    the link confirms nothing); POST confirms."""
    recipient = get_object_or_404(ReportRecipient.objects.select_related("team"), token=token)
    if request.method == "POST":
        recipient.confirm()
        # Back to the link's page, which now says it is confirmed (a reload sends nothing).
        return redirect(request.path)
    return render(request, "evaluations/recipient_confirm.html", {"recipient": recipient})


# Saved reports ----------------------------------------------------------------------


@team_view()
def saved_report_list(request, access):
    """The team's saved reports; POST saves a new one (from the activity list's filters)."""
    initial = {"filters": request.GET.urlencode()}
    form = SavedReportForm(request.POST or None, initial=initial, access=access)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                submissions.claim(form.cleaned_data.get(submissions.FIELD), access)
                form.instance.team, form.instance.owner = access.team, request.user
                saved = form.save()
        except (submissions.AlreadySubmitted, IntegrityError):
            messages.info(request, "That report was saved already.")
            return redirect("evaluations:saved_report_list", team=access.team.slug)
        messages.success(request, f"“{saved.name}” saved.")
        return redirect("evaluations:saved_report_detail", team=access.team.slug, pk=saved.pk)
    saved = access.scoped(SavedReport).select_related("owner")
    context = {"team": access.team, "form": form, "saved_reports": saved}
    return render(request, "evaluations/saved_report_list.html", context)


@team_view()
def saved_report_detail(request, access, pk):
    saved = access.get(SavedReport, pk=pk)
    run = SavedReportRun(access, saved)
    subscription = (
        access.scoped(ReportSubscription).active().filter(saved_report=saved, user=request.user)
    ).first()
    context = {
        "team": access.team,
        "saved": saved,
        "run": run,
        "subscription": subscription,
        "subscribe_form": SubscriptionForm(),
        **run.context(),
    }
    return render(request, "evaluations/saved_report_detail.html", context)


@team_view()
@require_POST
def saved_report_subscribe(request, access, pk):
    """Subscribe oneself (monthly or quarterly), or with `stop`, end one's subscription."""
    saved = access.get(SavedReport, pk=pk)
    mine = access.scoped(ReportSubscription).active().filter(saved_report=saved, user=request.user)
    if "stop" in request.POST:
        for subscription in mine:
            subscription.end("unsubscribed")
        messages.success(request, f"You will no longer receive “{saved.name}”.")
    else:
        form = SubscriptionForm(request.POST)
        if form.is_valid():
            frequency = form.cleaned_data["frequency"]
            try:
                with transaction.atomic():
                    mine.update(frequency=frequency)
                    if not mine.exists():
                        ReportSubscription.objects.create(
                            saved_report=saved, user=request.user, frequency=frequency
                        )
            except IntegrityError:
                pass  # subscribed by a simultaneous request
            messages.success(request, f"You will receive “{saved.name}” {frequency}.")
    return redirect("evaluations:saved_report_detail", team=access.team.slug, pk=saved.pk)


# Researchfish -----------------------------------------------------------------------


@team_view()
def researchfish(request, access):
    """The Researchfish sections of any period: counts, rows to complete, and the files."""
    filterset = ReportPeriodFilterSet(
        request.GET or None, queryset=access.scoped(Activity), request=request
    )
    context = {"team": access.team, "filter": filterset, "needs_a_person": NEEDS_A_PERSON}
    if filterset.is_bound and filterset.is_valid():
        export = ResearchfishExport(access, *filterset.period)
        kind = request.GET.get("export")
        if kind == "xlsx":
            return export.xlsx_response()
        if kind == "csv":
            section = request.GET.get("section", "engagement")
            if section not in BY_CODE:
                raise Http404("No such Researchfish section.")
            return export.csv_response(section)
        context |= {"export": export, "sections": export.sections()}
    return render(request, "evaluations/researchfish.html", context)


@team_view(LEAD)
def researchfish_mapping(request, access):
    form = ResearchfishMappingForm(request.POST or None, access=access)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
        messages.success(request, "Researchfish mapping saved.")
        return redirect("evaluations:researchfish_mapping", team=access.team.slug)
    return render(
        request, "evaluations/researchfish_mapping.html", {"team": access.team, "form": form}
    )
