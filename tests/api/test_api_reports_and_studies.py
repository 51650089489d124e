"""Report figures, a study's coded passages and its framework matrix through the API."""

import pytest
from django.urls import reverse
from freezegun import freeze_time

from audit.models import AccessRecord
from evaluations.exports import EXCERPTS
from tests import factories
from tests.evaluations.quarter_fixture import build_logbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def log(team, lead, broker, other_team):
    with freeze_time("2025-10-01 12:00"):
        return build_logbook(team, lead, broker, other_team)


def rows_by_code(body):
    return {(row["section_code"], row["breakdown_code"]): row for row in body["rows"]}


@freeze_time("2025-10-01 12:00")
def test_a_quarters_figures_are_the_reports_worked_by_hand(log, evaluator, api_as, team):
    # tests/evaluations/quarter_fixture.py works these out: 2025/26 Q2 is 1 Jul-30 Sep 2025.
    response = api_as(evaluator, team).get(
        reverse("api:report", kwargs={"team": "bristol", "quarter": "2025-q2"})
    )

    assert response.status_code == 200
    body = response.json()
    assert body["columns"] == [
        {"name": "this_quarter", "start": "2025-07-01", "end": "2025-09-30"},
        {"name": "previous_quarter", "start": "2025-04-01", "end": "2025-06-30"},
        {"name": "year_to_date", "start": "2025-04-01", "end": "2025-09-30"},
    ]
    rows = rows_by_code(body)
    activities = rows[("activities", "total")]
    assert activities == {
        "section": "Activities",
        "breakdown": "All activities",
        "this_quarter": 4,
        "previous_quarter": 2,
        "year_to_date": 6,
        "section_code": "activities",
        "breakdown_code": "total",
    }
    hours = rows[("hours", "total")]
    assert (hours["this_quarter"], hours["previous_quarter"], hours["year_to_date"]) == (
        2.1,
        3.5,
        5.6,
    )
    contacts = rows[("contacts", "total")]
    assert (contacts["this_quarter"], contacts["year_to_date"]) == (4, 4)


@freeze_time("2025-10-01 12:00")
def test_any_periods_figures_come_from_its_dates(log, broker, api_as, team):
    response = api_as(broker, team).get(
        reverse("api:report_period", kwargs={"team": "bristol"}),
        {"date_from": "2025-07-01", "date_to": "2025-09-30"},
    )

    assert response.status_code == 200
    activities = rows_by_code(response.json())[("activities", "total")]
    assert (activities["this_period"], activities["year_to_date"]) == (4, 6)


def test_a_period_needs_both_dates(team, broker, api_as):
    response = api_as(broker, team).get(
        reverse("api:report_period", kwargs={"team": "bristol"}), {"date_from": "2025-07-01"}
    )

    assert response.status_code == 400
    assert "date_to" in response.json()["fields"]


@pytest.fixture
def study(team, evaluator):
    study = factories.StudyFactory(team=team, title="Fellowship evaluation")
    theme = factories.ThemeFactory(study=study, name="Impact")
    participant = factories.ParticipantFactory(study=study, code="P01", community="clinical")
    source = factories.SourceFactory(study=study, title="Interview P01", text="It saved months.")
    factories.ExcerptFactory(
        source=source, participant=participant, coder=evaluator, themes=[theme], end=8
    )
    return study


def test_evaluators_read_a_studys_coded_passages_with_the_csv_columns(
    team, study, evaluator, api_as
):
    response = api_as(evaluator, team).get(
        reverse("api:excerpts", kwargs={"team": "bristol", "study": study.pk})
    )

    assert response.status_code == 200
    [row] = response.json()["results"]
    assert list(row) == EXCERPTS.header
    assert (row["source"], row["participant"], row["community"]) == (
        "Interview P01",
        "P01",
        "clinical",
    )
    assert (row["theme"], row["text"]) == ("Impact", "It saved")
    assert AccessRecord.objects.get().kind == AccessRecord.Kind.API


def test_the_matrix_is_its_csvs_header_and_rows(team, study, evaluator, api_as):
    response = api_as(evaluator, team).get(
        reverse("api:matrix", kwargs={"team": "bristol", "study": study.pk})
    )

    assert response.status_code == 200
    body = response.json()
    assert body["header"] == [
        "participant",
        "community",
        "role",
        "impact_excerpts",
        "impact_summary",
    ]
    assert body["rows"][0][:1] + body["rows"][0][3:] == ["P01", 1, ""]


def test_brokers_do_not_read_studies_and_other_teams_studies_are_not_found(
    team, other_team, study, broker, other_evaluator, api_as
):
    url = reverse("api:excerpts", kwargs={"team": "bristol", "study": study.pk})
    other_study = factories.StudyFactory(team=other_team)

    assert api_as(broker, team).get(url).status_code == 403
    assert api_as(other_evaluator, other_team).get(url).status_code == 404
    mine = reverse("api:excerpts", kwargs={"team": "bristol", "study": other_study.pk})
    evaluator = team.memberships.get(role="evaluator").user
    assert api_as(evaluator, team).get(mine).json() == {"status": 404, "error": "No such study."}
