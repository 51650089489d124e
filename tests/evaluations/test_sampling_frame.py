"""The sampling frame for interviews: contacts with at least one activity with the team in
the period, by community, with activity counts and the last contact date; pseudonymised for
evaluators; exportable as CSV; and the way to draw participants from it."""

import datetime

import pytest
from django.urls import reverse

from evaluations.models import Participant
from tests import factories

pytestmark = pytest.mark.django_db

HEADER = "contact,community,organisation,organisation_kind,activities,last_contact"


@pytest.fixture
def study(team, evaluator):
    return factories.StudyFactory(
        team=team, period_start=datetime.date(2025, 4, 1), period_end=datetime.date(2025, 9, 30)
    )


@pytest.fixture
def people(team, broker, other_team, other_broker):
    """Contacts with activities inside and outside the study's period."""
    uni = factories.OrganisationFactory(name="University of Bristol", kind="university")
    icb = factories.OrganisationFactory(name="BNSSG ICB", kind="commissioner")
    researcher = factories.ContactFactory(
        team=team, name="Ruth Researcher", community="research", organisation=uni
    )
    commissioner = factories.ContactFactory(
        team=team, name="Cal Commissioner", community="commissioning", organisation=icb
    )
    busy = factories.ContactFactory(team=team, name="Bo Busy", community="research")
    lapsed = factories.ContactFactory(team=team, name="Lee Lapsed", community="research")
    erased = factories.ContactFactory(team=team, name="Ed Erased", community="clinical")
    stranger = factories.ContactFactory(team=other_team, name="Wyn Stranger")

    def activity(day, contacts, who=broker, team_=team):
        factories.ActivityFactory(
            team=team_, lead_broker=who.broker_profile, date=day, contacts=contacts
        )

    activity(datetime.date(2025, 4, 1), [researcher, busy])
    activity(datetime.date(2025, 6, 15), [busy])
    activity(datetime.date(2025, 9, 30), [busy, commissioner])
    activity(datetime.date(2025, 10, 1), [researcher])  # after the period
    activity(datetime.date(2025, 3, 31), [lapsed])  # before it
    activity(datetime.date(2025, 5, 1), [erased])
    activity(datetime.date(2025, 5, 1), [stranger], other_broker, other_team)
    erased.erase()
    return {c.name.split()[0].lower(): c for c in (researcher, commissioner, busy, lapsed)}


def url(study, name="sampling_frame"):
    return reverse(f"evaluations:{name}", kwargs={"team": study.team.slug, "study": study.pk})


def csv_lines(response):
    return b"".join(response.streaming_content).decode().split("\r\n")


def frame(response):
    """[(community, [(contact id, activities, last contact)])] as the page groups them."""
    return [
        (code, [(c.pk, c.period_activities, c.last_contact) for c in contacts])
        for code, _label, contacts in response.context["groups"]
    ]


def test_it_lists_contacts_with_activity_in_the_studys_period_by_community(
    client_for, study, people, lead
):
    response = client_for(lead).get(url(study))

    assert frame(response) == [
        (
            "research",
            [
                (people["bo"].pk, 3, datetime.date(2025, 9, 30)),
                (people["ruth"].pk, 1, datetime.date(2025, 4, 1)),
            ],
        ),
        ("commissioning", [(people["cal"].pk, 1, datetime.date(2025, 9, 30))]),
    ]
    assert response.context["total"] == 3
    assert "2 research, 1 commissioning" in response.content.decode()


def test_another_period_can_be_chosen(client_for, study, people, evaluator):
    response = client_for(evaluator).get(
        url(study), {"date_from": "2025-03-01", "date_to": "2025-12-31"}
    )

    rows = dict(frame(response))
    assert [(pk, n) for pk, n, _ in rows["research"]] == [
        (people["bo"].pk, 3),
        (people["ruth"].pk, 2),
        (people["lee"].pk, 1),
    ]


def test_it_filters_by_community_and_organisation_kind(client_for, study, people, evaluator):
    client = client_for(evaluator)

    by_community = client.get(url(study), {"community": "commissioning"})
    by_kind = client.get(url(study), {"organisation_kind": "university"})

    assert [code for code, _ in frame(by_community)] == ["commissioning"]
    assert frame(by_kind) == [("research", [(people["ruth"].pk, 1, datetime.date(2025, 4, 1))])]


