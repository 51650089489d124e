"""Every URL of the URLconf, sent POSTs of random keys and values by each role: a
broker, the lead and an evaluator of team A, and a broker of team B.

Never a server error (the test client raises the view's exception, with its
traceback), and never a partial write: a POST that is not accepted changes no
row, and one that is leaves every foreign key pointing at a row and a history
record for every record it adds.

The keys are mostly the names of the page's own form fields (read from the page
as its lead or evaluator sees it), so that examples go past "this field is
required" into the views' own code; the values are anything at all.
"""

import re
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fuzz.strategies import anything, file_contents, random_keys
from tests.fuzz.world import assert_consistent, build_world, rolled_back, row_counts
from tests.test_url_matrix import MATRIX, _url_names, url_for

pytestmark = pytest.mark.django_db

ROLES = ("broker", "lead", "evaluator", "other")
# Examples per URL: every role several times, in a run of a few dozen seconds.
EXAMPLES_PER_URL = 16
ACCEPTED = (201, 302, 303)
# Tables a refused request may still write to: the session, login throttling and the
# access log record requests, not the team's data.
BOOKKEEPING_APPS = {"sessions", "axes", "audit"}
TARGETS = {name: target for name, target, *_ in MATRIX}


def test_every_url_is_fuzzed():
    routed, _ = _url_names(get_resolver())
    assert routed - set(TARGETS) == set()


class _FormFields(HTMLParser):
    """The names of a page's form fields, with the values it offers for each."""

    def __init__(self):
        super().__init__()
        self.fields, self.files = {}, set()
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag in ("input", "textarea", "select", "button") and name:
            values = self.fields.setdefault(name, [])
            if attrs.get("value"):
                values.append(attrs["value"])
            if attrs.get("type") == "file":
                self.files.add(name)
            self._select = name if tag == "select" else None
        elif tag == "option" and self._select and attrs.get("value"):
            self.fields[self._select].append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def _page_fields(client, world, url):
    """The form fields of `url` as seen by whoever may write there."""
    fields, files = {}, set()
    for persona in ("lead", "evaluator"):
        client.force_login(world.users[persona])
        response = client.get(url)
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            parser = _FormFields()
            parser.feed(response.content.decode())
            for name, values in parser.fields.items():
                fields.setdefault(name, []).extend(values)
            files |= parser.files
    fields.pop("csrfmiddlewaretoken", None)
    return fields, files


@st.composite
def submissions(draw, fields, files):
    """POST data: some of the page's fields, random keys, values offered or anything."""
    data = {}
    names = sorted(fields)
    chosen = draw(st.lists(st.sampled_from(names), unique=True)) if names else []
    for name in chosen:
        offered = st.sampled_from(fields[name]) if fields[name] else anything
        count = draw(st.integers(min_value=1, max_value=3))
        values = [draw(st.one_of(offered, anything)) for _ in range(count)]
        if name in files:
            values = [SimpleUploadedFile("fuzz.csv", draw(file_contents()))]
        data[name] = values
    for key in draw(st.lists(random_keys, max_size=3)):
        data.setdefault(key, [draw(anything)])
    return data


def _changed(before, after):
    return {label for label in before if before[label] != after[label]}


def _is_bookkeeping(label):
    return label.split(".")[0] in BOOKKEEPING_APPS


@pytest.fixture
def world(team, broker, lead, evaluator, other_broker):
    return build_world(team, broker, lead, evaluator, other_broker)


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_a_post_of_anything_is_answered_and_writes_all_or_nothing(client, world, name):
    url = url_for(name, TARGETS[name], world.objects)
    fields, files = _page_fields(client, world, url)

    @settings(max_examples=EXAMPLES_PER_URL)
    @given(persona=st.sampled_from(ROLES), data=submissions(fields, files))
    def check(persona, data):
        with rolled_back():
            client.force_login(world.users[persona])
            before = row_counts()
            response = client.post(url, data)
            after = row_counts()
            assert response.status_code < 500
            changed = {label for label in _changed(before, after) if not _is_bookkeeping(label)}
            if response.status_code not in ACCEPTED:
                assert not changed, f"{response.status_code} but wrote to {changed}"
                return
            assert_consistent()
            for label in changed:
                history = re.sub(r"\.(\w+)$", r".Historical\1", label)
                if history in after and after[label] > before[label]:
                    assert after[history] > before[history], f"{label} added without history"

    check()
