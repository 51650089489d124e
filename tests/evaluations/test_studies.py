"""Evaluation studies and their participants: made by evaluators, read by leads."""

import datetime

import pytest
from django.urls import reverse

from evaluations.models import Participant, Study
from tests import factories

pytestmark = pytest.mark.django_db


def team_url(name, **kwargs):
    return reverse(f"evaluations:{name}", kwargs={"team": "bristol", **kwargs})


def test_an_evaluator_starts_a_study(client_for, team, evaluator, lead):
    colleague = factories.UserFactory(username="second-evaluator")
    factories.MembershipFactory(user=colleague, team=team, role="evaluator")
    client = client_for(evaluator)

    form = client.get(team_url("study_add")).context["form"]
    response = client.post(
        team_url("study_add"),
        {
            "title": "Formative evaluation",
            "questions": "What do brokers do?\nWhat helps?",
            "period_start": "2025-04-01",
            "period_end": "2026-03-31",
            "status": "planning",
            "evaluators": [evaluator.pk, colleague.pk],
        },
    )

    assert set(form.fields["evaluators"].queryset) == {evaluator, colleague}
    assert form.fields["evaluators"].initial == [evaluator.pk]
    study = Study.objects.get()
    assert response["Location"] == team_url("study_detail", pk=study.pk)
    assert (study.team, study.created_by, study.period_end) == (
        team,
        evaluator,
        datetime.date(2026, 3, 31),
    )
    assert set(study.evaluators.all()) == {evaluator, colleague}
    page = client_for(lead).get(team_url("study_detail", pk=study.pk))
    assert page.context["questions"] == ["What do brokers do?", "What helps?"]


def test_a_study_period_must_not_end_before_it_starts(client_for, evaluator):
    response = client_for(evaluator).post(
        team_url("study_add"),
        {
            "title": "Backwards",
            "period_start": "2025-04-01",
            "period_end": "2025-03-31",
            "status": "planning",
        },
    )

    assert "must not end before it starts" in response.context["form"].errors["period_end"][0]
    assert not Study.objects.exists()


def test_only_the_teams_evaluators_can_be_named(client_for, team, evaluator, broker):
    response = client_for(evaluator).post(
        team_url("study_add"), {"title": "T", "status": "planning", "evaluators": [broker.pk]}
    )

    assert "evaluators" in response.context["form"].errors
    assert not Study.objects.exists()


def test_participants_get_the_next_free_code(client_for, team, evaluator):
    study = factories.StudyFactory(team=team)
    factories.ParticipantFactory(study=study, code="P01")
    factories.ParticipantFactory(study=study, code="X-7")
    client = client_for(evaluator)
    add = team_url("participant_add", study=study.pk)

    client.post(add, {"community": "research", "role": "Researcher"})
    client.post(add, {"community": "commissioning", "code": " p10 "})
    duplicate = client.post(add, {"community": "clinical", "code": "P02"})

    assert list(Participant.objects.order_by("pk").values_list("code", flat=True)) == [
        "P01",
        "X-7",
        "P02",
        "P10",
    ]
    assert "has this code" in duplicate.context["form"].errors["code"][0]


def test_a_participants_contact_is_one_of_the_teams(client_for, team, evaluator, other_team):
    study = factories.StudyFactory(team=team)
    stranger = factories.ContactFactory(team=other_team)

    response = client_for(evaluator).post(
        team_url("participant_add", study=study.pk),
        {"community": "research", "contact": stranger.pk},
    )

    assert "contact" in response.context["form"].errors
    assert not Participant.objects.exists()


def test_another_teams_study_is_not_found(client_for, evaluator, other_team):
    study = factories.StudyFactory(team=other_team)

    response = client_for(evaluator).get(team_url("participant_list", study=study.pk))

    assert response.status_code == 404


def test_the_study_list_takes_a_fixed_number_of_queries(
    client_for, team, evaluator, django_assert_num_queries
):
    for number in range(4):
        study = factories.StudyFactory(team=team, title=f"Study {number}")
        study.evaluators.set([evaluator])
        factories.SourceFactory(study=study)
        factories.ParticipantFactory(study=study)
    client = client_for(evaluator)

    # session, user, membership; studies with their counts; their evaluators.
    with django_assert_num_queries(5):
        response = client.get(team_url("study_list"))

    assert [s.source_count for s in response.context["studies"]] == [1, 1, 1, 1]
