"""Every page is private, and every page that shows a source's words or a contact's personal
details is in the access log.

Walks every GET line of the URL matrix that a role of team A may open (the
same walk as the leak sentinels), with no list of view names: each answer
carries `Cache-Control: private, no-store`, and each answer that contains the
words of an evaluation source (or of a passage coded from it) adds a record to
the access log, a download as an export and a page as a reading of a source; so does
each answer that contains a contact's e-mail address, phone, notes or consent note,
a page as a reading of personal details.
"""

import pytest

from audit.models import AccessRecord
from tests.sentinels import seed_team
from tests.test_leak_sentinels import ROLES, pages, signed_in, text_of
from tests.test_url_matrix import url_for

pytestmark = pytest.mark.django_db


def test_every_page_is_private_and_every_reading_of_a_source_is_recorded(
    team, broker, lead, evaluator
):
    a = seed_team(team, broker, lead, evaluator, "a")
    (words,) = [marker for marker, label in a["markers"].where.items() if label == "Source.text"]
    cached, unrecorded, readings = [], [], 0
    for role in ROLES:
        client = signed_in(a["users"][role])
        for name, target, query in pages(role):
            before = AccessRecord.objects.count()
            response = client.get(url_for(name, target, a) + query)
            text = text_of(response)
            control = {part.strip() for part in response.get("Cache-Control", "").split(",")}
            if not {"private", "no-store"} <= control:
                cached.append(f"{role} {name}{query}: {response.get('Cache-Control')}")
            if words in text:
                readings += 1
                if AccessRecord.objects.count() != before + 1:
                    unrecorded.append(f"{role} {name}{query}")
    assert not cached, "\n".join(cached)
    assert not unrecorded, "\n".join(unrecorded)
    assert readings >= 10


PERSONAL = {f"Contact.{name}" for name in ("email", "phone", "notes", "consent_note")}


def test_every_reading_of_a_contacts_personal_details_is_recorded(team, broker, lead, evaluator):
    a = seed_team(team, broker, lead, evaluator, "a")
    details = [marker for marker, label in a["markers"].where.items() if label in PERSONAL]
    assert len(details) == len(PERSONAL)
    unrecorded, readings = [], set()
    for role in ROLES:
        client = signed_in(a["users"][role])
        for name, target, query in pages(role):
            before = AccessRecord.objects.count()
            text = text_of(client.get(url_for(name, target, a) + query))
            if any(marker in text for marker in details):
                readings.add(name)
                added = list(
                    AccessRecord.objects.order_by("-pk")[: AccessRecord.objects.count() - before]
                )
                if not added or added[0].what != name:
                    unrecorded.append(f"{role} {name}{query}")
    assert not unrecorded, "\n".join(unrecorded)
    assert {"activities:contact_detail", "activities:contact_edit"} <= readings


def test_a_contacts_page_is_recorded_as_a_reading_of_personal_details(
    team, broker, lead, evaluator
):
    a = seed_team(team, broker, lead, evaluator, "a")
    path = url_for("activities:contact_detail", "contact", a)

    signed_in(lead).get(path)

    record = AccessRecord.objects.latest("pk")
    assert (record.kind, record.user, record.team) == ("personal", lead, team)
    assert (record.what, record.path) == ("activities:contact_detail", path)


def test_a_page_that_shows_no_source_is_not_recorded(team, broker, lead, evaluator):
    a = seed_team(team, broker, lead, evaluator, "a")
    before = AccessRecord.objects.count()
    signed_in(lead).get(url_for("activities:activity_list", "team", a))
    assert AccessRecord.objects.count() == before
