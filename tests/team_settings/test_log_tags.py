"""Reflective-log tags belong to a team: managed by its lead, never seen or usable by
another team, and given to each team by the migration that made them the team's."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from evaluations.models import DEFAULT_LOG_TAGS, LogTag, ReflectiveEntry
from tests import factories

pytestmark = pytest.mark.django_db


def url(name, team="bristol", **kwargs):
    return reverse(f"team_settings:{name}", kwargs={"team": team, **kwargs})


def log_url(name, **kwargs):
    return reverse(f"evaluations:{name}", kwargs={"team": "bristol", **kwargs})


def test_every_new_team_gets_its_own_default_tags(team, other_team):
    ours = list(LogTag.objects.filter(team=team).values_list("label", flat=True))

    assert ours == [label for _code, label in DEFAULT_LOG_TAGS]
    assert not set(LogTag.objects.filter(team=team)) & set(LogTag.objects.filter(team=other_team))


def test_a_lead_adds_renames_and_retires_a_tag(client_for, team, lead):
    client = client_for(lead)

    client.post(url("tag_add"), {"label": "Politics", "is_active": "on"})
    tag = LogTag.objects.get(team=team, label="Politics")
    client.post(url("tag_edit", pk=tag.pk), {"label": "Local politics", "version": tag.version})

    tag.refresh_from_db()
    assert (tag.label, tag.is_active) == ("Local politics", False)
    assert tag.position == len(DEFAULT_LOG_TAGS)
    assert [r.history_user for r in tag.history.all()] == [lead, lead]


def test_a_duplicate_tag_is_refused_whatever_its_case(client_for, team, lead):
    response = client_for(lead).post(url("tag_add"), {"label": "  LEARNING "})

    assert "already has a tag named" in response.context["form"].errors["label"][0]
    assert LogTag.objects.filter(team=team, label__iexact="learning").count() == 1


def test_a_retired_tag_is_not_offered_for_new_entries_but_stays_on_old_ones(
    client_for, team, broker
):
    learning = factories.log_tag(team, "learning")
    old = factories.ReflectiveEntryFactory(team=team, author=broker, tags=[learning])
    learning.is_active = False
    learning.save()
    client = client_for(broker)

    new_form = client.get(log_url("log_add")).context["form"]
    edit_form = client.get(log_url("log_edit", pk=old.pk)).context["form"]
    listed = client.get(log_url("log_list"), {"tag": learning.pk})

    assert learning not in new_form.fields["tags"].queryset
    assert learning in edit_form.fields["tags"].queryset
    assert list(listed.context["object_list"]) == [old]


def test_another_teams_tags_are_never_shown_or_usable(client_for, team, broker, lead, other_team):
    theirs = LogTag.objects.create(team=other_team, label="West Midlands only")
    client = client_for(broker)

    page = client.get(log_url("log_add"))
    response = client.post(
        log_url("log_add"), {"date": "2025-05-14", "text": "Reflection", "tags": [theirs.pk]}
    )
    filtered = client.get(log_url("log_list"), {"tag": theirs.pk})

    assert "West Midlands only" not in page.content.decode()
    assert theirs not in page.context["form"].fields["tags"].queryset
    assert "tags" in response.context["form"].errors
    assert not ReflectiveEntry.objects.exists()
    assert "tag" in filtered.context["filter"].form.errors
    settings_page = client_for(lead).get(url("settings"))
    assert "West Midlands only" not in settings_page.content.decode()
    assert client_for(lead).get(url("tag_edit", pk=theirs.pk)).status_code == 404


BEFORE = ("evaluations", "0005_team_from_teams_app")
AFTER = ("evaluations", "0008_team_log_tags_finish")


@pytest.mark.django_db(transaction=True)  # migrations run outside the test's transaction
def test_the_migration_gives_each_team_a_copy_of_the_tags_its_entries_use():
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate([BEFORE])
        old = executor.loader.project_state([BEFORE]).apps
        Team = old.get_model("teams", "Team")
        OldTag = old.get_model("evaluations", "LogTag")
        Entry = old.get_model("evaluations", "ReflectiveEntry")
        User = old.get_model("auth", "User")
        author = User.objects.create(username="author")
        a = Team.objects.create(name="A", slug="a")
        b = Team.objects.create(name="B", slug="b")
        OldTag.objects.get_or_create(code="learning", defaults={"label": "Learning"})
        OldTag.objects.create(code="politics", label="Politics", position=9)
        entry_a = Entry.objects.create(team=a, author=author, date="2025-05-14", text="A")
        entry_a.tags.set(["politics", "learning"])
        entry_b = Entry.objects.create(team=b, author=author, date="2025-05-14", text="B")
        entry_b.tags.set(["learning"])
        executor.loader.build_graph()

        executor.migrate([AFTER])

        new = executor.loader.project_state([AFTER]).apps
        Tag = new.get_model("evaluations", "LogTag")
        Entry = new.get_model("evaluations", "ReflectiveEntry")
        entry_a, entry_b = Entry.objects.get(text="A"), Entry.objects.get(text="B")
        assert sorted(t.label for t in entry_a.tags.all()) == ["Learning", "Politics"]
        assert {t.team_id for t in entry_a.tags.all()} == {a.pk}
        assert [(t.label, t.team_id) for t in entry_b.tags.all()] == [("Learning", b.pk)]
        # Each team has the defaults and what its entries use: no other team's tags.
        assert not Tag.objects.filter(team_id=b.pk, label="Politics").exists()
        assert Tag.objects.get(team_id=a.pk, label="Politics").position == 9
    finally:
        executor.loader.build_graph()
        executor.migrate(leaves)  # leave the schema complete for the tests that follow
