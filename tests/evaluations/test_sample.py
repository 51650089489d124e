"""A real sample: a random draw from the sampling frame stratified by community, reproducible
from its seed, the invitations followed with their dates, accepted people made participants."""

import datetime
import random

import pytest
from django.urls import reverse
from freezegun import freeze_time

from activities.merging import merge_contacts
from evaluations.models import Draw, Invitee, Participant
from evaluations.sampling import choose, draw_sample, reproduce
from teams.tenancy import team_access
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def frame(team, broker):
    """20 researchers and 8 commissioners with an activity in the study's period; a researcher
    whose only activity is before it; a commissioner of another team."""
    study = factories.StudyFactory(team=team)
    research = [factories.ContactFactory(team=team, community="research") for _ in range(20)]
    commissioning = [
        factories.ContactFactory(team=team, community="commissioning") for _ in range(8)
    ]
    factories.ActivityFactory(
        team=team, lead_broker=broker.broker_profile, contacts=research + commissioning
    )
    before = factories.ContactFactory(team=team, community="research", name="Before Period")
    factories.ActivityFactory(
        team=team,
        lead_broker=broker.broker_profile,
        date=datetime.date(2024, 1, 10),
        contacts=[before],
    )
    return {"study": study, "research": research, "commissioning": commissioning, "before": before}


def access_of(user, team):
    return team_access(user, team.slug)


def sample_url(study, name="sample", **kwargs):
    return reverse(
        f"evaluations:{name}", kwargs={"team": study.team.slug, "study": study.pk, **kwargs}
    )


def drawn(study, community=None):
    rows = Invitee.objects.filter(study=study)
    if community:
        rows = rows.filter(community=community)
    return set(rows.values_list("contact_id", flat=True))


def test_a_draw_takes_each_communitys_quota_from_the_frame(frame, team, evaluator):
    study = frame["study"]
    access = access_of(evaluator, team)
    draw = draw_sample(
        access,
        study,
        {"research": 13, "commissioning": 6},
        "2025",
        study.period_start,
        study.period_end,
    )
    research = drawn(study, "research")
    commissioning = drawn(study, "commissioning")
    assert len(research) == 13 and len(commissioning) == 6
    assert research <= {c.pk for c in frame["research"]}
    assert commissioning <= {c.pk for c in frame["commissioning"]}
    assert frame["before"].pk not in research
    assert set(Invitee.objects.filter(study=study).values_list("status", flat=True)) == {"drawn"}
    # The seed and the frame are recorded: anyone can draw the same people again.
    assert draw.seed == "2025"
    assert draw.frame["research"] == sorted(c.pk for c in frame["research"])
    rng = random.Random("2025")
    expected_research = set(rng.sample(sorted(c.pk for c in frame["research"]), 13))
    expected_commissioning = set(rng.sample(sorted(c.pk for c in frame["commissioning"]), 6))
    assert (research, commissioning) == (expected_research, expected_commissioning)
    assert {k: set(v) for k, v in reproduce(draw).items()} == {
        "research": research,
        "commissioning": commissioning,
    }


def test_the_same_seed_and_frame_draw_the_same_people_and_another_seed_others():
    frame = {"research": list(range(1, 40)), "commissioning": list(range(50, 70))}
    quotas = {"research": 13, "commissioning": 6}
    assert choose(frame, quotas, "abc") == choose(dict(reversed(frame.items())), quotas, "abc")
    assert choose(frame, quotas, "abc") != choose(frame, quotas, "abd")


def test_a_new_draw_leaves_out_people_already_drawn_declined_or_participants(
    frame, team, evaluator
):
    study = frame["study"]
    access = access_of(evaluator, team)
    period = (study.period_start, study.period_end)
    draw_sample(access, study, {"research": 5}, "first", *period)
    first = drawn(study, "research")
    declined = Invitee.objects.filter(study=study).first()
    declined.set_status("declined")
    participant_contact = next(c for c in frame["research"] if c.pk not in first)
    factories.ParticipantFactory(study=study, contact=participant_contact, code="P07")

    second = draw_sample(access, study, {"research": 50}, "second", *period)

    assert len(second.frame["research"]) == 20 - 5 - 1
    assert not (set(second.frame["research"]) & (first | {participant_contact.pk}))
    assert len(drawn(study, "research")) == 20 - 1  # everyone eligible, once each


def test_a_quota_larger_than_the_frame_draws_everyone_and_says_so(
    client_for, frame, team, evaluator
):
    study = frame["study"]
    response = client_for(evaluator).post(
        sample_url(study),
        {"quota_commissioning": 10, "seed": "7", "date_from": "2025-04-01", "submission": "t" * 20},
        follow=True,
    )
    assert len(drawn(study, "commissioning")) == 8
    page = response.content.decode()
    assert "8 people drawn with seed 7." in page
    assert "Fewer eligible than the quota: Commissioning." in page
    # The same form sent twice draws once.
    client_for(evaluator).post(
        sample_url(study),
        {"quota_research": 2, "seed": "8", "submission": "t" * 20},
    )
    assert Draw.objects.filter(study=study).count() == 1


