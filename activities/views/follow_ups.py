"""Follow-ups as tasks: the list of mine (and, for leads, the team's), done and snoozed."""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from activities.exports.activities import FOLLOW_UPS
from activities.filters import FollowUpFilterSet
from activities.models import Activity
from kmtracker.lib.date_fields import DateField
from kmtracker.lists.views import TeamListView
from teams.tenancy import WRITE, team_view


class FollowUpListView(TeamListView):
    model = Activity
    permission = WRITE
    filterset_class = FollowUpFilterSet
    template_name = "activities/follow_up_list.html"
    partial_template_name = "activities/partials/follow_up_table.html"
    exports = (FOLLOW_UPS,)
    noun = ("follow-up", "follow-ups")

    def get_queryset(self):
        return (
            self.access.scoped(Activity)
            .follow_ups()
            .select_related("team", "lead_broker__user", "follow_up_done_by")
        )

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        return super().get_context_data(today=today, snooze_default=snooze_default(today), **kwargs)


def snooze_default(today):
    """The day a snooze offers first: a week on."""
    return today + datetime.timedelta(days=7)


class SnoozeForm(forms.Form):
    until = DateField(label="Snooze to")

    def clean_until(self):
        until = self.cleaned_data["until"]
        if until <= timezone.localdate():
            raise forms.ValidationError("Snooze to a day after today.")
        return until


def _follow_up(access, pk):
    """The activity whose follow-up the user may change: theirs, or any for a lead."""
    activity = access.get(Activity, pk=pk)
    if activity.follow_up_date is None or not activity.can_edit(access):
        raise PermissionDenied
    return activity


def _back(request, access):
    """Where the button was pressed (a page of this site), or the follow-ups page."""
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        return redirect(back)
    return redirect(reverse("activities:follow_up_list", args=[access.team.slug]))


@require_POST
@team_view(WRITE)
def follow_up_done(request, access, pk):
    """Mark the follow-up done, by this user, now."""
    activity = _follow_up(access, pk)
    if not activity.follow_up_is_done:
        activity.mark_follow_up_done(request.user)
    messages.success(request, f"Follow-up of “{activity.title}” done.")
    return _back(request, access)


@require_POST
@team_view(WRITE)
def follow_up_snooze(request, access, pk):
    """Move the follow-up to a later day."""
    activity = _follow_up(access, pk)
    form = SnoozeForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["until"]))
        return _back(request, access)
    activity.snooze_follow_up(form.cleaned_data["until"])
    until = form.cleaned_data["until"]
    messages.success(request, f"Follow-up of “{activity.title}” snoozed to {until:%-d %b %Y}.")
    return _back(request, access)