def test_evaluators_see_pseudonyms_only(client_for, study, people, evaluator):
    client = client_for(evaluator)

    page = client.get(url(study)).content.decode()
    lines = csv_lines(client.get(url(study), {"export": "csv"}))

    for person in ("bo", "ruth", "cal"):
        assert people[person].pseudonym in page
        assert people[person].name not in page
    assert "Ruth" not in "".join(lines)
    assert lines == [
        HEADER,
        f"{people['bo'].pseudonym},research,,,3,2025-09-30",
        f"{people['ruth'].pseudonym},research,University of Bristol,university,1,2025-04-01",
        f"{people['cal'].pseudonym},commissioning,BNSSG ICB,commissioner,1,2025-09-30",
        "",
    ]


def test_leads_get_names(client_for, study, people, lead):
    response = client_for(lead).get(url(study), {"export": "csv"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="study-{study.pk}-sampling-frame.csv"' in response["Content-Disposition"]
    assert csv_lines(response)[1:3] == [
        "Bo Busy,research,,,3,2025-09-30",
        "Ruth Researcher,research,University of Bristol,university,1,2025-04-01",
    ]


def test_a_bad_period_is_an_error_and_gives_no_file(client_for, study, people, evaluator):
    client = client_for(evaluator)
    bad = {"date_from": "2025-09-01", "date_to": "2025-01-01"}

    page = client.get(url(study), bad)
    download = client.get(url(study), {**bad, "export": "csv"})

    assert "must not be before its start" in str(page.context["filter"].errors)
    assert page.context["groups"] == []
    assert download.status_code == 400


def test_an_evaluator_draws_a_participant_from_the_frame(client_for, study, people, evaluator):
    client = client_for(evaluator)
    factories.ParticipantFactory(study=study, code="P01", contact=people["bo"])
    frame_url = url(study) + "?community=research"

    page = client.get(frame_url)
    cal = people["cal"]
    form_page = client.get(url(study, "participant_add"), {"contact": cal.pk, "next": frame_url})
    response = client.post(
        url(study, "participant_add"),
        {
            "community": "commissioning",
            "role": "Commissioner",
            "contact": cal.pk,
            "next": frame_url,
        },
    )

    bo = next(
        c for _, _, contacts in page.context["groups"] for c in contacts if c.pk == people["bo"].pk
    )
    assert bo.participant_code == "P01"
    assert form_page.context["form"].initial["community"] == "commissioning"
    assert response.status_code == 302
    assert response["Location"] == frame_url
    added = Participant.objects.get(contact=cal)
    assert (added.code, added.community, added.role) == ("P02", "commissioning", "Commissioner")


def test_a_contact_is_a_participant_once(client_for, study, people, evaluator):
    factories.ParticipantFactory(study=study, code="P01", contact=people["bo"])

    response = client_for(evaluator).post(
        url(study, "participant_add"), {"community": "research", "contact": people["bo"].pk}
    )

    assert "already a participant" in response.context["form"].errors["contact"][0]
    assert Participant.objects.count() == 1


def test_leads_do_not_learn_which_contact_a_participant_is(client_for, study, people, lead):
    factories.ParticipantFactory(study=study, code="P01", contact=people["bo"])

    frame_page = client_for(lead).get(url(study))
    participants = client_for(lead).get(url(study, "participant_list")).content.decode()

    assert all(
        getattr(c, "participant_code", None) is None
        for _, _, contacts in frame_page.context["groups"]
        for c in contacts
    )
    assert "P01" not in frame_page.content.decode()
    assert "Bo Busy" not in participants
    assert people["bo"].pseudonym not in participants


def test_the_frame_takes_a_fixed_number_of_queries(
    client_for, team, broker, study, people, evaluator, django_assert_num_queries
):
    for number in range(10):
        contact = factories.ContactFactory(team=team, community="clinical")
        factories.ActivityFactory(
            team=team,
            lead_broker=broker.broker_profile,
            date=datetime.date(2025, 5, number + 1),
            contacts=[contact],
        )
    client = client_for(evaluator)

    # session, user, membership, study; contacts (with organisation and counts); the
    # study's participants linked to contacts: 6, whatever the contacts.
    with django_assert_num_queries(6):
        page = client.get(url(study))
    # session, user, membership, study; contacts; the access log's record: 6.
    with django_assert_num_queries(6):
        csv_lines(client.get(url(study), {"export": "csv"}))

    assert page.context["total"] == 13


def test_a_filter_change_re_renders_only_the_frame(client_for, study, people, evaluator):
    response = client_for(evaluator).get(
        url(study), {"community": "commissioning"}, HTTP_HX_REQUEST="true"
    )

    page = response.content.decode()
    assert "<html" not in page
    assert people["cal"].pseudonym in page
    assert people["bo"].pseudonym not in page
