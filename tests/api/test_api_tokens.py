"""Personal access tokens: made on the account page and shown once, kept hashed, named,
expiring, revocable, last use recorded; a token reads its own team only, as its owner."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from api.models import ApiToken, hash_secret
from audit.models import AccessRecord
from teams.submissions import FIELD
from tests import factories
from tests.api.conftest import make_token, token_client

pytestmark = pytest.mark.django_db


def activities_url(team):
    return reverse("api:activities", kwargs={"team": team.slug})


def test_the_account_page_makes_a_token_shows_it_once_and_keeps_its_hash(team, broker, client_for):
    client = client_for(broker)
    page = client.get(reverse("api_tokens"))
    submission = re.search(rf'name="{FIELD}" value="([^"]+)"', page.content.decode()).group(1)

    made = client.post(
        reverse("api_tokens"),
        {"name": "Power BI", "team": team.pk, "days": 90, FIELD: submission},
    )

    secret = made.context["secret"]
    assert secret.startswith("kmt_") and secret in made.content.decode()
    token = ApiToken.objects.get()
    assert (token.name, token.team, token.user) == ("Power BI", team, broker)
    assert token.digest == hash_secret(secret) and secret not in token.digest
    assert token.shown == secret[:10]
    assert abs(token.expires_at - (timezone.now() + datetime.timedelta(days=90))).seconds < 60
    listed = client.get(reverse("api_tokens"))
    assert "Power BI" in listed.content.decode()
    assert secret not in listed.content.decode()
    assert token_client(secret).get(activities_url(team)).status_code == 200


def test_the_same_form_sent_twice_makes_one_token(team, broker, client_for):
    client = client_for(broker)
    data = {"name": "R", "team": team.pk, "days": 30, FIELD: "a" * 40}

    client.post(reverse("api_tokens"), data)
    again = client.post(reverse("api_tokens"), data)

    assert ApiToken.objects.count() == 1
    assert again.context["secret"] is None


def test_a_token_is_made_only_for_a_team_of_ones_own(team, other_team, broker, client_for):
    response = client_for(broker).post(
        reverse("api_tokens"), {"name": "R", "team": other_team.pk, "days": 30}
    )

    assert "team" in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_a_revoked_token_stops_and_only_its_owner_revokes_it(team, broker, lead, client_for):
    token, secret = make_token(broker, team)

    assert client_for(lead).post(reverse("api_token_revoke", args=[token.pk])).status_code == 404
    assert token_client(secret).get(activities_url(team)).status_code == 200
    client_for(broker).post(reverse("api_token_revoke", args=[token.pk]))

    response = token_client(secret).get(activities_url(team))
    assert response.status_code == 401
    assert response.json() == {"status": 401, "error": "This token is revoked."}


def test_an_expired_token_stops(team, broker):
    token, secret = make_token(broker, team, days=1)

    with freeze_time(timezone.now() + datetime.timedelta(days=2)):
        response = token_client(secret).get(activities_url(team))

    assert response.status_code == 401
    assert response.json()["error"] == "This token is expired."


def test_a_leavers_tokens_stop(team, broker):
    token, secret = make_token(broker, team)
    broker.memberships.filter(team=team).update(is_active=False)

    response = token_client(secret).get(activities_url(team))

    assert response.status_code == 401
    assert "no longer a member" in response.json()["error"]


def test_an_unknown_token_is_refused_with_a_json_401(team):
    response = token_client("kmt_not-a-token").get(activities_url(team))

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json()["error"] == "This token is not known."


def test_a_token_reads_only_its_own_team(team, other_team, broker, other_broker):
    factories.ActivityFactory(team=other_team, lead_broker=other_broker.broker_profile)
    _, secret = make_token(broker, team)
    # A member of both teams: still, a token reads the team it was made for.
    factories.MembershipFactory(user=broker, team=other_team, role="broker")

    response = token_client(secret).get(activities_url(other_team))

    assert response.status_code == 404
    assert response.json() == {"status": 404, "error": "No such team."}


def test_a_token_records_when_it_was_last_used(team, broker):
    token, secret = make_token(broker, team)
    assert token.last_used_at is None

    token_client(secret).get(activities_url(team))

    token.refresh_from_db()
    assert abs(timezone.now() - token.last_used_at).seconds < 60


def test_every_read_is_in_the_access_log(team, evaluator):
    factories.ActivityFactory(team=team)
    factories.ActivityFactory(team=team)
    _, secret = make_token(evaluator, team)

    token_client(secret).get(activities_url(team), {"category": "awareness_raising"})

    record = AccessRecord.objects.get()
    assert record.kind == AccessRecord.Kind.API
    assert (record.user, record.team, record.what) == (evaluator, team, "api:activities")
    assert record.query == "category=awareness_raising"
    assert record.row_count == 0


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
def test_nothing_but_reading(team, broker, method):
    _, secret = make_token(broker, team)

    response = getattr(token_client(secret), method)(activities_url(team))

    assert response.status_code == 405
    assert response.json()["status"] == 405
    assert not AccessRecord.objects.exists()


def test_no_cors_headers_are_sent(team, broker):
    _, secret = make_token(broker, team)

    response = token_client(secret).get(
        activities_url(team), HTTP_ORIGIN="https://evil.example.org"
    )

    assert response.status_code == 200
    assert not [name for name in response.headers if name.lower().startswith("access-control")]


def test_anonymous_requests_get_a_json_401(team):
    response = Client().get(activities_url(team))

    assert response.status_code == 401
    assert response.json()["error"] == "Authentication credentials were not provided."


def test_each_token_has_its_rate_limit(team, broker, settings):
    settings.API_RATE = "3/min"
    _, secret = make_token(broker, team)
    _, other_secret = make_token(broker, team, name="Another")
    client = token_client(secret)

    statuses = [client.get(activities_url(team)).status_code for _ in range(4)]
    refused = client.get(activities_url(team))

    assert statuses == [200, 200, 200, 429]
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["status"] == 429
    assert "throttled" in refused.json()["error"].lower()
    assert token_client(other_secret).get(activities_url(team)).status_code == 200


def test_administrators_list_and_revoke_tokens_in_the_admin(team, broker, client_for):
    admin_user = factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    token, secret = make_token(broker, team, name="Admin-listed")
    client = client_for(admin_user)

    listing = client.get(reverse("admin:api_apitoken_changelist"))
    client.post(
        reverse("admin:api_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )

    assert "Admin-listed" in listing.content.decode()
    assert secret not in listing.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token_client(secret).get(activities_url(team)).status_code == 401
