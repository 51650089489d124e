"""The coding screen shows its codes: each highlight in its theme's colour and with its
themes' names, overlapping passages visible, the theme picker a short searchable list."""

import re
from html import unescape

import pytest

from evaluations.colours import PALETTE_SIZE, theme_colours
from tests import factories
from tests.evaluations.test_coding import excerpt_at, url

pytestmark = pytest.mark.django_db

TEXT = "P01: The fellow introduced me to the commissioner very quickly. It changed things."


@pytest.fixture
def themes(team):
    """Impact with its sub-theme Attitude, then Challenges: colours 0, 1 and 2."""
    study = factories.StudyFactory(team=team)
    impact = factories.ThemeFactory(study=study, name="Impact", position=0)
    attitude = factories.ThemeFactory(study=study, name="Attitude", parent=impact)
    challenges = factories.ThemeFactory(study=study, name="Challenges", position=1)
    return {"impact": impact, "attitude": attitude, "challenges": challenges}


@pytest.fixture
def source(themes):
    return factories.SourceFactory(study=themes["impact"].study, text=TEXT)


def page_of(client, source):
    return client.get(url("source_detail", source.study, pk=source.pk))


def test_colours_follow_the_framework_order_and_wrap_round_the_palette(team):
    study = factories.StudyFactory(team=team)
    themes = [factories.ThemeFactory(study=study, position=n) for n in range(PALETTE_SIZE + 2)]
    colours = theme_colours(themes)
    assert [colours[t.pk] for t in themes] == [*range(PALETTE_SIZE), 0, 1]


def test_each_highlight_carries_its_themes_colour_and_names(client_for, source, themes, evaluator):
    first = excerpt_at(source, "The fellow introduced me to", [themes["attitude"]])
    second = excerpt_at(source, "me to the commissioner", [themes["challenges"]])

    html = str(page_of(client_for(evaluator), source).context["text_html"])

    # Attitude is second in the framework (after Impact), Challenges third.
    assert (
        f'<span id="passage-{first.pk}" class="passage-anchor code-label theme-c1" '
        'data-label="Impact › Attitude"></span>'
    ) in html
    assert 'class="passage-anchor code-label theme-c2" data-label="Challenges"' in html
    assert (
        '<mark class="code-mark depth-1 theme-c1" title="Impact › Attitude" '
        f'data-excerpts="{first.pk}">The fellow introduced </mark>'
    ) in html
    # Where the two overlap: the first's colour, underlined in the second's, both names.
    assert (
        '<mark class="code-mark depth-2 theme-c1 overlap under-theme-c2" '
        f'title="Challenges; Impact › Attitude" data-excerpts="{first.pk} {second.pk}">'
        "me to</mark>"
    ) in html
    # The labels are attributes: the text between the tags is the source's, to the letter.
    assert unescape(re.sub(r"<[^>]+>", "", html)) == TEXT


def test_a_passage_with_several_themes_names_them_all(client_for, source, themes, evaluator):
    both = excerpt_at(source, "It changed things.", [themes["challenges"], themes["impact"]])

    html = str(page_of(client_for(evaluator), source).context["text_html"])

    assert f'id="passage-{both.pk}"' in html
    label = re.search(rf'id="passage-{both.pk}"[^>]*data-label="([^"]*)"', html).group(1)
    assert sorted(label.split("; ")) == ["Challenges", "Impact"]


def test_the_passage_list_shows_each_theme_in_its_colour(client_for, source, themes, lead):
    excerpt_at(source, "It changed things.", [themes["challenges"]])
    page = page_of(client_for(lead), source).content.decode()
    assert '<span class="badge theme-badge theme-c2 me-1">Challenges</span>' in page


def test_the_theme_picker_is_a_searchable_list_of_the_frameworks_themes(
    client_for, source, themes, evaluator
):
    page = page_of(client_for(evaluator), source).content.decode()
    assert 'id="theme-search"' in page and 'aria-controls="theme-options"' in page
    attitude = themes["attitude"]
    assert (
        f'<input class="form-check-input" type="checkbox" name="themes" value="{attitude.pk}" '
        f'id="id_themes_{attitude.pk}"><label class="form-check-label" '
        f'for="id_themes_{attitude.pk}"><span class="theme-swatch theme-c1" aria-hidden="true">'
        "</span>Attitude</label>"
    ) in page
    groups = re.findall(r'class="theme-group-name[^"]*" id="[^"]*">([^<]*)<', page)
    assert groups == ["Impact", "Challenges"]


def test_the_picker_keeps_the_themes_chosen_when_the_form_comes_back(
    client_for, source, themes, evaluator
):
    response = client_for(evaluator).post(
        url("excerpt_add", source.study, pk=source.pk),
        {"themes": [themes["challenges"].pk], "quote": "not in the text at all"},
    )
    page = response.content.decode()
    assert (
        f'value="{themes["challenges"].pk}" id="id_themes_{themes["challenges"].pk}" checked>'
        in page
    )
    assert f'value="{themes["impact"].pk}" id="id_themes_{themes["impact"].pk}">' in page
