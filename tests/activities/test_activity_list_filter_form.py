"""The activity list's filter form, kept once drawn: the same markup, never another team's
or an old choice."""

import datetime
import re

import pytest
from django.template import Context, Template
from django.urls import reverse
from freezegun import freeze_time

from activities.models import ActivityType
from kmtracker.lists.drawn_forms import forget_drawn_forms
from tests import factories

pytestmark = pytest.mark.django_db

# The filter form as the page drew it before it was kept.
INCLUDED = Template('{% include "includes/filter_form.html" with target="#results" %}')


CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def list_url(team):
    return reverse("activities:activity_list", kwargs={"team": team.slug})


def page(client, team, **params):
    response = client.get(list_url(team), params)
    assert response.status_code == 200
    return response


def form_of(response):
    """The page's filter form, from its <form> to its </form>."""
    html = response.content.decode()
    start = html.index('<form class="mb-3 filter-form"')
    return html[start : html.index("</form>", start) + len("</form>")]


def unmasked(response):
    """The page without its sign-out form's CSRF token, masked afresh on every request."""
    return CSRF_TOKEN.sub("", response.content.decode())


def drawn_afresh(response):
    """The filter form drawn by the template from the response's own context."""
    context = Context(response.context[0].flatten())
    return INCLUDED.render(context)


@pytest.fixture(autouse=True)
def no_kept_forms():
    forget_drawn_forms()
    yield
    forget_drawn_forms()


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"page": "2"},
        {"q": "frailty", "category": "relationship_building", "o": "-date"},
        {"date_from": "not a date", "quarter": "1999-q9"},
        {"activity_type": "999999"},
    ],
)
@pytest.mark.parametrize("persona", ["broker", "evaluator"])
def test_it_draws_the_form_the_template_drew(client_for, team, persona, request, params):
    client = client_for(request.getfixturevalue(persona))

    first = page(client, team, **params)
    kept = page(client, team, **params)

    assert unmasked(first) == unmasked(kept)
    assert drawn_afresh(kept) in kept.content.decode()


def test_it_offers_a_renamed_activity_type_at_once(client_for, team, broker):
    kind = ActivityType.objects.create(team=team, name="Site visit", category="awareness_raising")
    client = client_for(broker)
    assert "Site visit" in form_of(page(client, team))

    kind.name = "Field visit"
    kind.save()
    form = form_of(page(client, team))

    assert "Field visit" in form
    assert "Site visit" not in form


def test_it_offers_a_new_activity_type_and_not_a_deleted_one(client_for, team, broker):
    client = client_for(broker)
    page(client, team)
    kind = ActivityType.objects.create(team=team, name="Site visit", category="awareness_raising")

    assert "Site visit" in form_of(page(client, team))

    kind.delete()
    assert "Site visit" not in form_of(page(client, team))


def test_it_never_shows_one_team_the_choices_of_another(
    client_for, team, other_team, broker, other_broker
):
    ActivityType.objects.create(team=team, name="Bristol only", category="awareness_raising")
    ActivityType.objects.create(team=other_team, name="Midlands only", category="awareness_raising")
    ours = form_of(page(client_for(broker), team))

    theirs = form_of(page(client_for(other_broker), other_team))

    assert "Bristol only" in ours and "Midlands only" not in ours
    assert "Midlands only" in theirs and "Bristol only" not in theirs
    assert f"/teams/{other_team.slug}/" in theirs and f"/teams/{team.slug}/" not in theirs


def test_it_offers_the_quarters_from_a_new_first_activity(client_for, team, broker):
    client = client_for(broker)
    with freeze_time("2025-05-15"):
        factories.ActivityFactory(
            team=team, lead_broker=broker.broker_profile, date=datetime.date(2025, 4, 2)
        )
        assert "2024-q4" not in form_of(page(client, team))

        factories.ActivityFactory(
            team=team, lead_broker=broker.broker_profile, date=datetime.date(2025, 1, 2)
        )
        assert 'value="2024-q4"' in form_of(page(client, team))


def test_it_offers_the_new_quarter_when_one_begins(client_for, team, broker):
    client = client_for(broker)
    with freeze_time("2025-06-30"):
        assert 'value="2025-q2"' not in form_of(page(client, team))
    with freeze_time("2025-07-01"):
        assert 'value="2025-q2"' in form_of(page(client, team))


def test_it_names_a_chosen_contact_as_it_is_now(client_for, team, broker):
    contact = factories.ContactFactory(team=team, name="Ada Lovelace")
    client = client_for(broker)
    assert "Ada Lovelace" in form_of(page(client, team, contact=contact.pk))

    contact.name = "Ada King"
    contact.save()
    form = form_of(page(client, team, contact=contact.pk))

    assert "Ada King" in form
    assert "Ada Lovelace" not in form


def test_it_shows_an_evaluator_a_chosen_contact_as_a_pseudonym(client_for, team, broker, evaluator):
    contact = factories.ContactFactory(team=team, name="Ada Lovelace")
    assert "Ada Lovelace" in form_of(page(client_for(broker), team, contact=contact.pk))

    form = form_of(page(client_for(evaluator), team, contact=contact.pk))

    assert "Ada Lovelace" not in form
    assert contact.pseudonym in form


def test_it_draws_the_same_form_once(client_for, team, broker):
    client = client_for(broker)
    first = page(client, team)

    kept = page(client, team)

    assert hasattr(first.context["filter"], "_form")
    assert not hasattr(kept.context["filter"], "_form")
