"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

One Chromium for all the browser tests (started on first use, closed after the last);
each test opens its own context (cookies, viewport) and pages in it. The demo data of
`seed_demo` is made afresh for each test: `live_server` makes every test transactional,
so the database is emptied after each one.

Without /usr/bin/chromium (or $CHROMIUM) the tests skip, so that a machine without a
browser still passes; `.ci/run` installs it.
"""

import functools
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.test import Client
from django.test.testcases import LiveServerThread
from pytest_django.live_server_helper import LiveServer

from demo.seeding import DEMO_PASSWORD, seed_demo
from kmtracker.lib.waiting import scaled
from teams.models import Team

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# Headless Chromium as root in a container, with no calls home (the network may be closed).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}
# WCAG 2.0, 2.1 and 2.2, levels A and AA (axe has no separate wcag22a tag).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Playwright's waits, in seconds on an idle machine, scaled by KMTRACKER_TEST_TIMEOUT_SCALE
# (kmtracker/lib/waiting.py): each action's and navigation's wait for its element or page,
# and each expect()'s for its condition (Playwright's own defaults, 30 s and 5 s, know
# nothing of a busy machine); and Chromium's start.
TIMEOUT_SECONDS = 10
LAUNCH_TIMEOUT_SECONDS = 20


def timeout_ms(seconds=TIMEOUT_SECONDS):
    """`seconds` scaled for this machine, in Playwright's unit."""
    return scaled(seconds) * 1000


@pytest.fixture(scope="package")
def browser():
    """Chromium, started once for the browser tests and closed after the last of them."""
    if not CHROMIUM.exists():
        pytest.skip(f"No Chromium at {CHROMIUM}: apt-get install chromium (or set $CHROMIUM)")
    if not AXE.exists():
        pytest.fail(f"{AXE.relative_to(ROOT)} is missing: run `make install` (npm ci)")
    from playwright.sync_api import expect, sync_playwright

    # Playwright's sync API keeps an asyncio loop running in this thread, which Django
    # would take for an async context and refuse ORM calls from the test's own code
    # (fixtures, assertions). Nothing here is async: allow it while the browser runs.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    # Every expect() of the browser tests, unless it says otherwise (none does).
    expect.set_options(timeout=timeout_ms())
    try:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            headless=True,
            timeout=timeout_ms(LAUNCH_TIMEOUT_SECONDS),
        )
        yield chromium
        chromium.close()
    finally:
        expect.set_options(timeout=None)
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class CacheableStaticFiles(StaticFilesHandler):
    """The live server's static files, with a caching header as WhiteNoise gives them in
    production: without one, every page load would fetch and parse its megabyte of CSS and
    JavaScript again, which is most of the time a page takes to load here."""

    def serve(self, request):
        response = super().serve(request)
        response["Cache-Control"] = "max-age=600, public"
        return response


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server (at the same address), serving cacheable static files."""
    addr = (
        request.config.getvalue("liveserver")
        or os.environ.get("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    server = LiveServer(addr, start=False)
    default = server.thread
    server.thread = LiveServerThread(
        default.host,
        static_handler=CacheableStaticFiles,
        connections_override=default.connections_override,
        port=default.port,
    )
    server.thread.daemon = True
    server.start()
    yield server
    server.stop()


@dataclass
class Demo:
    """The demo teams and their logins (every password is DEMO_PASSWORD)."""

    team: Team
    other_team: Team
    users: dict
    password: str = DEMO_PASSWORD


@pytest.fixture
def demo(live_server):
    """`seed_demo`'s two teams, made for this test (about 1.5 s)."""
    seed_demo(force=True, stdout=io.StringIO())
    users = {user.username: user for user in get_user_model().objects.all()}
    return Demo(
        team=Team.objects.get(slug="bristol"),
        other_team=Team.objects.get(slug="west-midlands"),
        users=users,
    )


@pytest.fixture
def new_context(browser, live_server):
    """`new_context(username=None, viewport=DESKTOP)`: a browser context on the live server,
    signed in as `username` (by session cookie) when one is given."""
    contexts = []

    def make(username=None, viewport=DESKTOP, **options):
        context = browser.new_context(
            base_url=live_server.url,
            viewport=viewport,
            locale="en-GB",
            timezone_id=settings.TIME_ZONE,
            accept_downloads=True,
            # No smooth scrolling or fading: each step's result is there at once.
            reduced_motion="reduce",
            **options,
        )
        context.set_default_timeout(timeout_ms())
        contexts.append(context)
        if username is not None:
            context.add_cookies([session_cookie(username, live_server.url)])
        return context

    yield make
    for context in contexts:
        context.close()


def session_cookie(username, url):
    """A session of `username`, made without going through the sign-in form."""
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    name = settings.SESSION_COOKIE_NAME
    return {"name": name, "value": client.cookies[name].value, "url": url}


@pytest.fixture
def page_for(new_context):
    """`page_for(username=None, viewport=DESKTOP)`: a new page in a new context."""

    def make(username=None, viewport=DESKTOP):
        return new_context(username, viewport).new_page()

    return make


def start_axe(page):
    """Start axe-core's WCAG 2.0/2.1/2.2 A and AA checks on the page as it is now; the page's
    renderer runs them while the test goes on (`axe_results` waits for them)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, which the page's Content-Security-Policy
        # does not govern: a <script> tag added to the page would be refused, rightly.
        page.evaluate(_axe_source() + "\n;0")
    page.evaluate(
        """(tags) => {
          // Later, not now: axe.run does much of its work before it returns its promise.
          window.kmAxeResults = new Promise((resolve) => setTimeout(resolve, 0))
            .then(() => axe.run(document, {
              runOnly: {type: "tag", values: tags},
              resultTypes: ["violations"],
            }))
            .then((results) => results.violations.map((v) => ({
              id: v.id,
              impact: v.impact,
              help: v.help,
              nodes: v.nodes.slice(0, 5).map((n) =>
                n.target.join(" ") + " :: " + n.failureSummary.split("\\n").slice(0, 2).join(" ")),
            })));
        }""",
        WCAG_TAGS,
    )


@functools.cache
def _axe_source():
    return AXE.read_text()


def axe_results(page):
    """The violations found by the checks `start_axe` started."""
    return page.evaluate("() => window.kmAxeResults")


def axe_violations(page):
    """axe-core's WCAG 2.0/2.1/2.2 A and AA violations on the page as it is now."""
    start_axe(page)
    return axe_results(page)


def describe(violations):
    """One readable block per violation, for an assertion message."""
    lines = []
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']}")
        lines += [f"      {node}" for node in v["nodes"]]
    return "\n".join(lines)


def screenshot(page, name):
    """Save a full-page screenshot to test-artifacts/screenshots/<name>.jpg (JPEG: half the
    time of a PNG of a long page, and as easy to read)."""
    path = SCREENSHOTS / f"{name}.jpg"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True, type="jpeg", quality=85)


def label(text):
    """A field's visible label, as `get_by_label` takes it: required fields end with "*"."""
    return re.compile(rf"^\s*{re.escape(text)}\s*\*?\s*$")


def choose_contact(page, search, name, field="Contacts"):
    """Pick a contact in a searchable contacts field: type part of the name, click the match."""
    page.get_by_role("combobox", name=field, exact=True).fill(search)
    page.get_by_role("option", name=re.compile(re.escape(name))).click()
