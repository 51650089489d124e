"""The framework matrix: participants or sources by themes, each cell the number of its
excerpts and the evaluator's summary; the same rows as CSV and XLSX."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from evaluations.matrix import PARTICIPANTS, SOURCES, UNATTRIBUTED, Matrix
from evaluations.models import CellSummary, Excerpt
from tests import factories

pytestmark = pytest.mark.django_db

TEXT = "one two three four five six seven eight nine ten"


def url(name, study, **kwargs):
    return reverse(
        f"evaluations:{name}", kwargs={"team": study.team.slug, "study": study.pk, **kwargs}
    )


@pytest.fixture
def coded(team, evaluator):
    """A study with two themes (one with two sub-themes), two participants, three sources
    and excerpts coded across them, one of them without a participant."""
    study = factories.StudyFactory(team=team, title="Matrix study")
    impact = factories.ThemeFactory(study=study, name="Impact", position=0)
    attitude = factories.ThemeFactory(study=study, name="Attitude", parent=impact, position=0)
    skills = factories.ThemeFactory(study=study, name="Skills", parent=impact, position=1)
    challenges = factories.ThemeFactory(study=study, name="Challenges", position=1)
    p01 = factories.ParticipantFactory(study=study, code="P01", community="research", role="GP")
    p02 = factories.ParticipantFactory(study=study, code="P02", community="commissioning")
    first = factories.SourceFactory(
        study=study, title="Interview P01", text=TEXT, date=datetime.date(2025, 6, 1)
    )
    second = factories.SourceFactory(
        study=study, title="Interview P02", text=TEXT, date=datetime.date(2025, 6, 2)
    )
    workshop = factories.SourceFactory(
        study=study, title="Workshop", kind="workshop", text=TEXT, date=datetime.date(2025, 6, 3)
    )

    def excerpt(source, start, end, themes, participant, memo=""):
        return factories.ExcerptFactory(
            source=source,
            start=start,
            end=end,
            themes=themes,
            participant=participant,
            memo=memo,
            coder=evaluator,
        )

    excerpts = [
        excerpt(first, 0, 3, [attitude], p01, "first"),
        excerpt(first, 4, 7, [attitude, skills], p01),  # once in the Impact column
        excerpt(first, 8, 13, [challenges], p01),
        excerpt(second, 0, 3, [impact], p02),
        excerpt(second, 4, 7, [skills, challenges], p02),
        excerpt(workshop, 0, 7, [attitude], p01),
        excerpt(workshop, 8, 13, [challenges], None),
    ]
    return {
        "study": study,
        "themes": {t.name: t for t in (impact, attitude, skills, challenges)},
        "participants": {"P01": p01, "P02": p02},
        "sources": {s.title: s for s in (first, second, workshop)},
        "excerpts": excerpts,
    }


def counts(matrix):
    return {
        row.label: {cell.column.heading: cell.count for cell in row.cells} for row in matrix.rows
    }


def test_the_columns_are_the_themes_in_framework_order(coded, evaluator):
    matrix = Matrix(coded["study"], evaluator)

    assert [c.heading for c in matrix.columns] == [
        "Impact",
        "Impact › Attitude",
        "Impact › Skills",
        "Challenges",
    ]
    assert [(top.heading, len(members)) for top, members in matrix.column_groups] == [
        ("Impact", 3),
        ("Challenges", 1),
    ]


def test_the_counts_by_participant_match_the_excerpts(coded, evaluator):
    matrix = Matrix(coded["study"], evaluator, PARTICIPANTS)

    assert counts(matrix) == {
        "P01": {"Impact": 3, "Impact › Attitude": 3, "Impact › Skills": 1, "Challenges": 1},
        "P02": {"Impact": 2, "Impact › Attitude": 0, "Impact › Skills": 1, "Challenges": 1},
        "No participant": {
            "Impact": 0,
            "Impact › Attitude": 0,
            "Impact › Skills": 0,
            "Challenges": 1,
        },
    }


@pytest.mark.parametrize("rows", [PARTICIPANTS, SOURCES])
def test_every_cell_counts_the_excerpts_it_opens(client_for, coded, evaluator, rows):
    """Each cell's count is the number of excerpts its page lists, computed independently."""
    matrix = Matrix(coded["study"], evaluator, rows)
    client = client_for(evaluator)

    for row in matrix.rows:
        for cell in row.cells:
            theme = cell.column.theme
            wanted = {theme.pk} | {t.pk for t in theme.children.all()}
            expected = {
                e.pk
                for e in Excerpt.objects.filter(source__study=coded["study"])
                if {t.pk for t in e.themes.all()} & wanted
                and (
                    (e.participant_id or UNATTRIBUTED) == row.key
                    if rows == PARTICIPANTS
                    else e.source_id == row.key
                )
            }
            page = client.get(cell.url)
            assert cell.count == len(expected)
            assert {e.pk for e in page.context["excerpts"]} == expected


