"""Collaborative projects: list, pipeline by status, detail with their activities and
outcomes, add and edit."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import messages
from django.db.models import F
from django.urls import reverse

from activities.exports.projects import PROJECTS
from activities.filters import ProjectFilterSet
from activities.forms import ProjectForm, ProjectMoveForm
from activities.models import Project
from activities.views.deleting import RecordDeleteView
from kmtracker.lib.history.reading import history_of
from kmtracker.lists.views import TeamListView
from teams.generic import TeamCreateView, TeamDetailView, TeamUpdateView

# The detail page shows the latest activities and links to the full, filtered list.
DETAIL_ACTIVITIES = 20


class ProjectListView(TeamListView):
    model = Project
    filterset_class = ProjectFilterSet
    template_name = "activities/project_list.html"
    partial_template_name = "activities/partials/project_table.html"
    exports = (PROJECTS,)

    def get_queryset(self):
        # The table shows the lead broker, not the partners.
        return self.access.scoped(Project).select_related("lead_broker__user")


class ProjectCreateView(TeamCreateView):
    model = Project
    form_class = ProjectForm
    success_message = "Project “{object}” added."


class ProjectDetailView(TeamDetailView):
    model = Project

    def get_queryset(self):
        return super().get_queryset().with_related().select_related("created_by")

    def get_context_data(self, **kwargs):
        project = self.object
        activities = project.activities.select_related("lead_broker__user", "activity_type")
        return super().get_context_data(
            can_edit=self.access.can_write,
            lacks_funded_outcome=self.access.can_write and project.lacks_funded_outcome(),
            activities=activities.order_by("-date", "-pk")[:DETAIL_ACTIVITIES],
            activity_count=project.activities.count(),
            outcomes=project.outcomes.select_related("activity").order_by("-date", "-pk"),
            history=history_of(project, self.access),
            **kwargs,
        )


class FundedOutcomeOffer:
    """A save that leaves a project funded without its "bid funded" outcome says so; the
    project's page offers to record it."""

    def form_valid(self, form):
        response = super().form_valid(form)
        if self.object.lacks_funded_outcome():
            messages.info(
                self.request,
                f"“{self.object}” has no “bid funded” outcome yet: its page offers to record it.",
            )
        return response


class ProjectMoveView(FundedOutcomeOffer, TeamUpdateView):
    """Move a project to another status from the pipeline; a move that decides it asks
    for the decision date (this page, with the error, when the board did not send one)."""

    model = Project
    form_class = ProjectMoveForm
    template_name = "activities/project_move.html"

    @property
    def success_message(self):
        return "“{object}” moved to " + self.object.get_status_display() + "."

    def get_success_url(self):
        return reverse("activities:project_pipeline", args=[self.team.slug])


class ProjectUpdateView(FundedOutcomeOffer, TeamUpdateView):
    model = Project
    form_class = ProjectForm
    success_message = "Project “{object}” saved."


@dataclass
class PipelineColumn:
    """The projects of one status, with their count and the amounts at stake."""

    status: str
    label: str
    projects: list = field(default_factory=list)

    @property
    def count(self):
        return len(self.projects)

    @property
    def total_requested(self):
        return sum((p.amount_requested or Decimal(0) for p in self.projects), Decimal(0))

    @property
    def total_awarded(self):
        return sum((p.amount_awarded or Decimal(0) for p in self.projects), Decimal(0))


def pipeline_columns(projects):
    """One column per status, in the order projects move through them."""
    columns = {status: PipelineColumn(status, label) for status, label in Project.Status.choices}
    for project in projects:
        columns[project.status].projects.append(project)
    return list(columns.values())


class ProjectPipelineView(TeamListView):
    """The team's projects as columns by status; the list's filters apply."""

    filterset_class = ProjectFilterSet
    template_name = "activities/project_pipeline.html"
    partial_template_name = "activities/project_pipeline_board.html"
    paginate_by = None

    def get_queryset(self):
        return (
            self.access.scoped(Project)
            .select_related("lead_broker__user")
            .order_by(F("deadline").asc(nulls_last=True), "title")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        return context | {
            "columns": pipeline_columns(context["object_list"]),
            "decided_statuses": Project.DECIDED_STATUSES,
        }


class ProjectDeleteView(RecordDeleteView):
    model = Project
    record_form = ProjectForm
    list_url_name = "activities:project_list"
    consequence = (
        "Its outcomes are deleted with it; its activities stay in the log, without the project."
    )

    def before_delete(self, project):
        # The activities lose their project with a change in their history (a database's
        # SET NULL would leave none).
        project.activities.all().update_with_history(user=self.request.user, project=None)
