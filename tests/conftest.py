"""Personas: a broker, a lead and an evaluator of team A; the same three of team B; anonymous.

`client_for(persona)` gives a signed-in test client.
"""

import pytest

from tests import factories

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Personas get passwords; the production hasher would make the suite several times slower."""
    settings.PASSWORD_HASHERS = FAST_HASHER


@pytest.fixture
def team(db):
    return factories.TeamFactory(name="Bristol", slug="bristol")


@pytest.fixture
def other_team(db):
    return factories.TeamFactory(name="West Midlands", slug="west-midlands")


@pytest.fixture
def broker(team):
    """A broker of team A, with a broker profile (`broker.broker_profile`)."""
    profile = factories.BrokerFactory(
        team=team, user=factories.UserFactory(username="broker", first_name="Bea")
    )
    user = profile.user
    user.broker_profile = profile
    return user


@pytest.fixture
def lead(team):
    profile = factories.BrokerFactory(
        team=team,
        user=factories.UserFactory(username="lead", first_name="Lee"),
        membership="lead",
    )
    user = profile.user
    user.broker_profile = profile
    return user


@pytest.fixture
def evaluator(team):
    user = factories.UserFactory(username="evaluator", first_name="Eve")
    factories.MembershipFactory(user=user, team=team, role="evaluator")
    return user


@pytest.fixture
def other_broker(other_team):
    """A broker of team B, who must see nothing of team A."""
    profile = factories.BrokerFactory(
        team=other_team, user=factories.UserFactory(username="wm-broker", first_name="Wyn")
    )
    user = profile.user
    user.broker_profile = profile
    return user


@pytest.fixture
def other_lead(other_team):
    """The lead of team B: a lead's rights, but in another team."""
    profile = factories.BrokerFactory(
        team=other_team,
        user=factories.UserFactory(username="wm-lead", first_name="Wren"),
        membership="lead",
    )
    user = profile.user
    user.broker_profile = profile
    return user


@pytest.fixture
def other_evaluator(other_team):
    user = factories.UserFactory(username="wm-evaluator", first_name="Wil")
    factories.MembershipFactory(user=user, team=other_team, role="evaluator")
    return user


@pytest.fixture
def client_for(client):
    """`client_for(user)` signs `user` in and returns the test client."""

    def sign_in(user):
        if user is not None:
            client.force_login(user)
        return client

    return sign_in
