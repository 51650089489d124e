"""Calendar in and out: activities from an uploaded calendar (upload, review, log), the
week view with its quick rows, and each person's private feed of follow-ups and
deadlines.

Between the upload and the review the file is kept in the user's session, as an
import's is (`activities.views.imports`), so that any web process can answer.
"""

import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from activities import feeds
from activities.calendar_import import candidates, log_events, log_on_days
from activities.forms.calendar import (
    CalendarReviewForm,
    CalendarUploadForm,
    QuickActivityForm,
    RepeatForm,
)
from activities.models import Activity, CalendarFeed
from activities.views.imports import _forget, _keep, _kept
from kmtracker.lib.calendars import read_events
from kmtracker.lib.tables import ImportFileError
from teams import submissions
from teams.tenancy import READ, WRITE, team_access, team_view

KIND = "calendar"


@team_view(WRITE)
def calendar_import(request, access):
    token = request.POST.get("upload") or request.GET.get("upload")
    if token:
        return _review(request, access, token)
    form = CalendarUploadForm(request.POST or None, request.FILES or None, tz_name=_tz())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        kept = {"content": data["content"], "encoding": "utf-8"}
        token = _keep(request, access, KIND, data["file"].name, kept)
        query = f"upload={token}&from={data['date_from']}&to={data['date_to']}"
        return redirect(f"{request.path}?{query}")
    context = {"team": access.team, "form": form, "missing_profile": access.broker is None}
    return render(request, "activities/calendar_upload.html", context)


def _review(request, access, token):
    """The review of a kept calendar (GET), or the logging of the ticked events (POST)."""
    upload = _kept(request, access, KIND, token)
    params = request.POST if request.method == "POST" else request.GET
    try:
        first, last = (datetime.date.fromisoformat(params.get(k, "")) for k in ("from", "to"))
        events = read_events(upload["content"], first, last, _tz()) if upload else None
    except (ValueError, ImportFileError):
        events = None
    if events is None:
        messages.error(request, "That upload has expired or was replaced: upload the file again.")
        return redirect(request.path)
    found = candidates(access, events)
    form = CalendarReviewForm(request.POST or None, access=access, candidates=found)
    if request.method == "POST" and access.broker is not None and form.is_valid():
        logged = _log_once(request, access, form)
        if logged is not None:
            _forget(request, access, KIND)
            if logged:
                messages.success(request, f"Logged {logged} activities from your calendar.")
            return redirect(reverse("activities:activity_list", kwargs={"team": access.team.slug}))
    context = {
        "team": access.team,
        "form": form,
        "upload_name": upload["name"],
        "token": token,
        "first": first,
        "last": last,
        "counts": _counts(found),
        "missing_profile": access.broker is None,
    }
    return render(request, "activities/calendar_review.html", context)


def _log_once(request, access, form):
    """Log the ticked events unless this review was sent before or one was logged meanwhile:
    the number logged, or None (and a message) when nothing was."""
    try:
        with transaction.atomic():
            submission = submissions.claim(form.cleaned_data.get(submissions.FIELD), access)
            logged = log_events(access, form.cleaned_data["chosen"])
            url = reverse("activities:activity_list", kwargs={"team": access.team.slug})
            submissions.record(submission, url, logged=len(logged))
    except submissions.AlreadySubmitted:
        messages.info(request, "These events were already logged.")
        return 0
    except IntegrityError:
        messages.error(
            request,
            "One of the events was logged meanwhile, from another upload; nothing was saved. "
            "The list below shows it as logged now.",
        )
        return None
    return len(logged)


def _counts(found):
    return {
        "events": len(found),
        "kept": sum(1 for c in found if c.kept_by_default),
        "already": sum(1 for c in found if c.already),
        "left_out": sum(1 for c in found if c.left_out and not c.already),
    }


def _tz():
    return settings.TIME_ZONE


