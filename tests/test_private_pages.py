"""Every page is private, and every page that shows a source's words is in the access log.

Walks every GET line of the URL matrix that a role of team A may open (the
same walk as the leak sentinels), with no list of view names: each answer
carries `Cache-Control: private, no-store`, and each answer that contains the
words of an evaluation source (or of a passage coded from it) adds a record to
the access log, a download as an export and a page as a reading of a source.
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


def test_a_page_that_shows_no_source_is_not_recorded(team, broker, lead, evaluator):
    a = seed_team(team, broker, lead, evaluator, "a")
    before = AccessRecord.objects.count()
    signed_in(lead).get(url_for("activities:activity_list", "team", a))
    assert AccessRecord.objects.count() == before
