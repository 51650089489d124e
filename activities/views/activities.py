"""Log, find, read, change and delete activities."""

from activities.exports.activities import ACTIVITIES, ACTIVITY_CONTACTS
from activities.filters import ActivityFilterSet
from activities.forms import ActivityForm, ContactQuickForm
from activities.models import Activity, Contact, Project
from activities.querysets import know_link_ids
from activities.views.deleting import RecordDeleteView
from kmtracker.lib.history.reading import history_of
from kmtracker.lib.inputs import as_id
from kmtracker.lists.paging import CappedPaginator, count_and_first_date
from kmtracker.lists.views import TeamListView
from teams.generic import TeamCreateView, TeamDetailView, TeamUpdateView
from teams.submissions import add_token_field


class ActivityListView(TeamListView):
    model = Activity
    filterset_class = ActivityFilterSet
    template_name = "activities/activity_list.html"
    partial_template_name = "activities/partials/activity_table.html"
    exports = (ACTIVITIES, ACTIVITY_CONTACTS)
    paginator_class = CappedPaginator

    def get_queryset(self):
        return self.access.scoped(Activity).for_list_page()

    def get_paginator(self, queryset, per_page, **kwargs):
        # One query counts the matching rows (up to a cap) and finds the team's first
        # activity, which the quarter filter needs to list its choices.
        matched, first_date = count_and_first_date(
            queryset, self.access.scoped(Activity), limit=self.paginator_class.limit
        )
        self.filterset.know_first_activity_date(first_date)
        rows = queryset.only_list_columns()
        return self.paginator_class(rows, per_page, matched=matched, **kwargs)


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
        initial = super().get_initial()
        # "Log activity for this project" and "with this contact": ids the reader may see.
        project = as_id(self.request.GET.get("project"))
        if project is not None:
            initial["project"] = self.access.get(Project, pk=project).pk
        contact = as_id(self.request.GET.get("contact"))
        if contact is not None:
            chosen = self.access.get(Contact, pk=contact)
            initial["contacts"] = [chosen.pk]
            if chosen.organisation_id:
                initial["organisations"] = [chosen.organisation_id]
        return initial


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
        # The page shows the links; a save needs only their ids (read_with), and its type.
        rows = super().get_queryset()
        if self.request.method == "POST":
            return rows.select_related("activity_type")
        return rows.with_links()

    def read_with(self, activity):
        return know_link_ids(activity) if self.request.method == "POST" else activity

    def may_change(self, activity):
        return activity.can_edit(self.access)


class ActivityDeleteView(RecordDeleteView):
    """Delete after confirmation; only those who may edit the activity may delete it."""

    model = Activity
    record_form = ActivityForm
    template_name = "activities/activity_confirm_delete.html"
    list_url_name = "activities:activity_list"

    def may_change(self, activity):
        return activity.can_edit(self.access)
