"""The invitation link's page: join with a new account or the one you are signed in with."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from freezegun import freeze_time

from activities.models import Broker
from members import services
from teams.models import Membership
from tests import factories
from tests.members.conftest import token_sent_to

pytestmark = pytest.mark.django_db

NEW_ACCOUNT = {
    "account-first_name": "Ada",
    "account-last_name": "Lovelace",
    "account-username": "ada@example.org",
    "account-password1": "a long enough passphrase 42",
    "account-password2": "a long enough passphrase 42",
}
PROFILE = {"broker-kind": "nhs_fellow", "broker-fte": "0.6", "broker-contract_start": "2025-04-01"}


def invite(team, lead, role="broker", email="ada@example.org"):
    services.invite(team, [email], role, lead)
    return reverse("invitation_accept", kwargs={"token": token_sent_to(email)})


def test_a_new_person_sets_a_password_and_their_broker_profile_in_one_step(client, team, lead):
    url = invite(team, lead)
    organisation = factories.OrganisationFactory(name="North Bristol NHS Trust")
    page = client.get(url)
    assert page.status_code == 200 and b"Join Bristol" in page.content

    response = client.post(
        url, NEW_ACCOUNT | PROFILE | {"broker-home_organisation": organisation.pk}
    )

    assert response.status_code == 302 and response["Location"] == "/teams/bristol/"
    user = get_user_model().objects.get(username="ada@example.org")
    assert user.email == "ada@example.org" and user.check_password("a long enough passphrase 42")
    assert Membership.objects.get(user=user).role == "broker"
    broker = Broker.objects.get(user=user, team=team)
    assert (broker.kind, str(broker.fte), broker.home_organisation) == (
        "nhs_fellow",
        "0.60",
        organisation,
    )
    assert client.get("/teams/bristol/").status_code == 200  # signed in


def test_field_errors_save_nothing(client, team, lead):
    url = invite(team, lead)
    users = get_user_model().objects.count()
    data = NEW_ACCOUNT | PROFILE | {"account-password2": "other", "broker-fte": "3"}

    response = client.post(url, data)

    assert response.status_code == 200
    assert response.context["account_form"].errors["password2"]
    assert response.context["profile_form"].errors["fte"]
    assert get_user_model().objects.count() == users
    assert not Broker.objects.filter(user__username="ada@example.org").exists()


def test_a_taken_username_is_refused_beside_the_field(client, team, lead):
    factories.UserFactory(username="ada")
    url = invite(team, lead, role="evaluator")

    response = client.post(url, NEW_ACCOUNT | {"account-username": "ADA"})

    assert "username" in response.context["account_form"].errors


def test_an_evaluator_joins_without_a_broker_profile(client, team, lead):
    url = invite(team, lead, role="evaluator")
    assert client.get(url).context["profile_form"] is None

    client.post(url, NEW_ACCOUNT)

    user = get_user_model().objects.get(username="ada@example.org")
    assert Membership.objects.get(user=user).role == "evaluator"
    assert not user.broker_profiles.exists()


def test_someone_signed_in_joins_with_their_account(client, team, lead, other_broker):
    url = invite(team, lead, role="broker", email="wyn@example.org")
    client.force_login(other_broker)
    page = client.get(url)
    assert page.context["account_form"] is None and page.context["profile_form"] is not None

    response = client.post(url, {"broker-kind": "other"})

    assert response.status_code == 302
    assert Membership.objects.get(user=other_broker, team=team).role == "broker"
    assert other_broker.broker_profiles.filter(team=team, kind="other").exists()


def test_an_existing_account_signs_in_first_then_joins(client, team, lead):
    user = factories.UserFactory(username="ada", email="ada@example.org")
    url = invite(team, lead, role="evaluator")

    page = client.get(url)
    sign_in = f"{reverse('login')}?next={url}"
    assert sign_in.encode() in page.content

    client.post(sign_in, {"username": "ada", "password": factories.PASSWORD})
    client.post(url)

    assert Membership.objects.filter(user=user, team=team, role="evaluator").exists()


def test_the_page_is_the_same_whether_or_not_the_address_has_an_account(client, team, lead):
    """Nothing tells the visitor whether the invited address has an account."""
    without = client.get(invite(team, lead, email="nobody@example.org")).content
    factories.UserFactory(username="someone", email="someone@example.org")
    with_account = client.get(invite(team, lead, email="someone@example.org")).content

    def page(content, address):
        text = content.decode()
        return text.replace(address, "ADDRESS").split('name="csrfmiddlewaretoken"')[0]

    assert page(without, "nobody@example.org") == page(with_account, "someone@example.org")


@pytest.mark.parametrize(
    ("close", "status", "heading"),
    [
        ("revoke", 410, b"This invitation was withdrawn"),
        ("use", 410, b"This invitation was used"),
        ("expire", 410, b"This invitation has expired"),
    ],
)
def test_a_link_that_no_longer_works_says_why(client, team, lead, close, status, heading):
    with freeze_time("2025-05-01"):
        url = invite(team, lead, role="evaluator")
        invitation = team.invitations.get()
        if close == "revoke":
            services.revoke(invitation)
        if close == "use":
            services.accept(url.split("/")[-2], factories.UserFactory())
    with freeze_time("2025-05-20" if close == "expire" else "2025-05-02"):
        for response in (client.get(url), client.post(url, NEW_ACCOUNT)):
            assert response.status_code == status
            assert heading in response.content
            assert b"Join Bristol" not in response.content
    assert not get_user_model().objects.filter(username="ada@example.org").exists()


def test_an_unknown_link_says_it_does_not_work(client, db):
    response = client.get(reverse("invitation_accept", kwargs={"token": "not-a-token"}))

    assert response.status_code == 404
    assert b"This link does not work" in response.content


def test_a_member_opening_the_link_is_told_they_are_one_already(client, team, lead, broker):
    url = invite(team, lead, email="bea@example.org")
    client.force_login(broker)

    response = client.post(url, {"broker-kind": "other"})

    assert b"You are already a member" in response.content
    assert team.invitations.get().accepted_at is None
