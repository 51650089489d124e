"""Messages are rendered from templates for their recipient: an evaluator's mail shows
contacts as pseudonyms, as every page does for them; a text part is not HTML-escaped."""

from pathlib import Path

import pytest

from mail.models import OutgoingMessage
from mail.send import send_mail_to
from tests import factories

pytestmark = pytest.mark.django_db

TEST_TEMPLATES = Path(__file__).parent / "templates"


@pytest.fixture(autouse=True)
def contact_news_template(settings):
    """A message of the kind later features write: it names a contact of the team."""
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], TEST_TEMPLATES]}
    ]


@pytest.fixture
def contact(team):
    return factories.ContactFactory(team=team, name="Ada Lovelace")


def news(user, team, contact):
    user.email = f"{user.username}@example.org"
    user.save()
    return send_mail_to(
        user,
        template="contact_news",
        context={"contact": contact, "contact_name": "", "activity_title": "Frailty & falls"},
        team=team,
    )


def test_an_evaluator_reads_a_pseudonym_where_a_lead_reads_the_name(team, lead, evaluator, contact):
    to_lead, to_evaluator = news(lead, team, contact), news(evaluator, team, contact)

    assert "Ada Lovelace" in to_lead.text and "Ada Lovelace" in to_lead.html
    for part in (to_evaluator.subject, to_evaluator.text, to_evaluator.html):
        assert "Ada Lovelace" not in part and "Lovelace" not in part
    assert contact.pseudonym in to_evaluator.text and contact.pseudonym in to_evaluator.html


def test_the_text_part_is_plain_text_and_the_html_part_is_escaped(team, lead, contact):
    message = news(lead, team, contact)
    assert 'Ada Lovelace & co. took part in "Frailty & falls".' in message.text
    assert "Frailty &amp; falls" in message.html
    assert message.subject == "News of"  # one line, trimmed


def test_every_message_names_its_team_and_is_kept_for_the_admin(team, lead, contact):
    message = news(lead, team, contact)
    assert message.team_name == "Bristol"
    assert message.from_address == "Bristol via KM Tracker <noreply@testserver>"
    assert message.text.startswith("KM Tracker · Bristol")
    assert "for the team Bristol" in message.html
    assert OutgoingMessage.objects.get().status == OutgoingMessage.Status.QUEUED
