"""Data checks: the old records that break a rule added since, listed for correction."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from activities import checks
from tests import factories

pytestmark = pytest.mark.django_db


def test_it_lists_decided_bids_without_their_decision_date(team, other_team):
    funded = factories.ProjectFactory(team=team, title="Frailty bid", status="funded")
    withdrawn = factories.ProjectFactory(team=team, title="Maternity bid", status="withdrawn")
    factories.ProjectFactory(team=team, status="unsuccessful", decided_on=datetime.date(2025, 5, 1))
    factories.ProjectFactory(team=team, status="submitted")
    factories.ProjectFactory(team=team, status="completed")
    factories.ProjectFactory(team=other_team, status="unsuccessful")

    found = checks.problems(team)

    assert [(p.pk, p.title, p.rule) for p in found] == [
        (funded.pk, "Frailty bid", "Funded without its decision date"),
        (withdrawn.pk, "Maternity bid", "Withdrawn without its decision date"),
    ]
    assert len(checks.problems()) == 3  # and the other team's


def test_the_command_prints_them_and_fails(team, capsys):
    bid = factories.ProjectFactory(team=team, title="Frailty bid", status="funded")

    with pytest.raises(CommandError) as error:
        call_command("check_data", "--team", team.slug)

    assert f"{team.slug}\tproject {bid.pk}\tFrailty bid\tFunded without its decision date" in (
        capsys.readouterr().out
    )
    assert error.value.returncode == 1


def test_the_command_says_when_all_is_well(team, capsys):
    factories.ProjectFactory(team=team, status="funded", decided_on=datetime.date(2025, 5, 1))

    call_command("check_data")

    assert "No record breaks a rule." in capsys.readouterr().out


def test_it_lists_records_with_dates_outside_the_accepted_range(team, other_team):
    # Saved before the range was enforced: the model's validators run in forms, not in save().
    early = factories.ActivityFactory(team=team, title="Ancient", date=datetime.date(1899, 12, 31))
    late = factories.ProjectFactory(team=team, title="Far bid", deadline=datetime.date(2101, 1, 1))
    factories.ActivityFactory(team=team, date=datetime.date(1900, 1, 1))
    factories.ProjectFactory(team=team, deadline=datetime.date(2100, 12, 31))
    factories.ActivityFactory(team=other_team, date=datetime.date(9999, 1, 1))

    found = checks.problems(team)

    assert [(p.team, p.record, p.pk, p.title, p.rule) for p in found] == [
        (team.slug, "activity", early.pk, "Ancient", "Date 1899-12-31 outside 1900–2100"),
        (team.slug, "project", late.pk, "Far bid", "Deadline 2101-01-01 outside 1900–2100"),
    ]
    assert len(checks.problems()) == 3  # and the other team's


def test_it_finds_the_dates_of_every_app(team):
    """Reports, studies and reflective entries have dates too: none is left unchecked."""
    checked = {
        model._meta.label: sorted(f.name for f in fields) for model, fields in checks.dated_models()
    }

    assert checked["evaluations.QuarterlyReport"] == ["end", "start"]
    assert checked["evaluations.Source"] == ["date"]
    assert checked["activities.Outcome"] == ["date"]
