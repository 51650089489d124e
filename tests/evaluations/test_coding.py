"""Coding a source: passages chosen by offsets (the mouse) or by their words (the keyboard),
given themes, a memo and a speaker; highlighted; edited and removed without moving any other
passage; and moved with their words when the source's text is corrected."""

import pytest
from django.urls import reverse

from evaluations.coding import highlighted, reanchor, segments
from evaluations.models import Excerpt
from tests import factories

pytestmark = pytest.mark.django_db

TEXT = (
    "Interviewer: How did it start?\n\n"
    "P01: The fellow introduced me to the commissioner very quickly.\n"
    "It changed how I see commissioners.\n\n"
    "Interviewer: Anything difficult?\n\n"
    "P01: Timing. The fellows are part time. Timing again."
)


@pytest.fixture
def study(team, evaluator):
    return factories.StudyFactory(team=team)


@pytest.fixture
def participant(study):
    return factories.ParticipantFactory(study=study, code="P01")


@pytest.fixture
def source(study, participant):
    return factories.SourceFactory(study=study, text=TEXT, participants=[participant])


@pytest.fixture
def themes(study):
    impact = factories.ThemeFactory(study=study, name="Impact")
    return {
        "impact": impact,
        "attitude": factories.ThemeFactory(study=study, name="Attitude", parent=impact),
        "challenges": factories.ThemeFactory(study=study, name="Challenges"),
    }


def url(name, study, **kwargs):
    return reverse(
        f"evaluations:{name}", kwargs={"team": study.team.slug, "study": study.pk, **kwargs}
    )


def span(words, text=TEXT, occurrence=1):
    start = -1
    for _ in range(occurrence):
        start = text.index(words, start + 1)
    return start, start + len(words)


def code(client, source, themes, **fields):
    return client.post(
        url("excerpt_add", source.study, pk=source.pk),
        {"themes": [theme.pk for theme in themes], **fields},
    )


def excerpt_at(source, words, themes, occurrence=1, **fields):
    start, end = span(words, source.text, occurrence)
    return factories.ExcerptFactory(source=source, start=start, end=end, themes=themes, **fields)


def test_it_codes_a_selected_passage_with_themes_a_memo_and_a_speaker(
    client_for, source, themes, participant, evaluator
):
    start, end = span("It changed how I see commissioners.")

    response = code(
        client_for(evaluator),
        source,
        [themes["attitude"], themes["impact"]],
        # A selection often takes in the spaces around it: they are left out.
        start=start - 1,
        end=end + 1,
        quote=" It changed how I see commissioners.\n",
        memo="Commissioners as knowledge holders",
        participant=participant.pk,
    )

    excerpt = Excerpt.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#passage-{excerpt.pk}")
    assert (excerpt.start, excerpt.end) == (start, end)
    assert excerpt.text == "It changed how I see commissioners."
    assert set(excerpt.themes.all()) == {themes["attitude"], themes["impact"]}
    assert excerpt.memo == "Commissioners as knowledge holders"
    assert (excerpt.participant, excerpt.coder) == (participant, evaluator)


def test_it_finds_a_passage_from_its_words_alone(client_for, source, themes, evaluator):
    # Typed on one line, though the text breaks it across two.
    code(
        client_for(evaluator),
        source,
        [themes["impact"]],
        quote="the commissioner very quickly. It changed",
    )

    excerpt = Excerpt.objects.get()
    start, end = span("the commissioner very quickly.\nIt changed")
    assert (excerpt.start, excerpt.end) == (start, end)
    assert excerpt.text == "the commissioner very quickly.\nIt changed"


def test_words_that_appear_twice_need_their_occurrence(client_for, source, themes, evaluator):
    client = client_for(evaluator)

    ambiguous = code(client, source, [themes["challenges"]], quote="Timing")
    chosen = code(client, source, [themes["challenges"]], quote="Timing", occurrence=2)

    form = ambiguous.context["form"]
    assert "appear 2 times" in form.errors["occurrence"][0]
    assert [words for _, words, _ in form.occurrences] == ["Timing", "Timing"]
    assert chosen.status_code == 302
    assert (Excerpt.objects.get().start, Excerpt.objects.get().end) == span("Timing", occurrence=2)


def test_words_not_in_the_text_are_refused(client_for, source, themes, evaluator):
    response = code(client_for(evaluator), source, [themes["impact"]], quote="not said at all")

    assert "not in the text" in response.context["form"].errors["quote"][0]
    assert not Excerpt.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({}, "quote", "Select a passage"),
        ({"start": 10, "end": 5}, "end", "start before the end"),
        ({"start": 0, "end": 100_000}, "end", "within the text"),
        ({"start": 30, "end": 32}, "quote", "holds no words"),
    ],
)
def test_a_passage_must_be_somewhere_in_the_text(
    client_for, source, themes, evaluator, fields, field, message
):
    response = code(client_for(evaluator), source, [themes["impact"]], **fields)

    assert message in response.context["form"].errors[field][0]
    assert not Excerpt.objects.exists()


