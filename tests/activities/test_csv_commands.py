"""`manage.py export_csv` and `import_csv`: the same files and checks as the web, for scripts."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from freezegun import freeze_time

from activities import scripting
from activities.models import Activity, Contact
from tests import factories
from tests.activities.downloads import content_of, csv_rows, xlsx_rows
from tests.activities.imports import csv_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def log(team, broker):
    ada = factories.ContactFactory(team=team, name="Ada Lovelace")
    seminar = factories.activity_type(team, "Seminar delivered")
    for title, day, activity_type in [
        ("Q1 seminar", datetime.date(2025, 5, 1), seminar),
        ("Q1 introduction", datetime.date(2025, 5, 2), factories.activity_type(team)),
        ("Q2 seminar", datetime.date(2025, 7, 1), seminar),
    ]:
        factories.ActivityFactory(
            team=team,
            lead_broker=broker.broker_profile,
            title=title,
            date=day,
            activity_type=activity_type,
            contacts=[ada],
        )
    return team


def run(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@freeze_time("2025-08-01")
def test_export_csv_writes_what_the_list_downloads_for_the_same_filters(client_for, log, evaluator):
    url = reverse("activities:activity_list", args=[log.slug])
    query = {"quarter": "2025-q1", "category": "awareness_raising", "export": "csv"}
    downloaded = content_of(client_for(evaluator).get(url, query)).decode()

    out, _ = run(
        "export_csv",
        "bristol",
        "activities",
        "--filter",
        "quarter=2025-q1",
        "--filter",
        "category=awareness_raising",
        "--as-user",
        "evaluator",
    )

    assert out == downloaded
    assert [row[7] for row in csv_rows(out.encode())[1:]] == ["Q1 seminar"]
    assert "Ada" not in out


def test_export_csv_without_a_user_writes_names(log):
    out, _ = run("export_csv", "bristol", "activity_contacts")

    assert [row[3] for row in csv_rows(out.encode())[1:]] == ["Ada Lovelace"] * 3


def test_export_csv_writes_a_file_with_progress(log, tmp_path):
    target = tmp_path / "activities.csv"

    _, err = run("export_csv", "bristol", "activities", "--output", str(target), "--bom")

    assert target.read_bytes().startswith(b"\xef\xbb\xbfid,date,team,")
    assert len(csv_rows(target.read_bytes(), bom=True)) == 4
    assert err.strip().splitlines()[-1] == "activities: 3/3"


def test_export_csv_writes_xlsx(log, tmp_path):
    target = tmp_path / "contacts.xlsx"

    run("export_csv", "bristol", "contacts", "--format", "xlsx", "--output", str(target))

    header, row = xlsx_rows(target.read_bytes())
    assert header[:3] == ["id", "pseudonym", "name"]
    assert row[2] == "Ada Lovelace"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nowhere", "activities"], "No team has the slug 'nowhere'."),
        (["bristol", "activities", "--as-user", "ghost"], "No user is called 'ghost'."),
        (
            ["bristol", "activities", "--as-user", "wm-broker"],
            "wm-broker is not a member of bristol.",
        ),
        (["bristol", "activities", "--filter", "colour=red"], "Unknown filter colour"),
        (["bristol", "activities", "--filter", "category"], "Write each filter as key=value"),
        (["bristol", "activities", "--filter", "category=nonsense"], "These filters are not valid"),
        (["bristol", "activities", "--format", "xlsx"], "An XLSX export needs --output FILE."),
    ],
)
def test_export_csv_refuses_bad_arguments_clearly(log, other_broker, args, message):
    with pytest.raises(CommandError, match=message):
        run("export_csv", *args)


HEADER = ["date", "lead_broker", "activity_type", "title"]


def test_import_csv_imports_and_a_second_run_adds_nothing(log, broker, tmp_path):
    path = tmp_path / "log.csv"
    path.write_bytes(
        csv_bytes(HEADER, [["2025-09-01", "broker", "Introduction", f"New {n}"] for n in range(3)])
    )

    out, err = run("import_csv", "bristol", "activities", str(path), "--user", "broker")
    again, _ = run("import_csv", "bristol", "activities", str(path), "--user", "broker")

    assert out.strip() == "Imported: 3 new, 0 already there, 0 with errors."
    assert err.strip().splitlines()[-1] == "activities saved: 3/3"
    assert again.strip() == "Imported: 0 new, 3 already there, 0 with errors."
    assert Activity.objects.filter(title__startswith="New", created_by=broker).count() == 3


def test_import_csv_dry_run_saves_nothing(log, tmp_path):
    path = tmp_path / "log.csv"
    path.write_bytes(csv_bytes(HEADER, [["2025-09-01", "broker", "Introduction", "New"]]))

    out, _ = run("import_csv", "bristol", "activities", str(path), "--dry-run")

    assert out.strip() == "Dry run, nothing saved: 1 new, 0 already there, 0 with errors."
    assert not Activity.objects.filter(title="New").exists()


def test_import_csv_reports_each_error_and_saves_nothing(log, tmp_path):
    path = tmp_path / "log.csv"
    rows = [
        ["2025-09-01", "broker", "Introduction", "Good"],
        ["2025-09-02", "nobody", "Introduction", "Bad"],
    ]
    path.write_bytes(csv_bytes(HEADER, rows))

    err = StringIO()
    with pytest.raises(CommandError, match="Nothing imported: 1 new, 0 already there, 1 with"):
        call_command("import_csv", "bristol", "activities", str(path), stderr=err)

    assert "row 3, lead_broker ('nobody'): No broker of this team is called “nobody”." in (
        err.getvalue()
    )
    assert not Activity.objects.filter(title="Good").exists()


def test_import_csv_maps_other_headings(log, tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes(csv_bytes(["Full name", "Group"], [["Grace Hopper", "commissioning"]]))

    run(
        "import_csv",
        "bristol",
        "contacts",
        str(path),
        "--map",
        "Full name=name",
        "--map",
        "Group=community",
    )

    assert Contact.objects.get(name="Grace Hopper").community == "commissioning"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["activities", "missing.csv"], "Cannot read missing.csv"),
        (["activities", "{binary}"], "NUL bytes"),
        (["activities", "{good}", "--user", "evaluator"], "evaluator is an evaluator of bristol"),
    ],
)
def test_import_csv_refuses_clearly(log, evaluator, tmp_path, args, message):
    (tmp_path / "binary.bin").write_bytes(b"\x00\x01\x02")
    (tmp_path / "good.csv").write_bytes(csv_bytes(HEADER, [["2025-09-01", "broker", "x", "y"]]))
    args = [arg.format(binary=tmp_path / "binary.bin", good=tmp_path / "good.csv") for arg in args]

    with pytest.raises(CommandError, match=message):
        run("import_csv", "bristol", *args)


def test_the_functions_behind_the_commands_take_a_query(log, broker):
    access = scripting.access_for("bristol", "broker")
    filters = scripting.parse_filters(["category=awareness_raising", "q=Q1"])

    rows = scripting.export_queryset(access, "activities", filters)

    assert [activity.title for activity in rows] == ["Q1 seminar"]
