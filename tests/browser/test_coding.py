"""Coding a source in a real browser: with the mouse, and with the keyboard alone; the offsets
the page's script sends are the server's (code points, not the browser's UTF-16 units)."""

import pytest
from django.urls import reverse

from evaluations.models import Excerpt, Source, Study
from evaluations.sampling import draw_sample
from teams.tenancy import team_access
from tests import factories
from tests.browser.conftest import axe_violations, describe

pytestmark = pytest.mark.browser

TEXT = (
    "Interviewer: How did it go? 😀\n\n"
    "P01: The fellow introduced me to the commissioner very quickly.\n"
    "It changed how I see commissioners."
)


@pytest.fixture
def source(demo):
    study = Study.objects.get(team=demo.team)
    return factories.SourceFactory(study=study, title="Browser interview", text=TEXT)


def source_url(source):
    return reverse(
        "evaluations:source_detail",
        kwargs={"team": source.study.team.slug, "study": source.study_id, "pk": source.pk},
    )


def select_words(page, words):
    """Select `words` in the source's text as a mouse drag would, and release the button."""
    page.evaluate(
        """(words) => {
          const box = document.getElementById("source-text");
          const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
          let node;
          while ((node = walker.nextNode())) {
            const at = node.data.indexOf(words);
            if (at < 0) continue;
            const range = document.createRange();
            range.setStart(node, at);
            range.setEnd(node, at + words.length);
            getSelection().removeAllRanges();
            getSelection().addRange(range);
            box.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
            return;
          }
          throw new Error("not in the text: " + words);
        }""",
        words,
    )


def test_a_mouse_selection_is_coded_at_the_servers_offsets(page_for, demo, source):
    page = page_for("evaluator")
    page.goto(source_url(source))

    select_words(page, "It changed how I see commissioners.")
    page.get_by_label("Attitude").check()
    page.get_by_label("Memo").fill("After an emoji")
    page.get_by_role("button", name="Code passage").click()
    page.get_by_text("Passage coded: Impact › Attitude.").wait_for()

    excerpt = Excerpt.objects.get(source=source)
    start = TEXT.index("It changed")
    assert (excerpt.start, excerpt.end) == (
        start,
        start + len("It changed how I see commissioners."),
    )
    assert excerpt.text == "It changed how I see commissioners."
    assert page.locator(f"mark[data-excerpts='{excerpt.pk}']").inner_text() == excerpt.text


def test_a_passage_is_coded_with_the_keyboard_alone(page_for, demo, source):
    page = page_for("evaluator")
    page.goto(source_url(source))

    page.get_by_role("textbox", name="Passage").focus()
    page.keyboard.type("the commissioner very")
    page.keyboard.press("Tab")  # to "Find these words in the text"
    page.keyboard.press("Enter")
    page.get_by_role("button", name="End a word later ▶").focus()
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Start a word earlier").focus()
    page.keyboard.press("Enter")
    assert (
        page.locator("#coding-preview")
        .inner_text()
        .startswith("“to the commissioner very quickly.")
    )
    page.get_by_label("Relationship building").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Code passage").focus()
    page.keyboard.press("Enter")
    page.get_by_role("status").filter(has_text="Passage coded").wait_for()

    excerpt = Excerpt.objects.get(source=source)
    assert excerpt.text == "to the commissioner very quickly."
    assert TEXT[excerpt.start : excerpt.end] == excerpt.text


