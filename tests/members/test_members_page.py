"""The lead's members page: invite, change roles, mark leavers, complete broker profiles."""

import pytest
from django.urls import reverse

from activities.models import Activity, Broker
from mail.models import OutgoingMessage
from teams.models import Invitation, Membership
from tests import factories

pytestmark = pytest.mark.django_db


def url(name, team, **kwargs):
    return reverse(f"members:{name}", kwargs={"team": team.slug, **kwargs})


def membership_of(user, team):
    return Membership.objects.get(user=user, team=team)


def test_it_lists_members_with_role_and_status_and_open_invitations(client_for, team, lead, broker):
    factories.invitation(team, email="soon@example.org", role="evaluator")
    left = membership_of(broker, team)
    left.is_active = False
    left.save()

    page = client_for(lead).get(url("member_list", team))

    text = page.content.decode()
    assert "Bea" in text and "Left the team" in text and "Team lead" in text
    assert "soon@example.org" in text


def test_a_lead_invites_several_addresses_at_once(client_for, team, lead):
    response = client_for(lead).post(
        url("invite", team),
        {"emails": "a@example.org, b@example.org\nc@example.org", "role": "broker"},
    )

    assert response.status_code == 302
    assert sorted(Invitation.objects.values_list("email", flat=True)) == [
        "a@example.org",
        "b@example.org",
        "c@example.org",
    ]
    assert OutgoingMessage.objects.filter(template="invitation").count() == 3


def test_invalid_addresses_are_refused_beside_the_field_and_nothing_is_sent(client_for, team, lead):
    response = client_for(lead).post(
        url("invite", team), {"emails": "a@example.org, not-an-address", "role": "broker"}
    )

    assert "not-an-address" in response.context["form"].errors["emails"][0]
    assert not Invitation.objects.exists() and not OutgoingMessage.objects.exists()


def test_an_address_already_a_member_is_refused_beside_the_field(client_for, team, lead, broker):
    broker.email = "bea@example.org"
    broker.save()

    response = client_for(lead).post(
        url("invite", team), {"emails": "BEA@example.org", "role": "lead"}
    )

    assert "Already a member" in response.context["form"].errors["emails"][0]
    assert not Invitation.objects.exists()


def test_inviting_does_not_tell_whether_an_address_has_an_account(
    client_for, team, lead, other_broker
):
    """An account in another team, or none: the lead sees the same answer."""
    other_broker.email = "wyn@example.org"
    other_broker.save()
    client = client_for(lead)

    answers = [
        client.post(url("invite", team), {"emails": address, "role": "broker"}, follow=True)
        for address in ("wyn@example.org", "nobody@example.org")
    ]

    def message(response):
        return [
            str(m).replace("wyn", "X").replace("nobody", "X") for m in response.context["messages"]
        ]

    assert message(answers[0]) == message(answers[1]) == ["Invitation sent to X@example.org."]
    first, second = OutgoingMessage.objects.order_by("pk")
    assert (
        first.text.replace(first.to_address, "").split("/invitations/")[0]
        == (second.text.replace(second.to_address, "").split("/invitations/")[0])
    )


def test_a_lead_revokes_and_resends_invitations(client_for, team, lead):
    invitation, _ = factories.invitation(team)
    client = client_for(lead)

    client.post(url("invitation_resend", team, pk=invitation.pk))
    assert OutgoingMessage.objects.filter(to_address=invitation.email).count() == 1
    client.post(url("invitation_revoke", team, pk=invitation.pk))
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert invitation.history.latest().history_user == lead  # the history names who revoked
    response = client.post(url("invitation_resend", team, pk=invitation.pk), follow=True)
    assert "used or revoked" in str(list(response.context["messages"])[-1])


