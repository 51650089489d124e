"""Log, find, read, change and delete activities."""

from contextlib import nullcontext

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.views.generic import DeleteView

from activities import exports
from activities.filters import ActivityFilterSet
from activities.forms import ActivityForm, ContactQuickForm
from activities.forms.base import SignedOffDeleteForm
from activities.models import Activity
from kmtracker.lib.history.reading import history_of
from kmtracker.lib.history.writing import change_reason
from kmtracker.lib.inputs import as_id
from kmtracker.lists.paging import CappedPaginator, count_and_first_date
from kmtracker.lists.views import TeamListView
from teams.generic import TeamCreateView, TeamDetailView, TeamUpdateView
from teams.submissions import add_token_field
from teams.tenancy import WRITE, TeamViewMixin


class ActivityListView(TeamListView):
    model = Activity
    filterset_class = ActivityFilterSet
    template_name = "activities/activity_list.html"
    partial_template_name = "activities/partials/activity_table.html"
    exports = (exports.ACTIVITIES, exports.ACTIVITY_CONTACTS)
    paginator_class = CappedPaginator

    def get_queryset(self):
        return self.access.scoped(Activity).for_list()

    def get_paginator(self, queryset, per_page, **kwargs):
        # One query counts the matching rows (up to a cap) and finds the team's first
        # activity, which the quarter filter needs to list its choices.
        matched, first_date = count_and_first_date(
            queryset, self.access.scoped(Activity), limit=self.paginator_class.limit
        )
        self.filterset.know_first_activity_date(first_date)
        return self.paginator_class(queryset, per_page, matched=matched, **kwargs)


class ActivityFormMixin:
    """The activity form and its "New contact" dialog."""

    model = Activity
    form_class = ActivityForm

    def get_context_data(self, **kwargs):
        contact_form = add_token_field(
            ContactQuickForm(access=self.access, prefix=ContactQuickForm.prefix)
        )
        return super().get_context_data(contact_form=contact_form, **kwargs)


class ActivityCreateView(ActivityFormMixin, TeamCreateView):
    success_message = "Activity “{object}” logged."

    def get_initial(self):
        similar = as_id(self.request.GET.get("similar"))
        if similar is not None:
            return ActivityForm.initial_from(self.access.get(Activity, pk=similar))
        return super().get_initial()


class ActivityDetailView(TeamDetailView):
    model = Activity

    def get_queryset(self):
        return super().get_queryset().with_related()

    def get_context_data(self, **kwargs):
        activity = self.object
        return super().get_context_data(
            can_edit=activity.can_edit(self.access),
            outcomes=activity.outcomes.all(),
            history=history_of(activity, self.access),
            **kwargs,
        )


class ActivityUpdateView(ActivityFormMixin, TeamUpdateView):
    success_message = "Activity “{object}” saved."

    def get_queryset(self):
        return super().get_queryset().prefetch_related("co_brokers", "topics")

    def may_change(self, activity):
        return activity.can_edit(self.access)


class ActivityDeleteView(TeamViewMixin, DeleteView):
    """Delete after confirmation; only those who may edit the activity may delete it."""

    model = Activity
    permission = WRITE
    form_class = SignedOffDeleteForm

    def get_queryset(self):
        return self.access.scoped(Activity)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "access": self.access,
            "record": self.object,
            "dates": ActivityForm.signed_off_dates,
            "record_name": "activity",
        }

    def get_object(self, queryset=None):
        activity = super().get_object(queryset)
        if not activity.can_edit(self.access):
            raise PermissionDenied
        return activity

    def get_success_url(self):
        return reverse("activities:activity_list", kwargs={"team": self.team.slug})

    def form_valid(self, form):
        messages.success(self.request, f"Activity “{self.object}” deleted.")
        with change_reason(form.reason()) if form.reason() else nullcontext():
            return super().form_valid(form)
