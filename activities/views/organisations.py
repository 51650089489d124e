"""The organisations the team works with.

Organisations are shared by every team of the installation; a team's list shows
those its contacts work for or its activities involve, with how much the team
has to do with each, so that it never lists another team's partners.
"""

from activities.filters import OrganisationFilterSet
from activities.models import Organisation
from activities.querysets import organisations_of_team
from activities.views.base import TeamListView


class OrganisationListView(TeamListView):
    model = Organisation
    filterset_class = OrganisationFilterSet
    template_name = "activities/organisation_list.html"
    partial_template_name = "activities/partials/organisation_table.html"
    export_names = ("organisations",)

    def get_queryset(self):
        return organisations_of_team(self.team).order_by("name", "pk")