def test_a_passage_needs_a_theme_of_its_own_study(client_for, source, evaluator, team):
    stranger = factories.ThemeFactory(study=factories.StudyFactory(team=team))
    start, end = span("Timing")
    client = client_for(evaluator)

    without = code(client, source, [], start=start, end=end)
    foreign = code(client, source, [stranger], start=start, end=end)

    assert without.context["form"].errors["themes"] == ["Choose at least one theme."]
    assert "themes" in foreign.context["form"].errors
    assert not Excerpt.objects.exists()


def test_offsets_counted_differently_are_corrected_by_the_words(
    client_for, study, themes, evaluator
):
    """A browser counts an emoji as two characters; the server counts one. The words win."""
    text = "Great 😀 session. The fellows helped. Thanks."
    source = factories.SourceFactory(study=study, text=text)
    start, end = span("The fellows helped.", text)

    code(
        client_for(evaluator),
        source,
        [themes["impact"]],
        start=start + 1,
        end=end + 1,
        quote="The fellows helped.",
    )

    excerpt = Excerpt.objects.get()
    assert (excerpt.start, excerpt.end, excerpt.text) == (start, end, "The fellows helped.")


def test_a_passages_position_survives_editing_and_removal_of_others(
    client_for, source, themes, evaluator
):
    first = excerpt_at(source, "The fellow introduced me", [themes["impact"]])
    second = excerpt_at(source, "It changed how I see commissioners.", [themes["attitude"]])
    third = excerpt_at(source, "The fellows are part time.", [themes["challenges"]])
    overlapping = excerpt_at(source, "me to the commissioner", [themes["impact"]])
    before = {e.pk: (e.start, e.end, e.text) for e in (first, third, overlapping)}
    client = client_for(evaluator)

    # Widen the second passage and change its themes and memo, then remove the overlap.
    start, end = span("It changed how I see commissioners.\n\nInterviewer")
    client.post(
        url("excerpt_edit", source.study, pk=second.pk),
        {"start": start, "end": end, "themes": [themes["challenges"].pk], "memo": "Widened"},
    )
    client.post(url("excerpt_delete", source.study, pk=overlapping.pk))

    second.refresh_from_db()
    assert (second.start, second.end) == (start, end)
    assert second.text == "It changed how I see commissioners.\n\nInterviewer"
    assert not Excerpt.objects.filter(pk=overlapping.pk).exists()
    for excerpt in (first, third):
        excerpt.refresh_from_db()
        assert (excerpt.start, excerpt.end, excerpt.text) == before[excerpt.pk]
        assert source.text[excerpt.start : excerpt.end] == excerpt.text
    source.refresh_from_db()
    assert source.text == TEXT


def test_correcting_the_text_moves_each_passage_with_its_words(
    client_for, source, themes, evaluator
):
    first = excerpt_at(source, "The fellow introduced me", [themes["impact"]])
    later = excerpt_at(source, "The fellows are part time.", [themes["challenges"]])
    corrected = TEXT.replace("How did it start?", "How did your work with the team start?")

    response = client_for(evaluator).post(
        url("source_edit", source.study, pk=source.pk),
        {"kind": "interview", "title": source.title, "text": corrected},
    )

    assert response.status_code == 302
    source.refresh_from_db()
    assert source.text == corrected
    for excerpt in (first, later):
        before = excerpt.text
        excerpt.refresh_from_db()
        assert excerpt.text == before
        assert corrected[excerpt.start : excerpt.end] == before
    assert later.start == span("The fellows are part time.", corrected)[0]


def test_a_correction_that_drops_a_coded_passage_is_refused(client_for, source, themes, evaluator):
    kept = excerpt_at(source, "The fellow introduced me", [themes["impact"]])
    excerpt_at(source, "The fellows are part time.", [themes["challenges"]])
    corrected = TEXT.replace("The fellows are part time.", "").replace("Interviewer", "Q")

    response = client_for(evaluator).post(
        url("source_edit", source.study, pk=source.pk),
        {"kind": "interview", "title": "Renamed", "text": corrected},
    )

    error = response.context["form"].errors["text"][0]
    assert "1 coded passage would no longer be in the text" in error
    assert "The fellows are part time." in error
    title = source.title
    source.refresh_from_db()
    assert (source.title, source.text) == (title, TEXT)
    kept.refresh_from_db()
    assert TEXT[kept.start : kept.end] == kept.text