def test_the_counts_by_source_match_the_excerpts(coded, evaluator):
    matrix = Matrix(coded["study"], evaluator, SOURCES)

    assert counts(matrix) == {
        "Interview P01": {
            "Impact": 2,
            "Impact › Attitude": 2,
            "Impact › Skills": 1,
            "Challenges": 1,
        },
        "Interview P02": {
            "Impact": 2,
            "Impact › Attitude": 0,
            "Impact › Skills": 1,
            "Challenges": 1,
        },
        "Workshop": {"Impact": 1, "Impact › Attitude": 1, "Impact › Skills": 0, "Challenges": 1},
    }


def test_an_evaluator_writes_a_cells_summary(client_for, coded, evaluator):
    study, p01 = coded["study"], coded["participants"]["P01"]
    cell = url(
        "matrix_cell", study, rows="participants", row=p01.pk, theme=coded["themes"]["Impact"].pk
    )
    client = client_for(evaluator)

    response = client.post(cell, {"text": "Sees commissioners differently."})

    assert response.status_code == 302
    summary = CellSummary.objects.get()
    assert (summary.participant, summary.theme, summary.updated_by) == (
        p01,
        coded["themes"]["Impact"],
        evaluator,
    )
    page = client.get(url("matrix", study))
    assert "Sees commissioners differently." in page.content.decode()

    client.post(cell, {"text": "  "})
    assert not CellSummary.objects.exists()


def test_summaries_by_source_are_their_own(client_for, coded, evaluator):
    study, workshop = coded["study"], coded["sources"]["Workshop"]
    challenges = coded["themes"]["Challenges"]

    client_for(evaluator).post(
        url("matrix_cell", study, rows="sources", row=workshop.pk, theme=challenges.pk),
        {"text": "Timing, again."},
    )

    by_source = Matrix(study, evaluator, SOURCES)
    by_participant = Matrix(study, evaluator, PARTICIPANTS)
    workshop_row = next(r for r in by_source.rows if r.key == workshop.pk)
    assert [c.summary for c in workshop_row.cells] == ["", "", "", "Timing, again."]
    assert all(not c.summary for row in by_participant.rows for c in row.cells)


def test_leads_read_summaries_but_do_not_write_them(client_for, coded, lead):
    study, p01 = coded["study"], coded["participants"]["P01"]
    impact = coded["themes"]["Impact"]
    CellSummary.objects.create(study=study, theme=impact, participant=p01, text="Written")
    cell = url("matrix_cell", study, rows="participants", row=p01.pk, theme=impact.pk)
    client = client_for(lead)

    page = client.get(cell)
    refused = client.post(cell, {"text": "Changed"})

    assert page.context["form"] is None
    assert "Written" in page.content.decode()
    assert refused.status_code == 403
    assert CellSummary.objects.get().text == "Written"


def test_excerpts_without_a_participant_have_no_summary(client_for, coded, evaluator):
    study = coded["study"]
    cell = url(
        "matrix_cell", study, rows="participants", row=0, theme=coded["themes"]["Challenges"].pk
    )
    client = client_for(evaluator)

    assert len(client.get(cell).context["excerpts"]) == 1
    assert client.post(cell, {"text": "No"}).status_code == 404
    assert not CellSummary.objects.exists()


@pytest.mark.parametrize(
    "kwargs",
    [
        {"rows": "contacts", "row": 1, "theme": 1},
        {"rows": "participants", "row": 999, "theme": None},
        {"rows": "sources", "row": 999, "theme": None},
    ],
)
def test_a_cell_outside_the_study_is_not_found(client_for, coded, evaluator, kwargs):
    kwargs["theme"] = kwargs["theme"] or coded["themes"]["Impact"].pk

    response = client_for(evaluator).get(url("matrix_cell", coded["study"], **kwargs))

    assert response.status_code == 404


