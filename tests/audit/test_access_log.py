"""The access log: every export and every reading of an evaluation source is recorded,
the records cannot be changed or deleted, and a team's lead reads the team's own."""

import datetime

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessRecord, AppendOnlyError
from tests import factories
from tests.test_url_matrix import MATRIX, PERSONAS, url_for

pytestmark = pytest.mark.django_db

ROLES = ("lead", "evaluator", "broker")


def allowed_persona(statuses):
    """A role of team A that the matrix says gets the page."""
    expected = dict(zip(PERSONAS, statuses, strict=True))
    return next(role for role in ROLES if expected[role] == 200)


def matrix_lines(wanted):
    return [
        pytest.param(name, target, request, allowed_persona(statuses), id=f"{name}{request}")
        for name, target, request, *statuses in MATRIX
        if wanted(name, request) and 200 in statuses
    ]


# Pages known to show a source's words; the log finds them itself (every page of the matrix
# is walked by tests/test_private_pages.py), these check what each record says.
SOURCE_VIEWS = frozenset(
    {
        "evaluations:source_detail",
        "evaluations:source_edit",
        "evaluations:excerpt_add",
        "evaluations:excerpt_edit",
        "evaluations:excerpt_delete",
        "evaluations:excerpt_list",
        "evaluations:matrix_cell",
    }
)
EXPORTS = matrix_lines(lambda name, request: "export=" in request)
SOURCE_PAGES = matrix_lines(lambda name, request: name in SOURCE_VIEWS and request == "get")


@pytest.mark.parametrize(("name", "target", "request_", "persona"), EXPORTS)
def test_every_export_of_the_matrix_is_recorded(
    client_for, objects, name, target, request_, persona
):
    user = objects["users"][persona]
    query = request_.partition(" ")[2].lstrip("?")
    client = client_for(user)

    response = client.get(url_for(name, target, objects) + "?" + query)

    assert response.status_code == 200
    record = AccessRecord.objects.get()
    assert (record.kind, record.user, record.username) == ("export", user, user.username)
    assert (record.team, record.what, record.query) == (objects["team"], name, query)


@pytest.mark.parametrize(("name", "target", "request_", "persona"), SOURCE_PAGES)
def test_every_page_showing_a_source_is_recorded(
    client_for, objects, name, target, request_, persona
):
    client = client_for(objects["users"][persona])

    assert client.get(url_for(name, target, objects)).status_code == 200

    record = AccessRecord.objects.get()
    assert (record.kind, record.what, record.team) == ("source", name, objects["team"])


def test_the_source_pages_are_pages_of_the_url_matrix():
    assert {name for name, *_ in MATRIX} >= SOURCE_VIEWS


def test_pages_that_show_no_source_or_file_record_nothing(client_for, objects):
    client = client_for(objects["users"]["lead"])

    client.get(url_for("activities:activity_list", "team", objects))
    client.get(url_for("evaluations:study_detail", "study", objects))

    assert not AccessRecord.objects.exists()


def test_a_refused_export_records_nothing(client_for, objects):
    client = client_for(objects["users"]["other_broker"])

    response = client.get(url_for("activities:contact_list", "team", objects) + "?export=csv")

    assert response.status_code == 404
    assert not AccessRecord.objects.exists()


def test_the_export_command_is_recorded_with_its_filters_and_count(team, broker, tmp_path):
    factories.ActivityFactory.create_batch(3, team=team, lead_broker=broker.broker_profile)

    call_command(
        "export_csv",
        team.slug,
        "activities",
        "--as-user",
        broker.username,
        "--filter",
        "q=a",
        "--output",
        str(tmp_path / "out.csv"),
    )

    record = AccessRecord.objects.get()
    assert (record.kind, record.user, record.team) == ("export", broker, team)
    assert record.what == "manage.py export_csv activities (csv)"
    assert (record.query, record.row_count) == ("q=a", 3)


def test_an_export_from_the_shell_is_recorded_as_the_shell(team, tmp_path):
    call_command("export_csv", team.slug, "contacts", "--output", str(tmp_path / "c.csv"))

    record = AccessRecord.objects.get()
    assert (record.user, record.username, record.row_count) == (None, "the shell", 0)


# Append-only.


@pytest.fixture
def record(team, lead):
    return AccessRecord.objects.create(
        kind="export", user=lead, username=lead.username, team=team, what="x"
    )


def test_a_record_cannot_be_changed(record):
    record.what = "something else"
    with pytest.raises(AppendOnlyError):
        record.save()
    with pytest.raises(AppendOnlyError):
        AccessRecord.objects.filter(pk=record.pk).update(what="something else")
    assert AccessRecord.objects.get().what == "x"


def test_a_record_cannot_be_deleted(record):
    with pytest.raises(AppendOnlyError):
        record.delete()
    with pytest.raises(AppendOnlyError):
        AccessRecord.objects.all().delete()
    assert AccessRecord.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL trigger")
@pytest.mark.parametrize(
    "sql",
    ["UPDATE audit_accessrecord SET what = 'y'", "DELETE FROM audit_accessrecord"],
)
def test_the_database_refuses_changes_from_any_client(record, sql):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert AccessRecord.objects.get().what == "x"