def test_reanchor_prefers_the_occurrence_nearest_the_edit():
    old = "Timing. Then timing again."
    new = "Intro. " + old
    excerpt = Excerpt(pk=1, start=13, end=19, text="timing")

    moved, lost = reanchor(old, new, [excerpt])

    assert lost == []
    assert (moved[excerpt].start, moved[excerpt].end) == (20, 26)


def test_the_page_highlights_every_coded_passage(client_for, source, themes, lead):
    first = excerpt_at(source, "The fellow introduced me to", [themes["impact"]])
    overlap = excerpt_at(source, "me to the commissioner", [themes["attitude"]])

    response = client_for(lead).get(url("source_detail", source.study, pk=source.pk))

    html = str(response.context["text_html"])
    assert f'data-excerpts="{first.pk}">The fellow introduced </mark>' in html
    assert f'data-excerpts="{first.pk} {overlap.pk}">me to</mark>' in html
    assert f'data-excerpts="{overlap.pk}"> the commissioner</mark>' in html
    assert f'id="passage-{overlap.pk}"' in html


def test_the_highlighted_text_holds_exactly_the_sources_characters():
    """The page's script counts offsets in the DOM: the markup adds no text of its own."""
    import re

    text = "A <b>bold</b> & “quoted” line.\n\nSecond 😀 line."
    excerpts = [Excerpt(pk=1, start=2, end=13, text=""), Excerpt(pk=2, start=8, end=30, text="")]

    html = str(highlighted(text, excerpts))

    from html import unescape

    assert unescape(re.sub(r"<[^>]+>", "", html)) == text
    assert [(s.start, s.end) for s in segments(text, excerpts)] == [
        (0, 2),
        (2, 8),
        (8, 13),
        (13, 30),
        (30, len(text)),
    ]


def test_removing_a_coding_leaves_the_text_and_other_passages(
    client_for, source, themes, evaluator
):
    kept = excerpt_at(source, "Timing", [themes["challenges"]])
    removed = excerpt_at(source, "Timing", [themes["impact"]], occurrence=2)

    response = client_for(evaluator).post(url("excerpt_delete", source.study, pk=removed.pk))

    assert response.status_code == 302
    assert list(Excerpt.objects.all()) == [kept]
    source.refresh_from_db()
    assert source.text == TEXT


@pytest.mark.parametrize("persona", ["lead", "broker"])
def test_only_evaluators_code(client_for, source, themes, request, persona):
    excerpt = excerpt_at(source, "Timing", [themes["impact"]])
    client = client_for(request.getfixturevalue(persona))
    start, end = span("Timing")

    added = code(client, source, [themes["impact"]], start=start, end=end)
    edited = client.post(
        url("excerpt_edit", source.study, pk=excerpt.pk),
        {"start": start, "end": end, "themes": [themes["challenges"].pk]},
    )
    removed = client.post(url("excerpt_delete", source.study, pk=excerpt.pk))

    assert (added.status_code, edited.status_code, removed.status_code) == (403, 403, 403)
    assert list(Excerpt.objects.all()) == [excerpt]
    assert list(excerpt.themes.all()) == [themes["impact"]]


def test_changes_to_a_coding_are_kept_in_its_history(client_for, source, themes, evaluator):
    excerpt = excerpt_at(source, "Timing", [themes["impact"]])
    start, end = span("Timing")

    client_for(evaluator).post(
        url("excerpt_edit", source.study, pk=excerpt.pk),
        {"start": start, "end": end, "themes": [themes["challenges"].pk], "memo": "Recoded"},
    )

    assert excerpt.history.filter(memo="Recoded").exists()


def test_the_source_page_takes_a_fixed_number_of_queries(
    client_for, source, themes, evaluator, django_assert_num_queries
):
    for occurrence in (1, 2):
        excerpt_at(
            source,
            "Timing",
            [themes["impact"], themes["attitude"]],
            occurrence=occurrence,
            coder=evaluator,
        )
    for words in ("The fellow", "commissioners", "part time"):
        excerpt_at(source, words, [themes["challenges"]], coder=evaluator)
    client = client_for(evaluator)

    # session, user, membership; study; source; the themes of the form; the source's
    # participants; its excerpts (with coder and participant) and their themes (with
    # parents); the speakers the form's select offers; the access log's record: 11,
    # whatever the number of excerpts.
    with django_assert_num_queries(11):
        response = client.get(url("source_detail", source.study, pk=source.pk))

    assert len(response.context["excerpts"]) == 5
