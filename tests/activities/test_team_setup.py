"""A new team gets the default activity types once, beside the types it is set up with."""

import pytest
from django.db import transaction
from django.urls import reverse

from activities.models import DEFAULT_ACTIVITY_TYPES, ActivityType
from activities.signals import add_default_activity_types_later
from teams.models import Team
from tests import factories

pytestmark = pytest.mark.django_db


def inline(prefix, rows):
    """The POST fields of an admin inline holding `rows` (dicts of its fields)."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data |= {f"{prefix}-{index}-{field}": value for field, value in row.items()}
    return data


def add_team_in_admin(client, activity_types):
    """The admin's "Add team" form, sent with these rows in its activity types inline."""
    return client.post(
        reverse("admin:teams_team_add"),
        {
            "name": "Wessex",
            "slug": "wessex",
            "year_start_month": "4",
            **inline("memberships", []),
            **inline("activity_types", activity_types),
        },
    )


@pytest.fixture
def admin_client(client):
    client.force_login(factories.UserFactory(username="admin", is_staff=True, is_superuser=True))
    return client


def test_the_admin_adds_a_team_with_its_own_introduction_type(admin_client):
    introduction = {"name": "Introduction", "category": "awareness_raising", "position": "0"}

    response = add_team_in_admin(admin_client, [introduction])

    assert response.status_code == 302, response.content.decode()[:2000]
    team = Team.objects.get(slug="wessex")
    introduction = team.activity_types.get(name__iexact="introduction")
    assert introduction.category == "awareness_raising"  # the form's, not the default's
    assert team.activity_types.count() == len(DEFAULT_ACTIVITY_TYPES)


def test_the_admin_adds_a_team_without_types_and_it_gets_the_defaults(admin_client):
    response = add_team_in_admin(admin_client, [])

    assert response.status_code == 302
    assert Team.objects.get(slug="wessex").activity_types.count() == len(DEFAULT_ACTIVITY_TYPES)


def test_code_that_sets_a_team_up_with_its_types_adds_the_defaults_after_them():
    with transaction.atomic():
        team = Team(name="Wessex", slug="wessex")
        add_default_activity_types_later(team)
        team.save()
        ActivityType.objects.create(team=team, name="introduction", category="awareness_raising")
        ActivityType.objects.add_defaults(team)

    names = [name.casefold() for name in team.activity_types.values_list("name", flat=True)]
    assert names.count("introduction") == 1
    assert len(names) == len(DEFAULT_ACTIVITY_TYPES)


def test_a_team_made_in_code_gets_the_defaults_once():
    team = Team.objects.create(name="Wessex", slug="wessex")
    team.save()
    ActivityType.objects.add_defaults(team)

    assert team.activity_types.count() == len(DEFAULT_ACTIVITY_TYPES)