def test_a_draw_without_a_seed_records_the_one_it_used(client_for, frame, evaluator):
    study = frame["study"]
    client_for(evaluator).post(sample_url(study), {"quota_research": 3})
    draw = Draw.objects.get(study=study)
    assert draw.seed.isdigit()
    assert {k: set(v) for k, v in reproduce(draw).items()} == {"research": drawn(study)}


def test_a_draw_needs_a_quota(client_for, frame, evaluator):
    response = client_for(evaluator).post(sample_url(frame["study"]), {"seed": "1"})
    assert "Give a quota of at least one person" in response.content.decode()
    assert not Draw.objects.exists()


@freeze_time("2025-09-15")
def test_each_step_of_an_invitation_is_recorded_with_its_date(client_for, frame, team, evaluator):
    study = frame["study"]
    draw_sample(access_of(evaluator, team), study, {"research": 1}, "1")
    invitee = Invitee.objects.get(study=study)
    url = sample_url(study, "invitee_status", pk=invitee.pk)
    client_for(evaluator).post(url, {"status": "invited", "on": "2025-09-01"})
    client_for(evaluator).post(url, {"status": "accepted"})
    invitee.refresh_from_db()
    assert invitee.status == "accepted"
    assert invitee.invited_on == datetime.date(2025, 9, 1)
    assert invitee.accepted_on == datetime.date(2025, 9, 15)
    assert client_for(evaluator).post(url, {"status": "lost"}).status_code == 302
    invitee.refresh_from_db()
    assert invitee.status == "accepted"
    # Each change is in the history, the draw with its seed too.
    assert [h.status for h in invitee.history.order_by("history_id")] == [
        "drawn",
        "invited",
        "accepted",
    ]
    assert Draw.history.get().seed == "1"


def test_accepted_people_become_participants_in_one_step(client_for, frame, team, evaluator):
    study = frame["study"]
    factories.ParticipantFactory(study=study, code="P01")
    draw_sample(access_of(evaluator, team), study, {"research": 3, "commissioning": 1}, "x")
    invitees = list(Invitee.objects.filter(study=study).order_by("pk"))
    for invitee in invitees[:2] + invitees[3:]:
        invitee.set_status("accepted")
    invitees[2].set_status("declined")

    url = sample_url(study, "invitees_to_participants")
    page = client_for(evaluator).post(url, follow=True).content.decode()

    assert "3 participants added: P02, P03, P04." in page
    made = Participant.objects.filter(study=study).exclude(code="P01").order_by("code")
    assert [(p.contact_id, p.community) for p in made] == [
        (i.contact_id, i.community) for i in invitees[:2] + invitees[3:]
    ]
    client_for(evaluator).post(url)
    assert Participant.objects.filter(study=study).count() == 4


def test_the_sample_page_shows_pseudonyms_to_evaluators_alone(
    client_for, frame, team, evaluator, lead
):
    study = frame["study"]
    draw_sample(access_of(evaluator, team), study, {"research": 20}, "1")
    contact = frame["research"][0]
    page = client_for(evaluator).get(sample_url(study)).content.decode()
    assert contact.pseudonym in page
    assert contact.name not in page
    assert "seed <code>1</code>" in page
    assert client_for(lead).get(sample_url(study)).status_code == 403


def test_a_status_is_recorded_only_for_the_studys_own_invitees(client_for, frame, team, evaluator):
    study = frame["study"]
    other = factories.StudyFactory(team=team)
    draw_sample(access_of(evaluator, team), other, {"research": 1}, "1")
    theirs = Invitee.objects.get(study=other)
    response = client_for(evaluator).post(
        sample_url(study, "invitee_status", pk=theirs.pk), {"status": "invited"}
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "drawn"


def test_a_merged_contact_stays_in_the_sample_as_the_contact_kept(team, lead, evaluator):
    keep = factories.ContactFactory(team=team, name="Jo Bloggs", community="research")
    other = factories.ContactFactory(team=team, name="Jo Bloggs", community="research")
    both = factories.ContactFactory(team=team, name="Jo Blogs", community="research")
    drawn_other = factories.StudyFactory(team=team)
    drawn_both = factories.StudyFactory(team=team)
    moved = Invitee.objects.create(study=drawn_other, contact=other, community="research")
    moved.set_status("accepted")
    kept = Invitee.objects.create(study=drawn_both, contact=keep, community="research")
    Invitee.objects.create(study=drawn_both, contact=both, community="research")
    values = {
        name: getattr(keep, name)
        for name in ("name", "job_title", "organisation", "community", "email", "phone", "notes")
    }

    merge_contacts(team_access(lead, team.slug), keep, [other, both], values)

    moved.refresh_from_db()
    assert (moved.contact_id, moved.status) == (keep.pk, "accepted")
    assert list(Invitee.objects.filter(study=drawn_both).values_list("pk", flat=True)) == [kept.pk]
