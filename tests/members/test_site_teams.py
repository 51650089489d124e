"""Site administrators create teams in the app and invite each team's first lead."""

import pytest
from django.urls import reverse

from mail.models import OutgoingMessage
from teams.models import Invitation, Team
from tests.members.conftest import token_sent_to

pytestmark = pytest.mark.django_db

NEW_TEAM = {
    "name": "Greater Manchester",
    "slug": "greater-manchester",
    "year_start_month": "1",
    "lead_email": "gm-lead@example.org",
}


def test_an_administrator_creates_a_team_and_its_lead_is_invited(client_for, admin_user):
    client = client_for(admin_user)

    response = client.post(reverse("site_team_add"), NEW_TEAM)

    assert response.status_code == 302 and response["Location"] == reverse("site_team_list")
    team = Team.objects.get(slug="greater-manchester")
    assert (team.name, team.year_start_month) == ("Greater Manchester", 1)
    invitation = Invitation.objects.get(team=team)
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        "gm-lead@example.org",
        "lead",
        admin_user,
    )
    assert token_sent_to("gm-lead@example.org")
    assert team.activity_types.exists()  # the default vocabulary
    listing = client.get(reverse("site_team_list")).content.decode()
    assert "Greater Manchester" in listing and "January" in listing


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("slug", "bristol", "Another team already has this address"),
        ("slug", "Not a slug!", "Enter a valid"),
        ("year_start_month", "13", "Choose a month from the list"),
        ("year_start_month", "", "This field is required"),
        ("lead_email", "nobody", "Enter a valid email address"),
    ],
)
def test_errors_show_beside_the_field_and_nothing_is_saved(
    client_for, admin_user, team, field, value, error
):
    teams = Team.objects.count()

    response = client_for(admin_user).post(reverse("site_team_add"), NEW_TEAM | {field: value})

    assert response.status_code == 200
    assert error in " ".join(response.context["form"].errors[field])
    assert Team.objects.count() == teams
    assert not Invitation.objects.exists() and not OutgoingMessage.objects.exists()


def test_a_mail_that_cannot_be_queued_leaves_no_team(client_for, admin_user, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the mail template is broken")

    monkeypatch.setattr("members.services.send_mail_to", broken)

    with pytest.raises(RuntimeError):
        client_for(admin_user).post(reverse("site_team_add"), NEW_TEAM)

    assert not Team.objects.filter(slug="greater-manchester").exists()
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("name", ["site_team_list", "site_team_add"])
def test_members_who_are_not_administrators_get_404(client_for, lead, name):
    assert client_for(lead).get(reverse(name)).status_code == 404


def test_the_navigation_links_administrators_to_the_teams(client_for, admin_user, lead):
    assert (
        reverse("site_team_list").encode() in client_for(admin_user).get("/", follow=True).content
    )
    assert reverse("site_team_list").encode() not in client_for(lead).get("/teams/bristol/").content
