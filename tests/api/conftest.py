"""Tokens for the personas, and a client that sends one."""

import datetime

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from api.models import ApiToken


def make_token(user, team, name="Script", days=30):
    """(token, secret) of `user` in `team`, expiring in `days`."""
    return ApiToken.issue(user, team, name, timezone.now() + datetime.timedelta(days=days))


def token_client(secret):
    """A client that sends `secret` as its bearer token, as a script would (no session)."""
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Each test starts with its tokens' counts at zero (they live in the cache)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_as():
    """`api_as(user, team)`: a client with a fresh token of `user` in `team`."""

    def client(user, team):
        return token_client(make_token(user, team)[1])

    return client