def test_a_theme_of_another_study_is_not_found(client_for, coded, evaluator, team):
    stranger = factories.ThemeFactory(study=factories.StudyFactory(team=team))
    p01 = coded["participants"]["P01"]

    response = client_for(evaluator).get(
        url("matrix_cell", coded["study"], rows="participants", row=p01.pk, theme=stranger.pk)
    )

    assert response.status_code == 404


def download(client, study, **query):
    response = client.get(url("matrix", study), query)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return response, content


# Plain column names, the themes' codes of the codebook file: no "›", no spaces.
HEADINGS = [
    "impact_excerpts",
    "impact_summary",
    "impact__attitude_excerpts",
    "impact__attitude_summary",
    "impact__skills_excerpts",
    "impact__skills_summary",
    "challenges_excerpts",
    "challenges_summary",
]


def test_it_exports_the_matrix_by_participant_as_csv(client_for, coded, lead):
    study, p01 = coded["study"], coded["participants"]["P01"]
    CellSummary.objects.create(
        study=study, theme=coded["themes"]["Impact"], participant=p01, text="=Seen, differently"
    )

    response, content = download(client_for(lead), study, export="csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="study-{study.pk}-matrix-participants.csv"' in response["Content-Disposition"]
    assert content.decode().split("\r\n") == [
        "participant,community,role," + ",".join(HEADINGS),
        'P01,research,GP,3,"\'=Seen, differently",3,,1,,1,',
        "P02,commissioning,Researcher,2,,0,,1,,1,",
        "(no participant),,,0,,0,,0,,1,",
        "",
    ]


def test_it_exports_the_matrix_by_source_as_csv(client_for, coded, evaluator):
    response, content = download(
        client_for(evaluator), coded["study"], rows="sources", export="csv"
    )

    assert content.decode().split("\r\n") == [
        "source,kind,date," + ",".join(HEADINGS),
        "Interview P01,interview,2025-06-01,2,,2,,1,,1,",
        "Interview P02,interview,2025-06-02,2,,0,,1,,1,",
        "Workshop,workshop,2025-06-03,1,,1,,0,,1,",
        "",
    ]


def test_it_exports_the_same_rows_as_xlsx(client_for, coded, evaluator):
    study = coded["study"]
    CellSummary.objects.create(
        study=study,
        theme=coded["themes"]["Challenges"],
        participant=coded["participants"]["P02"],
        text="=SUM(1)",
    )

    response, content = download(client_for(evaluator), study, export="xlsx")

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["participant", "community", "role", *HEADINGS]
    assert rows[1:] == [
        ["P01", "research", "GP", 3, None, 3, None, 1, None, 1, None],
        ["P02", "commissioning", "Researcher", 2, None, 0, None, 1, None, 1, "=SUM(1)"],
        ["(no participant)", None, None, 0, None, 0, None, 0, None, 1, None],
    ]
    assert sheet.cell(row=3, column=11).data_type == "s"  # text, never a formula


def test_the_matrix_takes_a_fixed_number_of_queries(
    client_for, coded, evaluator, django_assert_num_queries
):
    study = coded["study"]
    for number in range(3, 8):
        participant = factories.ParticipantFactory(study=study, code=f"P{number:02d}")
        source = factories.SourceFactory(study=study, text=TEXT, participants=[participant])
        factories.ExcerptFactory(
            source=source,
            themes=list(coded["themes"].values()),
            participant=participant,
        )
        CellSummary.objects.create(
            study=study, theme=coded["themes"]["Skills"], participant=participant, text="S"
        )
    client = client_for(evaluator)

    # session, user, membership, study; themes (with parents); codings; summaries;
    # participants: 8 for the page, and for each download those and the access log's
    # record, whatever the rows and cells.
    with django_assert_num_queries(8):
        page = client.get(url("matrix", study))
    with django_assert_num_queries(9):
        download(client, study, export="csv")
    with django_assert_num_queries(9):
        download(client, study, rows="sources", export="xlsx")

    assert len(page.context["matrix"].rows) == 8
