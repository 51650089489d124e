"""Passages and the log: a participant linked to a contact shows the evaluator the activities
that contact took part in beside their coded passages (pseudonymised, free text redacted),
and the framework matrix is filtered by community and by the category of those activities."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def url(name, study, **kwargs):
    return reverse(
        f"evaluations:{name}", kwargs={"team": study.team.slug, "study": study.pk, **kwargs}
    )


@pytest.fixture
def world(team, other_team, broker):
    """P01 (research, linked to Dana Whitfield, who attended a seminar in the study's period
    and an introduction before it), P02 (commissioning, linked to a contact with no
    activity), P03 (research, not linked); each with one coded passage of one theme."""
    study = factories.StudyFactory(team=team)  # 1 April 2025 to 31 March 2026
    dana = factories.ContactFactory(team=team, name="Dana Whitfield", community="research")
    quiet = factories.ContactFactory(team=team, name="Quiet Person", community="commissioning")
    seminar = factories.ActivityFactory(
        team=team,
        lead_broker=broker.broker_profile,
        activity_type=factories.activity_type(team, "Seminar delivered"),
        title="Seminar with Dana Whitfield on frailty",
        description="Dana Whitfield asked about evaluation.",
        date=datetime.date(2025, 5, 1),
        contacts=[dana],
    )
    intro = factories.ActivityFactory(
        team=team,
        lead_broker=broker.broker_profile,
        title="Introduction before the study",
        date=datetime.date(2024, 11, 3),
        contacts=[dana],
    )
    unrelated = factories.ActivityFactory(
        team=team, lead_broker=broker.broker_profile, title="Someone else's meeting"
    )
    p01 = factories.ParticipantFactory(study=study, code="P01", community="research", contact=dana)
    p02 = factories.ParticipantFactory(
        study=study, code="P02", community="commissioning", contact=quiet
    )
    p03 = factories.ParticipantFactory(study=study, code="P03", community="research")
    theme = factories.ThemeFactory(study=study, name="Enablers")
    source = factories.SourceFactory(
        study=study, title="Group interview", text="alpha beta gamma delta epsilon zeta"
    )
    source.participants.set([p01, p02, p03])
    for participant, (start, end) in zip((p01, p02, p03), ((0, 5), (6, 10), (11, 16)), strict=True):
        factories.ExcerptFactory(
            source=source, start=start, end=end, themes=[theme], participant=participant
        )
    return {
        "study": study,
        "dana": dana,
        "seminar": seminar,
        "intro": intro,
        "unrelated": unrelated,
        "p01": p01,
        "p02": p02,
        "p03": p03,
    }


def test_the_evaluator_sees_the_contacts_activities_beside_the_passages(
    client_for, world, evaluator
):
    study, dana = world["study"], world["dana"]
    response = client_for(evaluator).get(url("participant_detail", study, pk=world["p01"].pk))
    page = response.content.decode()

    assert "“alpha”" in page  # their coded passage
    assert response.context["activity_count"] == 2
    assert [a.pk for a in response.context["activities"]] == [
        world["seminar"].pk,
        world["intro"].pk,
    ]
    assert response.context["in_period"] == {world["seminar"].pk}
    assert f"Seminar with {dana.pseudonym} on frailty" in page
    assert f"{dana.pseudonym} asked about evaluation." in page
    assert "Dana Whitfield" not in page and "Whitfield" not in page
    assert "Someone else" not in page


def test_a_lead_reads_the_passages_but_not_which_contact_or_their_activities(
    client_for, world, lead
):
    response = client_for(lead).get(url("participant_detail", world["study"], pk=world["p01"].pk))
    page = response.content.decode()
    assert "“alpha”" in page
    assert "Seminar with" not in page and world["dana"].pseudonym not in page
    assert "stays with the study's evaluators" in page


def test_a_participant_without_a_contact_says_how_to_link_one(client_for, world, evaluator):
    page = client_for(evaluator).get(url("participant_detail", world["study"], pk=world["p03"].pk))
    assert "Not linked to a contact" in page.content.decode()


def matrix_rows(client, study, **query):
    response = client.get(url("matrix", study), {"rows": "participants", **query})
    return [
        (row.label, [cell.count for cell in row.cells]) for row in response.context["matrix"].rows
    ]


def test_the_matrix_is_filtered_by_community(client_for, world, evaluator):
    rows = matrix_rows(client_for(evaluator), world["study"], community="research")
    assert rows == [("P01", [1]), ("P03", [1])]


def test_the_matrix_is_filtered_by_the_category_of_the_contacts_activities(
    client_for, world, evaluator
):
    client = client_for(evaluator)
    study = world["study"]
    assert matrix_rows(client, study, category="awareness_raising") == [("P01", [1])]
    # The introduction was before the study's period: nobody took part in one within it.
    assert matrix_rows(client, study, category="relationship_building") == []
    assert matrix_rows(client, study) == [("P01", [1]), ("P02", [1]), ("P03", [1])]


def test_the_sources_matrix_counts_the_chosen_participants_passages(client_for, world, evaluator):
    response = client_for(evaluator).get(
        url("matrix", world["study"]), {"rows": "sources", "community": "research"}
    )
    rows = [(row.label, [c.count for c in row.cells]) for row in response.context["matrix"].rows]
    assert rows == [("Group interview", [2])]


def test_the_matrix_file_has_the_filtered_rows(client_for, world, evaluator):
    response = client_for(evaluator).get(
        url("matrix", world["study"]), {"community": "commissioning", "export": "csv"}
    )
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert [row[0] for row in rows[1:]] == ["P02"]


def test_a_lead_cannot_filter_by_activities(client_for, world, lead):
    # The category filter would tell which participants are which contacts: leads have none.
    rows = matrix_rows(client_for(lead), world["study"], category="awareness_raising")
    assert [label for label, _ in rows] == ["P01", "P02", "P03"]
    page = client_for(lead).get(url("matrix", world["study"])).content.decode()
    assert 'name="category"' not in page and 'name="community"' in page
