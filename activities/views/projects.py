"""Projects: placeholder until the project pages are written."""

from django.views.generic import View


class ProjectListView(View):
    pass


ProjectCreateView = ProjectDetailView = ProjectUpdateView = ProjectListView


def project_pipeline(request, team):
    pass
