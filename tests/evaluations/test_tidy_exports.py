"""Tidy tables of a study: the codebook, and code-by-case matrices of counts and of presence,
with plain `theme_code` headings, as the data dictionary declares them."""

import csv
import io

import pytest
from django.urls import reverse

from evaluations.models import Source
from evaluations.qda.tidy import CODEBOOK, PARTICIPANT_MATRIX, SOURCE_MATRIX, THEME_COLUMNS
from tests import factories

pytestmark = pytest.mark.django_db

TEXT = "alpha beta gamma delta epsilon"


def passage(source, words, themes, **fields):
    start = source.text.index(words)
    return factories.ExcerptFactory(
        source=source, start=start, end=start + len(words), themes=themes, **fields
    )


@pytest.fixture
def study(team):
    study = factories.StudyFactory(team=team)
    impact = factories.ThemeFactory(study=study, name="Impact", position=0, description="Change.")
    knowledge = factories.ThemeFactory(study=study, name="Knowledge", parent=impact)
    enablers = factories.ThemeFactory(study=study, name="Enablers", position=1)
    p01 = factories.ParticipantFactory(study=study, code="P01", community="research", role="GP")
    p02 = factories.ParticipantFactory(
        study=study, code="P02", community="commissioning", role="Commissioner"
    )
    first = factories.SourceFactory(study=study, title="Interview", text=TEXT)
    second = factories.SourceFactory(study=study, title="Minutes", text=TEXT, kind="document")
    passage(first, "alpha", [knowledge, enablers], participant=p01)
    passage(first, "beta", [impact], participant=p01)
    passage(second, "gamma", [enablers], participant=p02)
    passage(first, "delta", [knowledge])
    study.sources_in_order = (first, second)
    return study


def rows_of(response):
    content = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(content, newline="")))


def matrix(client, study, rows, values):
    url = reverse("evaluations:qda_case_matrix", args=[study.team.slug, study.pk])
    response = client.get(url, {"rows": rows, "values": values, "export": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'study-{study.pk}-{rows}-{values}.csv"')
    return rows_of(response)


def test_the_codebook_names_each_theme_by_its_code(client_for, study, lead):
    url = reverse("evaluations:qda_codebook_table", args=[study.team.slug, study.pk])

    rows = rows_of(client_for(lead).get(url, {"export": "csv"}))

    assert rows == [
        CODEBOOK.header,
        ["impact", "", "Impact", "", "1", "Change.", "#FFEC99"],
        ["impact__knowledge", "impact", "Impact", "Knowledge", "2", "", "#B2F2BB"],
        ["enablers", "", "Enablers", "", "1", "", "#A5D8FF"],
    ]


def test_the_participant_matrix_counts_and_marks_presence(client_for, study, evaluator):
    client = client_for(evaluator)
    header = ["participant", "community", "role", "impact", "impact__knowledge", "enablers"]

    # Impact counts its sub-theme's passages too, each once: P01 has "alpha" (Knowledge)
    # and "beta" (Impact); "delta" has no participant.
    assert matrix(client, study, "participants", "counts") == [
        header,
        ["P01", "research", "GP", "2", "1", "1"],
        ["P02", "commissioning", "Commissioner", "0", "0", "1"],
        ["", "", "", "1", "1", "0"],
    ]
    assert matrix(client, study, "participants", "presence") == [
        header,
        ["P01", "research", "GP", "1", "1", "1"],
        ["P02", "commissioning", "Commissioner", "0", "0", "1"],
        ["", "", "", "1", "1", "0"],
    ]


def test_the_source_matrix_counts_each_source(client_for, study, evaluator):
    first, second = study.sources_in_order

    rows = matrix(client_for(evaluator), study, "sources", "counts")

    assert rows == [
        ["source_id", "source", "kind", "date", "impact", "impact__knowledge", "enablers"],
        [str(first.pk), "Interview", "interview", "2025-06-02", "3", "2", "1"],
        [str(second.pk), "Minutes", "document", "2025-06-02", "0", "0", "1"],
    ]


def test_matrix_headings_are_the_dictionarys_with_the_codebooks_codes(client_for, study, evaluator):
    client = client_for(evaluator)
    url = reverse("evaluations:qda_codebook_table", args=[study.team.slug, study.pk])
    codes = [row[0] for row in rows_of(client.get(url, {"export": "csv"}))[1:]]

    for rows, export in (("participants", PARTICIPANT_MATRIX), ("sources", SOURCE_MATRIX)):
        declared = export.header
        position = declared.index(THEME_COLUMNS)
        expected = declared[:position] + codes + declared[position + 1 :]
        assert matrix(client, study, rows, "counts")[0] == expected


def test_an_unknown_matrix_is_not_found(client_for, study, evaluator):
    url = reverse("evaluations:qda_case_matrix", args=[study.team.slug, study.pk])

    assert client_for(evaluator).get(url, {"rows": "themes"}).status_code == 404
    assert client_for(evaluator).get(url, {"values": "sums"}).status_code == 404


def test_a_lead_never_reads_a_private_copy_in_the_source_matrix(client_for, study, lead):
    private = factories.SourceFactory(study=study, title="Private copy", text=TEXT)
    Source.objects.filter(pk=private.pk).update(evaluators_only=True)
    passage(private, "alpha", list(study.themes.filter(name="Enablers")))

    rows = matrix(client_for(lead), study, "sources", "counts")

    assert [row[1] for row in rows[1:]] == ["Interview", "Minutes"]
