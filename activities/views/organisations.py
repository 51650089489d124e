"""The organisations the team works with.

Organisations are shared by every team of the installation; a team's list shows
those its contacts work for or its activities involve, with how much the team
has to do with each, so that it never lists another team's partners.
"""

from activities import exports
from activities.filters import OrganisationFilterSet
from activities.models import Organisation
from kmtracker.lists.views import TeamListView


class OrganisationListView(TeamListView):
    model = Organisation
    filterset_class = OrganisationFilterSet
    template_name = "activities/organisation_list.html"
    partial_template_name = "activities/partials/organisation_table.html"
    exports = (exports.ORGANISATIONS,)

    def get_queryset(self):
        return Organisation.objects.of_team(self.team).order_by("name", "pk")
