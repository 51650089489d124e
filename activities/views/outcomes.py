"""Record, find, read and change outcomes: what came of the team's activities and projects."""

from functools import cached_property

from django.db.models import Prefetch
from django.urls import reverse

from activities.exports.outcomes import OUTCOMES
from activities.filters import OutcomeFilterSet
from activities.forms import OutcomeForm
from activities.models import Activity, Contact, Outcome, Project
from activities.views.deleting import RecordDeleteView
from kmtracker.lib.history.reading import history_of
from kmtracker.lib.inputs import as_id
from kmtracker.lists.views import TeamListView
from teams.generic import TeamCreateView, TeamDetailView, TeamUpdateView


class OutcomeListView(TeamListView):
    model = Outcome
    filterset_class = OutcomeFilterSet
    template_name = "activities/outcome_list.html"
    partial_template_name = "activities/partials/outcome_table.html"
    exports = (OUTCOMES,)

    def get_queryset(self):
        # The table shows the linked activity and project, not the contacts.
        return self.access.scoped(Outcome).select_related("activity", "project")


class OutcomeCreateView(TeamCreateView):
    """Record an outcome, from an activity (`?activity=<pk>`), a project (`?project=<pk>`) or
    the outcome list; afterwards the user goes back where they came from."""

    model = Outcome
    form_class = OutcomeForm
    success_message = "Outcome recorded."

    @cached_property
    def preset_activity(self):
        return self._preset(Activity, "activity")

    @cached_property
    def preset_project(self):
        return self._preset(Project, "project")

    def _preset(self, model, name):
        pk = as_id(self.request.GET.get(name))
        return self.access.get(model, pk=pk) if pk is not None else None

    def get_initial(self):
        initial = super().get_initial()
        if self.preset_activity is not None:
            initial["activity"] = self.preset_activity.pk
        if self.preset_project is not None:
            initial["project"] = self.preset_project.pk
            if self.request.GET.get("type") in Outcome.Type.values:
                initial["type"] = self.request.GET["type"]
            if self.preset_project.decided_on and initial.get("type") == Outcome.Type.BID_FUNDED:
                initial["date"] = self.preset_project.decided_on
        return initial

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "preset_activity": self.preset_activity}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            preset_activity=self.preset_activity, preset_project=self.preset_project, **kwargs
        )

    def get_success_url(self):
        outcome, slug = self.object, self.team.slug
        if self.preset_activity is not None and outcome.activity_id:
            return reverse("activities:activity_detail", args=[slug, outcome.activity_id])
        if self.preset_project is not None and outcome.project_id:
            return reverse("activities:project_detail", args=[slug, outcome.project_id])
        return reverse("activities:outcome_detail", args=[slug, outcome.pk])


class OutcomeDetailView(TeamDetailView):
    model = Outcome

    def get_queryset(self):
        contacts = Contact.objects.without_details().select_related("organisation")
        return (
            super()
            .get_queryset()
            .select_related("activity", "project", "created_by")
            .prefetch_related(Prefetch("contacts", queryset=contacts))
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_edit=self.access.can_write,
            history=history_of(self.object, self.access),
            **kwargs,
        )


class OutcomeUpdateView(TeamUpdateView):
    model = Outcome
    form_class = OutcomeForm
    success_message = "Outcome saved."

    def get_success_url(self):
        return reverse("activities:outcome_detail", args=[self.team.slug, self.object.pk])


class OutcomeDeleteView(RecordDeleteView):
    model = Outcome
    record_form = OutcomeForm
    list_url_name = "activities:outcome_list"
