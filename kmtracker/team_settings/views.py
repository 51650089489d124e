"""Team settings pages, for the team's lead only (others 403, non-members 404).

One page shows the team and its vocabularies; small pages add, change, move,
merge and delete their entries. Every change is saved by the request's user,
so the history says who made it.
"""

from django.contrib import messages
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from activities.models import ActivityType, Topic
from evaluations.models import LogTag
from kmtracker.lib.edit_conflicts import conflict_form, save_checked
from kmtracker.lib.versioning import VersionConflict
from kmtracker.team_settings import forms
from teams.generic import TeamCreateView, TeamUpdateView
from teams.models import Team
from teams.tenancy import LEAD, team_view


def _to_settings(access):
    return redirect("team_settings:settings", team=access.team.slug)


def _page(request, access, form, status=200, **context):
    return render(
        request,
        "team_settings/settings.html",
        {
            "team": access.team,
            "form": form,
            "types_by_category": access.scoped(ActivityType).with_use_count().by_category(),
            "topics": access.scoped(Topic).with_use_count().order_by("name"),
            "tags": access.scoped(LogTag).order_by("position", "label"),
            **context,
        },
        status=status,
    )


@team_view(LEAD)
def team_settings(request, access):
    """The team and its vocabularies; a new year start is confirmed before it is saved."""
    form = forms.TeamSettingsForm(request.POST or None, access=access)
    if request.method != "POST" or not form.is_valid():
        return _page(request, access, form)
    if form.needs_confirmation:
        return _page(request, access, form, confirmation=form.year_start_summary())
    try:
        save_checked(form)
    except (VersionConflict, IntegrityError):
        saved = Team.objects.get(pk=access.team.pk)
        form, conflict = conflict_form(forms.TeamSettingsForm, request.POST, saved, access=access)
        return _page(request, access, form, status=409, conflict=conflict)
    messages.success(request, "Team settings saved.")
    return _to_settings(access)


class VocabularyMixin:
    """For the lead alone; back to the settings page once saved."""

    permission = LEAD
    template_name = "team_settings/vocabulary_form.html"

    def get_success_url(self):
        return reverse("team_settings:settings", kwargs={"team": self.access.team.slug})


class ActivityTypeCreateView(VocabularyMixin, TeamCreateView):
    model, form_class = ActivityType, forms.ActivityTypeForm
    success_message = "Type of activity “{object}” added."


class ActivityTypeUpdateView(VocabularyMixin, TeamUpdateView):
    model, form_class = ActivityType, forms.ActivityTypeForm
    success_message = "Type of activity “{object}” saved."


class TopicUpdateView(VocabularyMixin, TeamUpdateView):
    model, form_class = Topic, forms.TopicForm
    success_message = "Topic “{object}” saved."


class LogTagCreateView(VocabularyMixin, TeamCreateView):
    model, form_class = LogTag, forms.LogTagForm
    success_message = "Tag “{object}” added."


class LogTagUpdateView(VocabularyMixin, TeamUpdateView):
    model, form_class = LogTag, forms.LogTagForm
    success_message = "Tag “{object}” saved."


@team_view(LEAD)
@require_POST
def activity_type_move(request, access, pk):
    """One place up or down among the types of its category."""
    activity_type = access.get(ActivityType, pk=pk)
    activity_type.move(-1 if request.POST.get("direction") == "up" else 1)
    return _to_settings(access)


@team_view(LEAD)
def activity_type_delete(request, access, pk):
    """Delete a type no activity has; one in use can only be retired."""
    activity_type = access.get(ActivityType, pk=pk)
    if request.method == "POST":
        if activity_type.delete_if_unused():
            messages.success(request, f"Type of activity “{activity_type}” deleted.")
        else:
            messages.error(request, f"“{activity_type}” is used by activities: retire it instead.")
        return _to_settings(access)
    context = {"team": access.team, "object": activity_type, "in_use": activity_type.in_use}
    return render(request, "team_settings/activity_type_confirm_delete.html", context)


@team_view(LEAD)
def topic_merge(request, access, pk):
    """Move every activity of one topic to another, and delete the first."""
    topic = access.get(Topic, pk=pk)
    form = forms.TopicMergeForm(request.POST or None, access=access, topic=topic)
    if request.method == "POST" and form.is_valid():
        moved = form.save()
        into = form.cleaned_data["into"]
        messages.success(request, f"“{topic}” merged into “{into}”: {moved} activities moved.")
        return _to_settings(access)
    context = {"team": access.team, "object": topic, "form": form, "merging": True}
    return render(request, "team_settings/vocabulary_form.html", context)
