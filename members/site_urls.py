"""Pages outside any team: the invitation link and the site administrators' teams."""

from django.urls import path

from members.views import invitations, site

urlpatterns = [
    path("invitations/<str:token>/", invitations.invitation_accept, name="invitation_accept"),
    path("site/teams/", site.site_team_list, name="site_team_list"),
    path("site/teams/new/", site.site_team_add, name="site_team_add"),
]
