"""Every main page, as each role, at desktop and phone widths, passes axe-core's WCAG 2.0,
2.1 and 2.2 A and AA rules, forms with their errors showing included, and does not scroll
sideways. Each page is
photographed at both widths, as the first role of its line in PAGES, to
test-artifacts/screenshots/<width>/<page>.png.

Adding a page means adding a line to PAGES (tests/browser/pages.py): `test_every_page_is_checked`
walks the URLconf and fails for any URL name that is neither in PAGES nor in NOT_PAGES.
"""

import hashlib

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.browser.conftest import WIDTHS, axe_results, describe, screenshot, start_axe
from tests.browser.pages import ALL, NOT_PAGES, PAGES, SCROLLS_SIDEWAYS, records, url_of

EXCLUDED_NAMESPACES = {"admin"}


# What axe found, by width and by what the page showed (its title and its <main>, numbers
# aside, since each test's demo data has new ids): the lead sees most pages exactly as a
# broker does, and axe's results would be the same again. Everything outside <main> is the
# layout, checked on each role's pages that are its own.
RESULTS = {}
CONTENT = """() => (document.title + "\\n" + (document.querySelector("main") || document.body)
  .outerHTML).replace(/name="csrfmiddlewaretoken" value="[^"]*"/g, "").replace(/[0-9]+/g, "0")"""


# Two animation frames: the page has laid itself out again and its resize handlers have run.
SETTLE = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"
# How far the page scrolls sideways: nothing at any width (tables scroll inside their box).
SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.mark.browser
@pytest.mark.parametrize("role", ALL)
def test_every_page_passes_axe_wcag_aa(page_for, demo, role):
    objects = records(demo, role)
    user = None if role == "anonymous" else role
    specs = [spec for spec in PAGES if role in spec.roles]
    failures = []
    checked = []

    def check(page, specs):
        """Check each page at each width: loaded at the first, the window resized to the next
        (a form keeps its errors, a dialog stays open). Pauses while axe runs."""
        for spec in specs:
            for index, width in enumerate(spec.widths):
                page.set_viewport_size(WIDTHS[width])
                if index == 0:
                    response = page.goto(url_of(spec, objects))
                    assert response.status == 200, f"{spec.name}: {response.status} {page.url}"
                    if spec.before:
                        spec.before(page)
                else:
                    page.evaluate(SETTLE)
                key = (width, hashlib.sha256(page.evaluate(CONTENT).encode()).hexdigest())
                if key not in RESULTS:
                    start_axe(page)
                    yield
                    RESULTS[key] = axe_results(page)
                checked.append((spec.name, width))
                if (sideways := page.evaluate(SIDEWAYS)) > 0 and spec.name not in SCROLLS_SIDEWAYS:
                    failures.append(f"{spec.name}, {width} ({page.url}): scrolls {sideways} px")
                if role == spec.roles[0]:
                    screenshot(page, f"{width}/{spec.name}")
                if RESULTS[key]:
                    failures.append(f"{spec.name}, {width} ({page.url}):\n{describe(RESULTS[key])}")

    # Two pages, each in its own context (its own renderer process), take turns: axe, which
    # takes most of the time, runs on one while the other loads its next page.
    workers = [check(page_for(user), specs[turn::2]) for turn in range(2)]
    while workers:
        for worker in list(workers):
            if next(worker, StopIteration) is StopIteration:
                workers.remove(worker)

    assert len(checked) == sum(len(spec.widths) for spec in specs)
    report = "\n".join(failures)
    assert not failures, f"axe found WCAG A/AA violations as {role}:\n{report}"


def test_every_page_is_checked():
    checked = {page.url_name for page in PAGES}
    routed = _url_names(get_resolver())

    missing = sorted(routed - checked - set(NOT_PAGES))
    assert not missing, f"Add a line to PAGES (or NOT_PAGES) in browser/pages.py for: {missing}"
    stale = sorted((checked | set(NOT_PAGES)) - routed)
    assert not stale, f"PAGES or NOT_PAGES names URLs that no longer exist: {stale}"


def _url_names(resolver, namespace=""):
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in EXCLUDED_NAMESPACES:
                continue
            prefix = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _url_names(pattern, prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(namespace + pattern.name)
    return names
