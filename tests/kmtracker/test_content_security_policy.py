"""The Content-Security-Policy, and markup that needs nothing more than it allows.

Every script and style sheet is a file of the site: no inline script, event
handler attribute or style attribute in any template, so the policy needs no
'unsafe-inline' and no 'unsafe-eval'.
"""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
UNSAFE = ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "data:", "*")
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.I)


def policy(response):
    """The policy's directives: {"script-src": ["'self'"], ...}."""
    header = response["Content-Security-Policy"]
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


@pytest.fixture
def team_page(client_for, team, lead):
    return client_for(lead).get(reverse("team_dashboard", kwargs={"team": team.slug}))


def test_pages_allow_only_the_sites_own_scripts_and_styles(client, team_page):
    for response in (client.get(reverse("login")), team_page):
        directives = policy(response)
        assert directives["default-src"] == ["'self'"]
        assert directives["script-src"] == ["'self'"]
        assert directives["style-src"] == ["'self'"]
        for directive in ("script-src", "style-src", "default-src"):
            assert not set(directives[directive]) & set(UNSAFE)


def test_no_site_may_frame_the_pages(client, team_page):
    assert policy(team_page)["frame-ancestors"] == ["'none'"]
    assert team_page["X-Frame-Options"] == "DENY"


def test_static_files_carry_the_policy_too(client):
    response = client.get("/static/js/kmtracker.js")

    assert response.status_code == 200
    assert policy(response)["frame-ancestors"] == ["'none'"]


@pytest.mark.parametrize(
    "path", sorted(TEMPLATES.rglob("*.html")), ids=lambda path: str(path.relative_to(TEMPLATES))
)
def test_templates_have_no_inline_script_handler_or_style(path):
    text = path.read_text()

    assert not INLINE_SCRIPT.search(text), "move the script to static/js"
    assert not EVENT_HANDLER.search(text), "attach the handler from static/js"
    assert not STYLE_ATTRIBUTE.search(text), "use a class of static/css"


def test_every_script_the_templates_load_is_a_static_file():
    sources = set()
    for path in TEMPLATES.rglob("*.html"):
        sources |= set(re.findall(r"<script src=\"{% static '([^']+)' %}\"", path.read_text()))

    assert sources
    missing = sorted(source for source in sources if finders.find(source) is None)
    assert not missing


def test_htmx_adds_no_inline_style_and_evaluates_nothing(client):
    page = client.get(reverse("login")).content.decode()

    assert '"includeIndicatorStyles": false' in page
    assert '"allowEval": false' in page
