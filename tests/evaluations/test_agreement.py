"""Inter-coder agreement: the coefficients against published worked examples and against an
independent implementation (the `krippendorff` package), and a study's page."""

import random

import krippendorff
import numpy as np
import pytest
from django.urls import reverse

from evaluations.agreement import (
    CHARACTERS,
    PARAGRAPHS,
    SENTENCES,
    cohens_kappa,
    krippendorff_alpha,
    percentage_agreement,
    study_agreement,
    text_units,
)
from tests import factories

M = None  # a missing decision

# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", C: four observers, twelve
# units, nominal values with missing data; the paper works it out as alpha = 0.743.
KRIPPENDORFF_C = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, M, M, M],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, M, 3],
    [M, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, M],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, M],
]
# Krippendorff (2011), A: two observers, binary data, ten units; alpha = 0.095.
KRIPPENDORFF_A = [
    [0, 1, 0, 0, 0, 0, 0, 0, 1, 0],
    [1, 1, 1, 0, 0, 1, 0, 0, 0, 0],
]


def units_of(rows, weights=None):
    """Coders-by-units rows as the (weight, values) units the functions take."""
    columns = list(zip(*rows, strict=True))
    return [(1 if weights is None else weights[i], list(c)) for i, c in enumerate(columns)]


def package_alpha(rows):
    data = np.array([[np.nan if v is None else v for v in row] for row in rows], dtype=float)
    return krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")


def test_alpha_matches_krippendorffs_worked_example_with_four_observers_and_missing_data():
    assert krippendorff_alpha(units_of(KRIPPENDORFF_C)) == pytest.approx(0.743, abs=5e-4)


def test_alpha_matches_krippendorffs_binary_example():
    assert krippendorff_alpha(units_of(KRIPPENDORFF_A)) == pytest.approx(0.095, abs=5e-4)


def test_kappa_matches_the_textbook_example():
    # 50 grant proposals read by two readers: 20 both yes, 5 A yes B no, 10 A no B yes,
    # 15 both no. p_o = 35/50 = 0.7; p_e = 0.5·0.6 + 0.5·0.4 = 0.5; kappa = 0.2/0.5 = 0.4.
    units = [(20, [1, 1]), (5, [1, 0]), (10, [0, 1]), (15, [0, 0])]
    assert cohens_kappa(units) == pytest.approx(0.4)
    assert percentage_agreement(units) == pytest.approx(0.7)


def test_percentage_agreement_counts_pairs_of_decisions_within_a_unit():
    # Unit 1: three coders 1, 1, 0 -> 1 of 3 pairs agree; unit 2: 1, 1, missing -> 1 of 1.
    units = [(1, [1, 1, 0]), (1, [1, 1, None])]
    assert percentage_agreement(units) == pytest.approx(2 / 4)


@pytest.mark.parametrize("seed", range(8))
def test_alpha_equals_the_krippendorff_package_on_random_data(seed):
    rng = random.Random(seed)
    coders, units = rng.randint(2, 5), rng.randint(5, 40)
    rows = [
        [None if rng.random() < 0.2 else rng.randint(0, 3) for _ in range(units)]
        for _ in range(coders)
    ]
    assert krippendorff_alpha(units_of(rows)) == pytest.approx(package_alpha(rows))


def test_a_weighted_unit_counts_as_that_many_units():
    rows = [[1, 0, 1, 1], [1, 1, 0, 1]]
    weights = [3, 1, 2, 5]
    expanded = [[v for v, w in zip(row, weights, strict=True) for _ in range(w)] for row in rows]
    assert krippendorff_alpha(units_of(rows, weights)) == pytest.approx(package_alpha(expanded))
    assert cohens_kappa(units_of(rows, weights)) == pytest.approx(cohens_kappa(units_of(expanded)))


def test_the_figures_are_undefined_without_variation_or_without_pairs():
    assert krippendorff_alpha([(4, [0, 0]), (2, [0, 0])]) is None
    assert cohens_kappa([(4, [0, 0])]) is None
    assert percentage_agreement([(3, [1, None])]) is None
    assert krippendorff_alpha([(3, [1, None])]) is None


def test_sentences_and_paragraphs_are_cut_at_their_ends():
    text = "First one. Second one? Yes!\n\nAnother paragraph here."
    sentences = [text[a:b] for a, b, _ in text_units(text, SENTENCES)]
    assert sentences == ["First one.", "Second one?", "Yes!", "Another paragraph here."]
    paragraphs = [text[a:b] for a, b, _ in text_units(text, PARAGRAPHS)]
    assert paragraphs == ["First one. Second one? Yes!", "Another paragraph here."]
    assert text_units("abcdef", CHARACTERS, cuts=(2, 4)) == [(0, 2, 2), (2, 4, 2), (4, 6, 2)]


# A study coded by two evaluators -------------------------------------------------------------


@pytest.fixture
def coded(team, evaluator, lead):
    """Ten characters coded by two evaluators: A codes 0–6 with T1, B codes 2–8 with T1."""
    second = factories.UserFactory(username="second", first_name="Sam", last_name="Second")
    factories.MembershipFactory(user=second, team=team, role="evaluator")
    study = factories.StudyFactory(team=team)
    source = factories.SourceFactory(study=study, text="abcdefghij", title="Shared interview")
    t1 = factories.ThemeFactory(study=study, name="Connecting")
    t2 = factories.ThemeFactory(study=study, name="Unused")
    factories.ExcerptFactory(source=source, start=0, end=6, themes=[t1], coder=evaluator)
    factories.ExcerptFactory(source=source, start=2, end=8, themes=[t1], coder=second)
    # Coded by one evaluator only: it does not count.
    alone = factories.SourceFactory(study=study, text="zzzzzzzzzz", title="Solo")
    factories.ExcerptFactory(source=alone, start=0, end=5, themes=[t1], coder=evaluator)
    return {"study": study, "source": source, "t1": t1, "t2": t2, "second": second}