def test_the_record_outlives_its_user(team):
    leaver = factories.UserFactory(username="leaver")
    AccessRecord.objects.create(kind="export", user=leaver, username="leaver", team=team)

    leaver.delete()

    assert AccessRecord.objects.get().username == "leaver"


# The lead's page.


def log_url(team, **query):
    return reverse("audit:access_log", kwargs={"team": team.slug}), query


def at(day):
    return timezone.make_aware(datetime.datetime(2025, 5, day, 10))


def test_the_lead_reads_the_teams_records_only(client_for, team, lead, broker, other_broker):
    AccessRecord.objects.create(
        kind="export", user=broker, username="broker", team=team, what="activities:activity_list"
    )
    AccessRecord.objects.create(
        kind="export",
        user=other_broker,
        username="wm-broker",
        team=other_broker.broker_profile.team,
        what="activities:contact_list",
    )

    page = client_for(lead).get(*log_url(team))

    assert [r.username for r in page.context["object_list"]] == ["broker"]
    assert "wm-broker" not in page.content.decode()


def test_it_filters_by_user_kind_and_date(client_for, team, lead, broker, evaluator):
    AccessRecord.objects.create(at=at(1), kind="export", user=broker, username="broker", team=team)
    AccessRecord.objects.create(at=at(9), kind="export", user=broker, username="broker", team=team)
    AccessRecord.objects.create(
        at=at(9), kind="source", user=evaluator, username="evaluator", team=team
    )
    client = client_for(lead)

    def shown(**query):
        page = client.get(*log_url(team, **query))
        return [(r.username, r.kind, r.at.day) for r in page.context["object_list"]]

    assert shown(user=broker.pk) == [("broker", "export", 9), ("broker", "export", 1)]
    assert shown(kind="source") == [("evaluator", "source", 9)]
    assert shown(date_from="2025-05-05") == [("evaluator", "source", 9), ("broker", "export", 9)]
    assert shown(date_to="2025-05-05") == [("broker", "export", 1)]


def test_it_offers_only_the_teams_members_to_filter_by(client_for, team, lead, other_broker):
    page = client_for(lead).get(*log_url(team))

    choices = page.context["filter"].form.fields["user"].queryset
    assert lead in choices
    assert other_broker not in choices


def test_it_pages_fifty_records_at_a_time(client_for, team, lead):
    AccessRecord.objects.bulk_create(
        AccessRecord(kind="export", username="lead", team=team, what=f"x{n}") for n in range(51)
    )

    client = client_for(lead)
    first = client.get(*log_url(team))
    second = client.get(*log_url(team, page=2))

    assert len(first.context["object_list"]) == 50
    assert len(second.context["object_list"]) == 1


def test_only_the_lead_has_it_in_the_navigation(client_for, team, lead, broker, evaluator):
    link = reverse("audit:access_log", kwargs={"team": team.slug})
    dashboard = reverse("team_dashboard", kwargs={"team": team.slug})

    assert link in client_for(lead).get(dashboard).content.decode()
    for user in (broker, evaluator):
        assert link not in client_for(user).get(dashboard).content.decode()


def test_administrators_read_the_log_in_the_admin_but_cannot_change_it(client, record):
    admin_user = factories.UserFactory(username="admin", is_superuser=True, is_staff=True)
    client.force_login(admin_user)

    listing = client.get(reverse("admin:audit_accessrecord_changelist"))
    adding = client.get(reverse("admin:audit_accessrecord_add"))
    deleting = client.post(
        reverse("admin:audit_accessrecord_delete", args=[record.pk]), {"post": "yes"}
    )

    assert listing.status_code == 200
    assert "lead" in listing.content.decode()
    assert adding.status_code == deleting.status_code == 403
    assert AccessRecord.objects.count() == 1


def test_redaction_rewrites_only_what_the_reader_typed(team, lead):
    record = AccessRecord.objects.create(
        kind="export",
        user=lead,
        username="lead",
        team=team,
        what="activities:contact_list",
        path="/teams/bristol/contacts/",
        query="q=Ayesha+Brennan&export=csv",
    )

    changed = AccessRecord.objects.for_team(team).redact(
        lambda text: text.replace("Ayesha Brennan", "[erased contact]")
    )

    assert changed == 1
    again = AccessRecord.objects.get(pk=record.pk)
    assert again.query == "q=%5Berased+contact%5D&export=csv"
    assert (again.at, again.username, again.what, again.path) == (
        record.at,
        "lead",
        record.what,
        record.path,
    )
    with pytest.raises(AppendOnlyError):
        AccessRecord.objects.update(query="")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL trigger")
def test_the_database_lets_only_redaction_through(record):
    assert AccessRecord.objects.redact(lambda text: text + "!") == 1
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SELECT set_config('kmtracker.access_log_redaction', 'on', true)")
        cursor.execute("UPDATE audit_accessrecord SET what = 'y'")
    assert AccessRecord.objects.get().what == "x"
