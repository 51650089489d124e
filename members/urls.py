"""A team's members page, under /teams/<team>/members/ (included by kmtracker/urls.py)."""

from django.urls import path

from members.views import members

app_name = "members"
urlpatterns = [
    path("members/", members.member_list, name="member_list"),
    path("members/invite/", members.invite, name="invite"),
    path("members/<int:pk>/", members.member_edit, name="member_edit"),
    path("members/<int:pk>/leave/", members.member_deactivate, name="member_deactivate"),
    path("members/<int:pk>/return/", members.member_reactivate, name="member_reactivate"),
    path("members/<int:pk>/broker/", members.broker_profile, name="broker_profile"),
    path(
        "members/invitations/<int:pk>/resend/",
        members.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "members/invitations/<int:pk>/revoke/",
        members.invitation_revoke,
        name="invitation_revoke",
    ),
]
