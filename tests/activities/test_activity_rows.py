"""The activity list's rows drawn in Python write the bytes the template loop wrote."""

import datetime

import pytest
from django.template import Context, Template
from django.urls import reverse

from activities.templatetags.activity_rows import draw_rows
from tests import factories

pytestmark = pytest.mark.django_db

# The loop activities/partials/activity_table.html drew its rows with, as it was.
TEMPLATE_ROWS = Template(
    """{% load km %}{% for activity in object_list %}
    <tr>
      <td class="text-nowrap">{{ activity.date|date:"j M Y" }}</td>
      <td><a href="{{ activities_url }}{{ activity.pk }}/">{{ activity.title|free_text:access }}</a></td>
      <td><span class="d-block">{{ activity.get_category_display }}</span><small class="text-body-secondary">{{ activity.activity_type }}</small></td>
      <td>{{ activity.lead_broker }}{% for co in activity.listed_co_brokers %}<small class="d-block text-body-secondary">with {{ co }}</small>{% endfor %}</td>
      <td>{% for contact in activity.listed_contacts %}{% contact_label contact %}{% if not forloop.last %}, {% endif %}{% empty %}<span class="text-body-secondary">—</span>{% endfor %}</td>
      <td class="text-end">{{ activity.duration_minutes|default_if_none:"" }}</td>
    </tr>
    {% endfor %}"""  # noqa: E501
)


@pytest.fixture
def varied_rows(team, broker, lead):
    """Rows with every shape a cell takes: markup to escape, none or several co-brokers and
    contacts, no duration, a duration past a thousand, a contact named in the title."""
    named = factories.ContactFactory(team=team, name="Ada <Lovelace> & Co")
    plain = factories.ContactFactory(team=team, name="Grace O'Hara")
    colleague = factories.BrokerFactory(team=team)
    lead.first_name, lead.last_name = 'Lee "the lead"', "<Ward>"
    lead.save()
    factories.ActivityFactory(
        team=team,
        lead_broker=lead.broker_profile,
        title='Met Ada <Lovelace> & Co about "frailty"',
        date=datetime.date(2025, 1, 9),
        duration_minutes=None,
        contacts=[named, plain],
        co_brokers=[broker.broker_profile, colleague],
    )
    factories.ActivityFactory(
        team=team,
        lead_broker=broker.broker_profile,
        title="A long day's workshop",
        date=datetime.date(2025, 12, 31),
        duration_minutes=1500,
    )
    factories.ActivityFactory(
        team=team,
        lead_broker=broker.broker_profile,
        title="",
        date=datetime.date(2024, 5, 1),
        duration_minutes=0,
        contacts=[plain],
    )


@pytest.mark.parametrize("persona", ["broker", "lead", "evaluator"])
def test_it_draws_the_rows_the_template_drew(client_for, team, persona, request, varied_rows):
    user = request.getfixturevalue(persona)
    response = client_for(user).get(reverse("activities:activity_list", args=[team.slug]))
    context = response.context
    rows = list(context["object_list"])
    assert len(rows) == 3
    url = reverse("activities:activity_list", args=[team.slug])

    drawn = draw_rows(rows, context["access"], url)

    expected = TEMPLATE_ROWS.render(
        Context({"object_list": rows, "access": context["access"], "activities_url": url})
    )
    assert drawn == expected
    assert expected in response.content.decode()
