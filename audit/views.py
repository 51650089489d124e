"""The access log of a team, for its lead."""

from audit.filters import AccessRecordFilterSet
from audit.models import AccessRecord
from kmtracker.lists.views import TeamListView
from teams.tenancy import LEAD


class AccessLogView(TeamListView):
    permission = LEAD
    filterset_class = AccessRecordFilterSet
    template_name = "audit/access_log.html"
    partial_template_name = "audit/partials/access_table.html"
    noun = ("record", "records")

    def get_queryset(self):
        return AccessRecord.objects.for_team(self.team).select_related("user")

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "team": self.team}