def test_the_coding_pages_pass_axe(page_for, demo):
    study = Study.objects.get(team=demo.team)
    source = Source.objects.filter(study=study, kind="interview").first()
    participant = study.participants.first()
    kwargs = {"team": demo.team.slug, "study": study.pk}
    # A draw, so that the sample page shows its table and forms.
    access = team_access(demo.users["evaluator"], demo.team.slug)
    draw_sample(access, study, {"research": 2, "commissioning": 1}, "axe")
    pages = [
        reverse("evaluations:log_list", kwargs={"team": demo.team.slug}),
        reverse("evaluations:study_list", kwargs={"team": demo.team.slug}),
        reverse("evaluations:study_detail", kwargs={"team": demo.team.slug, "pk": study.pk}),
        reverse("evaluations:source_detail", kwargs={**kwargs, "pk": source.pk}),
        reverse("evaluations:participant_list", kwargs=kwargs),
        reverse("evaluations:framework", kwargs=kwargs),
        reverse("evaluations:excerpt_list", kwargs=kwargs),
        reverse("evaluations:matrix", kwargs=kwargs),
        reverse("evaluations:sampling_frame", kwargs=kwargs),
        reverse("evaluations:agreement", kwargs=kwargs),
        reverse("evaluations:sample", kwargs=kwargs),
        reverse("evaluations:participant_detail", kwargs={**kwargs, "pk": participant.pk}),
    ]
    page = page_for("evaluator")
    failures = []
    for path in pages:
        page.goto(path)
        violations = axe_violations(page)
        if violations:
            failures.append(f"{path}:\n{describe(violations)}")

    assert not failures, "\n".join(failures)


def test_the_theme_search_narrows_the_list_and_enter_ticks_a_theme(page_for, demo, source):
    page = page_for("evaluator")
    page.goto(source_url(source))
    options = page.locator("#theme-options .form-check")
    everything = options.count()

    select_words(page, "It changed how I see commissioners.")
    page.get_by_role("searchbox", name="Find a theme").focus()
    page.keyboard.type("attit")
    visible = page.locator("#theme-options .form-check:visible")
    assert visible.count() == 1 < everything
    assert visible.inner_text().strip() == "Attitude"
    page.keyboard.press("Enter")  # ticks it, and does not send the form
    assert page.get_by_label("Attitude").is_checked()
    assert Excerpt.objects.filter(source=source).count() == 0
    page.keyboard.press("Escape")
    assert page.locator("#theme-options .form-check:visible").count() == everything
    # The text is still in view beside the list.
    assert page.locator("#source-text").is_visible()
    assert page.locator("#source-text").bounding_box()["y"] < 800

    page.get_by_role("button", name="Code passage").focus()
    page.keyboard.press("Enter")
    page.get_by_text("Passage coded: Impact › Attitude.").wait_for()
    assert [t.name for t in Excerpt.objects.get(source=source).themes.all()] == ["Attitude"]


def test_a_highlight_shows_its_themes_name_and_colour_and_overlaps_show(page_for, demo, source):
    study = source.study
    attitude = study.themes.get(name="Attitude")
    relationship = study.themes.get(name="Relationship building")
    start = TEXT.index("The fellow")
    factories.ExcerptFactory(
        source=source, start=start, end=start + len("The fellow introduced me"), themes=[attitude]
    )
    overlap = TEXT.index("introduced me to")
    factories.ExcerptFactory(
        source=source,
        start=overlap,
        end=overlap + len("introduced me to the commissioner"),
        themes=[relationship],
    )
    page = page_for("evaluator")
    page.goto(source_url(source))

    labels = page.evaluate(
        """() => Array.from(document.querySelectorAll("#source-text .code-label"))
              .map((el) => getComputedStyle(el, "::before").content)"""
    )
    assert labels == ['"Impact › Attitude"', '"Activities › Relationship building"']
    both = page.locator("mark.overlap")
    assert both.inner_text() == "introduced me"
    colours = page.evaluate(
        """() => Array.from(document.querySelectorAll("#source-text mark"))
              .map((el) => getComputedStyle(el).backgroundColor)"""
    )
    assert len(set(colours)) == 2  # each theme its own colour; the overlap keeps the first's
    assert "inset" in both.evaluate("(el) => getComputedStyle(el).boxShadow")  # underlined
    assert both.get_attribute("title") == "Activities › Relationship building; Impact › Attitude"