@team_view(WRITE)
def activity_week(request, access):
    monday = _monday(request.GET.get("week"))
    days = [monday + datetime.timedelta(days=n) for n in range(7)]
    post = request.POST if request.method == "POST" else None
    action = request.POST.get("action") or (
        "repeat" if any(key.startswith("repeat-") for key in request.POST) else "week"
    )
    rows = [
        QuickActivityForm(post if action == "week" else None, access=access, day=d, prefix=f"d{n}")
        for n, d in enumerate(days)
    ]
    repeat = RepeatForm(post if action == "repeat" else None, access=access, prefix="repeat")
    token = submissions.add_token_field(_TokenForm(post if action == "week" else None))
    if post is not None and access.broker is not None:
        made = _save_week(request, access, action, rows, days, repeat, token)
        if made is not None:
            if made:
                messages.success(request, f"Logged {made} activities.")
            else:
                messages.info(request, "These activities were already logged.")
            return redirect(f"{request.path}?week={monday}")
    by_day = (
        Activity.objects.for_user(access.user).for_team(access.team).week_of(access.broker, days)
    )
    context = {
        "team": access.team,
        "days": [(day, by_day[day], row) for day, row in zip(days, rows, strict=True)],
        "repeat": repeat,
        # The form sent, with its errors (the repeat form when none was).
        "form": next((r for r in rows if r.errors), repeat) if action == "week" else repeat,
        "token": token,
        "monday": monday,
        "previous": monday - datetime.timedelta(days=7),
        "next": monday + datetime.timedelta(days=7),
        "missing_profile": access.broker is None,
    }
    return render(request, "activities/activity_week.html", context)


class _TokenForm(forms.Form):
    """The one-time token of the week's quick rows."""


def _save_week(request, access, action, rows, days, repeat, token):
    """Log the week's filled rows, or the repeated activity: how many, or None if invalid."""
    if action == "repeat":
        if not repeat.is_valid():
            return None
        data = repeat.cleaned_data
        new = [
            (d, data["title"], data["activity_type"], data["duration_minutes"])
            for d in data["dates"]
        ]
        token_value = data.get(submissions.FIELD)
    else:
        if not all(row.is_valid() for row in rows) or not token.is_valid():
            return None
        new = [
            (
                day,
                r.cleaned_data["title"],
                r.cleaned_data["activity_type"],
                r.cleaned_data["duration_minutes"],
            )
            for day, r in zip(days, rows, strict=True)
            if r.filled
        ]
        token_value = token.cleaned_data.get(submissions.FIELD)
    if not new:
        messages.info(request, "Nothing to log: give at least one row a title.")
        return None
    try:
        with transaction.atomic():
            submission = submissions.claim(token_value, access)
            made = log_on_days(access, new)
            submissions.record(submission, request.path, logged=len(made))
    except submissions.AlreadySubmitted:
        return 0
    return len(made)


def _monday(text):
    try:
        day = datetime.date.fromisoformat(text or "")
    except ValueError:
        day = timezone.localdate()
    return day - datetime.timedelta(days=day.weekday())


@team_view(READ)
def calendar_feed_settings(request, access):
    """The person's feed: make (or make again), or stop it. The address is shown once."""
    address, status = None, 200
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            CalendarFeed.revoke(access.team, access.user)
            messages.success(request, "Your calendar feed is stopped: its address answers no more.")
            return redirect(request.path)
        _feed, token = CalendarFeed.issue(access.team, access.user)
        address = request.build_absolute_uri(reverse("calendar_feed", kwargs={"token": token}))
        # Created: the page itself shows the new address, once (a redirect would lose it).
        status = 201
    live = access.scoped(CalendarFeed).of_person(access.user).live().first()
    context = {"team": access.team, "feed": live, "address": address}
    return render(request, "activities/calendar_feed.html", context, status=status)


@login_not_required  # a calendar client has no session: the token is the key
@require_GET
def calendar_feed(request, token):
    feed = CalendarFeed.live(token)
    if feed is None:
        raise Http404("No such feed.")
    access = team_access(feed.user, feed.team.slug)
    CalendarFeed.objects.filter(pk=feed.pk).update(last_read_at=timezone.now())
    return feeds.feed_of(access, request.build_absolute_uri)