def test_another_teams_invitation_is_not_found(client_for, team, lead, other_team):
    theirs, _ = factories.invitation(other_team)

    assert client_for(lead).post(url("invitation_revoke", team, pk=theirs.pk)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_a_lead_changes_a_members_role_and_the_history_keeps_it(client_for, team, lead, broker):
    membership = membership_of(broker, team)

    client_for(lead).post(url("member_edit", team, pk=membership.pk), {"role": "evaluator"})

    membership.refresh_from_db()
    assert membership.role == "evaluator"
    latest = membership.history.latest()
    assert (latest.role, latest.history_user) == ("evaluator", lead)


def test_the_last_lead_cannot_demote_themselves(client_for, team, lead):
    membership = membership_of(lead, team)

    response = client_for(lead).post(url("member_edit", team, pk=membership.pk), {"role": "broker"})

    assert "needs an active lead" in response.context["form"].errors["role"][0]
    membership.refresh_from_db()
    assert membership.role == "lead"


def test_the_last_lead_cannot_leave(client_for, team, lead):
    membership = membership_of(lead, team)

    response = client_for(lead).post(url("member_deactivate", team, pk=membership.pk), follow=True)

    assert "needs an active lead" in str(list(response.context["messages"])[0])
    membership.refresh_from_db()
    assert membership.is_active


def test_a_lead_may_step_down_when_another_lead_remains(client_for, team, lead):
    factories.MembershipFactory(team=team, role="lead")
    membership = membership_of(lead, team)

    client_for(lead).post(url("member_edit", team, pk=membership.pk), {"role": "broker"})

    membership.refresh_from_db()
    assert membership.role == "broker"


def test_a_member_who_left_gets_404_and_keeps_their_records(client_for, team, lead, broker):
    activity = factories.ActivityFactory(team=team, lead_broker=broker.broker_profile)
    membership = membership_of(broker, team)

    client_for(lead).post(url("member_deactivate", team, pk=membership.pk))

    membership.refresh_from_db()
    assert not membership.is_active
    assert membership.history.latest().is_active is False
    client = client_for(broker)
    for page in (
        f"/teams/{team.slug}/",
        f"/teams/{team.slug}/activities/",
        activity.get_absolute_url(),
    ):
        assert client.get(page).status_code == 404
    assert Activity.objects.get(pk=activity.pk).lead_broker.user == broker
    assert client.get("/").status_code == 200  # no team left: the list of teams, empty


def test_a_lead_brings_a_member_back(client_for, team, lead, broker):
    membership = membership_of(broker, team)
    membership.is_active = False
    membership.save()

    client_for(lead).post(url("member_reactivate", team, pk=membership.pk))

    assert client_for(broker).get(f"/teams/{team.slug}/").status_code == 200


def test_a_broker_without_a_profile_is_shown_and_the_lead_completes_it(client_for, team, lead):
    user = factories.UserFactory(username="newcomer", first_name="Nia")
    membership = factories.MembershipFactory(team=team, user=user, role="broker")
    client = client_for(lead)

    page = client.get(url("member_list", team))
    assert b'data-testid="missing-profile"' in page.content

    client.post(url("broker_profile", team, pk=membership.pk), {"kind": "nhs_fellow", "fte": "0.4"})

    assert Broker.objects.get(team=team, user=user).kind == "nhs_fellow"
    assert b'data-testid="missing-profile"' not in client.get(url("member_list", team)).content


def test_a_broker_profiles_buddy_is_one_of_the_teams_brokers(
    client_for, team, lead, broker, other_broker
):
    membership = membership_of(broker, team)

    response = client_for(lead).post(
        url("broker_profile", team, pk=membership.pk),
        {"kind": "other", "buddy": other_broker.broker_profile.pk},
    )

    assert "buddy" in response.context["form"].errors


def test_the_activity_form_says_when_the_user_has_no_broker_profile(client_for, team):
    user = factories.UserFactory(username="newcomer")
    factories.MembershipFactory(team=team, user=user, role="broker")

    page = client_for(user).get(reverse("activities:activity_add", kwargs={"team": team.slug}))

    assert b'data-testid="missing-profile"' in page.content
    assert b"Ask your team lead" in page.content


def test_a_member_who_left_is_no_longer_offered_as_a_broker_but_stays_on_their_work(
    client_for, team, lead, broker
):
    activity = factories.ActivityFactory(team=team, lead_broker=broker.broker_profile)
    membership = membership_of(broker, team)
    membership.is_active = False
    membership.save()
    client = client_for(lead)
    team_url = f"/teams/{team.slug}/activities/"

    new = client.get(team_url + "new/").context["form"].fields["lead_broker"].queryset
    edit = client.get(f"{team_url}{activity.pk}/edit/").context["form"].fields["lead_broker"]

    assert broker.broker_profile not in new and lead.broker_profile in new
    assert broker.broker_profile in edit.queryset


def test_the_members_page_takes_the_same_queries_for_any_number_of_members(
    client_for, team, lead, django_assert_num_queries
):
    for n in range(5):
        factories.BrokerFactory(team=team, user=factories.UserFactory(username=f"member{n}"))
        factories.invitation(team, email=f"invited{n}@example.org")
    client = client_for(lead)
    client.get(url("member_list", team))  # the session is read once signed in

    # The session, the user, the lead's membership (tenancy), the members with whether
    # they have a broker profile, the open invitations.
    with django_assert_num_queries(5):
        client.get(url("member_list", team))


def test_giving_an_evaluator_the_broker_role_leads_to_their_broker_profile(
    client_for, team, lead, evaluator
):
    membership = membership_of(evaluator, team)

    response = client_for(lead).post(url("member_edit", team, pk=membership.pk), {"role": "broker"})

    assert response["Location"] == url("broker_profile", team, pk=membership.pk)