def test_a_study_agreement_is_the_hand_computed_one(coded, evaluator):
    # Per character, A: 1111110000, B: 0011111100. They agree on 2–5 (coded) and 8–9 (not):
    # 6 of 10. p_A = p_B = 0.6, p_e = 0.36 + 0.16 = 0.52, kappa = (0.6 − 0.52) / 0.48.
    result = study_agreement(coded["study"], evaluator, CHARACTERS)
    row = next(r for r in result.rows if r.theme == coded["t1"])
    assert [s.title for s in result.sources] == ["Shared interview"]
    assert row.figures.units == 10
    assert row.figures.percentage == pytest.approx(0.6)
    assert row.figures.kappa == pytest.approx(0.08 / 0.48)
    a = [1, 1, 1, 1, 1, 1, 0, 0, 0, 0]
    b = [0, 0, 1, 1, 1, 1, 1, 1, 0, 0]
    assert row.figures.alpha == pytest.approx(package_alpha([a, b]))
    assert row.coded_by == {evaluator.pk: 6, coded["second"].pk: 6}
    unused = next(r for r in result.rows if r.theme == coded["t2"])
    assert unused.figures.alpha is None and unused.figures.percentage == 1
    # Overall pools both themes: 20 decisions per coder, 16 agreeing.
    assert result.overall.percentage == pytest.approx(16 / 20)
    assert result.overall.alpha == pytest.approx(package_alpha([a + [0] * 10, b + [0] * 10]))


def test_the_disagreements_are_the_passages_with_different_themes(coded, evaluator):
    result = study_agreement(coded["study"], evaluator, CHARACTERS)
    passages = [(d.start, d.end, d.text) for d in result.disagreements]
    assert passages == [(0, 2, "ab"), (6, 8, "gh")]
    first = {coder.pk: labels for coder, labels in result.disagreements[0].themes_by_coder}
    assert first == {evaluator.pk: ["Connecting"], coded["second"].pk: []}


def test_with_sentences_a_touched_sentence_is_coded(team, evaluator, coded):
    source = coded["source"]
    source.text = "One t. Three four. Five six."
    source.save()
    # A's passage (0–6) touches the first sentence, B's (2–8) the first and the second; the
    # third is touched by neither: they agree on two sentences of three.
    result = study_agreement(coded["study"], evaluator, SENTENCES)
    row = next(r for r in result.rows if r.theme == coded["t1"])
    assert row.figures.units == 3
    assert row.figures.percentage == pytest.approx(2 / 3)


def test_the_page_shows_the_figures_to_evaluators_and_leads_only(
    client_for, coded, evaluator, lead, broker
):
    study = coded["study"]
    url = reverse("evaluations:agreement", kwargs={"team": study.team.slug, "study": study.pk})
    page = client_for(evaluator).get(url).content.decode()
    assert "Cohen's kappa" in page and "0.167" in page and "60.0%" in page
    assert "Units: <strong>characters</strong>" in page
    assert "Shared interview" in page and "“ab”" in page
    assert client_for(lead).get(url).status_code == 200
    assert client_for(broker).get(url + "?unit=sentences").status_code == 403


def test_the_page_computes_on_the_chosen_units_and_source(client_for, coded, evaluator):
    study = coded["study"]
    url = reverse("evaluations:agreement", kwargs={"team": study.team.slug, "study": study.pk})
    page = client_for(evaluator).get(url, {"unit": "paragraphs"}).content.decode()
    assert "Units: <strong>paragraphs</strong>" in page
    solo = study.sources.get(title="Solo")
    page = client_for(evaluator).get(url, {"source": solo.pk}).content.decode()
    assert "No source has been coded by two evaluators" in page


def test_another_teams_source_is_refused(client_for, coded, evaluator, other_team):
    study = coded["study"]
    theirs = factories.SourceFactory(study=factories.StudyFactory(team=other_team))
    url = reverse("evaluations:agreement", kwargs={"team": study.team.slug, "study": study.pk})
    response = client_for(evaluator).get(url, {"source": theirs.pk})
    assert "source" in response.context["options"].errors
    # The figures fall back to every source of the study.
    assert [s.title for s in response.context["result"].sources] == ["Shared interview"]


def test_two_of_three_coders_are_chosen_for_their_kappa(client_for, coded, team, evaluator):
    third = factories.UserFactory(username="third", first_name="Tia", last_name="Third")
    factories.MembershipFactory(user=third, team=team, role="evaluator")
    factories.ExcerptFactory(
        source=coded["source"], start=0, end=10, themes=[coded["t1"]], coder=third
    )
    study = coded["study"]
    url = reverse("evaluations:agreement", kwargs={"team": study.team.slug, "study": study.pk})
    client = client_for(evaluator)

    every = client.get(url).context["result"]
    assert len(every.coders) == 3 and not every.two_coders
    assert 'name="coders"' in client.get(url).content.decode()

    pair = client.get(url, {"coders": [evaluator.pk, coded["second"].pk]}).context["result"]
    row = next(r for r in pair.rows if r.theme == coded["t1"])
    assert pair.two_coders
    assert row.figures.kappa == pytest.approx(0.08 / 0.48)  # the pair's, as computed above
