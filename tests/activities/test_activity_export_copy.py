"""On PostgreSQL, activities.csv is written by COPY: the same bytes as the Python path.

The rows below hold what trips CSV writers and spreadsheets: separators, quotes and
line ends inside values, formula starts (with and without spaces and apostrophes in
front), non-ASCII text, empty and missing values, names to sort by case and accent,
and datetimes on both sides of a change of clocks.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities.copy_exports import activity_cells, cell_expressions
from activities.exports.activities import ACTIVITIES
from activities.filters import ActivityFilterSet
from activities.models import Activity, Community, Conduit, Outcome, Setting, Topic
from kmtracker.lib import copy_csv, files
from teams.tenancy import team_access
from tests import factories
from tests.activities.downloads import content_of, csv_rows

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="COPY is PostgreSQL's; SQLite writes in Python"
    ),
]

AWKWARD_TEXTS = [
    "Plain",
    "",
    "Comma, inside",
    'A "quoted" word',
    'Ends with a quote"',
    "Two\nlines",
    "Windows\r\nline end",
    "Lone\rcarriage return",
    "=1+1",
    "+44 117 496 0000",
    "-2",
    "@SUM(1,1)",
    "\tTabbed",
    "\rReturn first",
    "  =after spaces",
    "\u00a0=after a no-break space",
    "\u3000=after an ideographic space",
    "\n=after a line feed",
    "'=already escaped",
    "''=twice escaped",
    "' =apostrophe then space",
    " '=space then apostrophe",
    "＝full width",
    "－full width minus",
    "Café, naïve façade — “quotes” ✓ 🎉 日本語",
    "\\.",
    "\\N",
    "NULL",
    "Trailing space ",
    ";; semicolons ;",
]


def _at(*args):
    return datetime.datetime(*args, tzinfo=datetime.UTC)


@pytest.fixture
def awkward_log(team, broker, lead):
    """Activities of `team`, one per awkward text, with every column filled in some rows
    and left empty in others."""
    ann = factories.BrokerFactory(
        team=team, user=factories.UserFactory(first_name="  ann", last_name="Éclair  ")
    )
    nameless = factories.BrokerFactory(
        team=team, user=factories.UserFactory(username="z.nameless", first_name="", last_name="")
    )
    formula = factories.BrokerFactory(
        team=team, user=factories.UserFactory(first_name="=Bad", last_name="Name")
    )
    contacts = [
        factories.ContactFactory(team=team, name=name, community=community)
        for name, community in [
            ("bob", Community.RESEARCH),
            ("Bob", Community.COMMISSIONING),
            ("Émile", Community.CLINICAL),
            ("emile", Community.PATIENT_PUBLIC),
            ("Zoë, Z", Community.RESEARCH),
            ('=Contact "x"', Community.RESEARCH),
        ]
    ]
    organisations = [
        factories.OrganisationFactory(name=name)
        for name in ["university", "NHS, Bristol", "Ärzte", "=Org"]
    ]
    topics = [Topic.objects.create(team=team, name=name) for name in ["b", "A", "ä", "+t"]]
    conduits = list(Conduit.objects.all())
    project = factories.ProjectFactory(team=team, title="-Project, one")
    moments = [
        _at(2025, 1, 15, 10, 0, 0, 999_999),
        _at(2025, 3, 30, 0, 59, 59),
        _at(2025, 3, 30, 1, 0, 0),
        _at(2025, 7, 1, 23, 30, 0),
        _at(2025, 10, 26, 0, 30, 0),
        _at(2025, 10, 26, 1, 30, 0),
    ]
    for number, text in enumerate(AWKWARD_TEXTS):
        full = number % 2 == 0
        activity = factories.ActivityFactory(
            team=team,
            lead_broker=[broker.broker_profile, ann, nameless, formula][number % 4],
            date=datetime.date(2025, 1, 1) + datetime.timedelta(days=number * 11),
            title=text or "Untitled",
            description=text,
            duration_minutes=number * 7 if full else None,
            attendees=number if full else None,
            setting=Setting.ONLINE if full else "",
            follow_up_date=datetime.date(2025, 12, 31) if full else None,
            project=project if full else None,
            created_by=lead if full else None,
            co_brokers=[ann, nameless, formula][: number % 4],
            contacts=contacts[: number % 7],
            organisations=organisations[: number % 5],
            topics=topics[: number % 5],
            conduits=conduits[: number % 6],
        )
        for days in range(number % 3):
            factories.OutcomeFactory(
                team=team,
                activity=activity,
                date=activity.date + datetime.timedelta(days=days),
                type=[Outcome.Type.CONNECTION_MADE, Outcome.Type.BID_SUBMITTED][days % 2],
            )
        moment = moments[number % len(moments)]
        Activity.objects.filter(pk=activity.pk).update(
            created_at=moment, updated_at=moment + datetime.timedelta(days=number * 13)
        )


def both_paths(access, queryset, bom=False):
    """(Python's bytes, COPY's bytes) for the activities of `queryset`."""
    export = ACTIVITIES
    python = files.csv_response("x.csv", export.header, export.rows(queryset, access), bom)
    copied = copy_csv.copy_response("x.csv", export.header, activity_cells(queryset), bom)
    return content_of(python), content_of(copied)


def test_the_columns_computed_in_sql_are_the_exports_columns():
    assert list(cell_expressions()) == ACTIVITIES.header


def test_copy_writes_the_same_bytes_as_python(awkward_log, team, lead):
    access = team_access(lead, team.slug)
    queryset = access.scoped(Activity).order_by("-date", "-pk")

    python, copied = both_paths(access, queryset)

    assert python.count(b"\r\n") > len(AWKWARD_TEXTS)
    assert copied == python


def test_with_a_byte_order_mark_too(awkward_log, team, lead):
    access = team_access(lead, team.slug)

    python, copied = both_paths(access, access.scoped(Activity), bom=True)

    assert copied.startswith("\ufeff".encode())
    assert copied == python


@pytest.mark.parametrize(
    "query",
    [
        {"o": "title"},
        {"o": "-broker"},
        {"o": "duration"},
        {"q": "quote", "setting": "online"},
        {"topic": "first", "conduit": "governance"},
    ],
)
def test_every_filter_and_sort_of_the_list_gives_the_same_bytes(awkward_log, team, lead, rf, query):
    access = team_access(lead, team.slug)
    if query.get("topic") == "first":
        query = {**query, "topic": Topic.objects.filter(team=team).order_by("pk").first().pk}
    request = rf.get("/", query)
    request.team_access = access
    filterset = ActivityFilterSet(request.GET, access.scoped(Activity), request=request)
    assert filterset.is_valid()

    python, copied = both_paths(access, filterset.qs)

    assert copied == python


def test_the_list_download_is_written_by_copy(awkward_log, team, lead, client_for):
    access = team_access(lead, team.slug)
    url = reverse("activities:activity_list", kwargs={"team": team.slug})

    with CaptureQueriesContext(connection) as queries:
        downloaded = content_of(client_for(lead).get(url, {"export": "csv", "o": "date"}))

    assert [query for query in queries if query["sql"].startswith("COPY (WITH export_rows")]
    python, _ = both_paths(access, access.scoped(Activity).order_by("date", "-pk"))
    assert downloaded == python


def test_the_sql_escaping_is_the_python_escaping(db):
    samples = [*AWKWARD_TEXTS, *[start + "x" for start in files.FORMULA_STARTS]]
    samples += [f"'{sample}" for sample in samples] + [f" {sample}" for sample in samples]
    samples = [sample for sample in samples if sample]

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT regexp_replace(sample, %s, %s) FROM unnest(%s::text[]) WITH ORDINALITY "
            "AS samples(sample, position) ORDER BY position",
            [copy_csv.FORMULA_PATTERN, "'\\1", samples],
        )
        escaped = [row[0] for row in cursor.fetchall()]

    assert escaped == [files.neutralise(sample) for sample in samples]


def test_stamps_are_the_local_time_with_its_offset(db):
    moments = [
        _at(2025, 1, 15, 10, 0, 0, 999_999),
        _at(2025, 3, 30, 1, 0, 0),
        _at(2025, 10, 26, 0, 59, 59),
        _at(2025, 10, 26, 1, 0, 0),
    ]
    for moment in moments:
        factories.UserFactory(date_joined=moment)

    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(date_joined__in=moments).order_by("date_joined")
    stamped = list(users.annotate(stamp=copy_csv.StampText("date_joined")).values_list("stamp"))

    assert [stamp for (stamp,) in stamped] == [
        timezone.localtime(moment).isoformat(timespec="seconds") for moment in moments
    ]


def test_evaluators_exports_from_sql_cells_are_the_python_paths_bytes(
    awkward_log, team, evaluator, client_for
):
    """Evaluators' files are pseudonymised and redacted in Python from cells PostgreSQL
    computes (activities.exports.pseudonyms.pseudonymised): the Python path's bytes."""
    url = reverse("activities:activity_list", kwargs={"team": team.slug})
    access = team_access(evaluator, team.slug)

    downloaded = content_of(client_for(evaluator).get(url, {"export": "csv"}))

    export = ACTIVITIES
    rows = export.rows(access.scoped(Activity).order_by("-date", "-pk"), access)
    assert downloaded == content_of(files.csv_response("x.csv", export.header, rows))
    assert b"C-" in downloaded


@pytest.fixture
def linked_log(team, broker):
    """Activities with several links of every kind each, created in the reverse of the
    order the file lists them in, so that only the SQL's ordering puts them right."""
    brokers = [
        factories.BrokerFactory(
            team=team, user=factories.UserFactory(first_name=first, last_name=last)
        )
        for first, last in [
            ("Zed", "Last"),
            ("amy", "Small"),
            ("Amy", "Capital"),
            ("Ödön", "Accent"),
        ]
    ]
    contacts = [
        factories.ContactFactory(team=team, name=name, community=community)
        for name, community in [
            ("Yusuf", Community.CLINICAL),
            ("carl", Community.COMMISSIONING),
            ("Bea", Community.PATIENT_PUBLIC),
            ("ann", Community.RESEARCH),
        ]
    ]
    organisations = [factories.OrganisationFactory(name=n) for n in ["Zeta", "beta", "Alpha"]]
    topics = [Topic.objects.create(team=team, name=name) for name in ["urgent", "Frailty", "a&e"]]
    conduits = list(Conduit.objects.order_by("-position"))
    for number in range(3):
        activity = factories.ActivityFactory(
            team=team,
            lead_broker=broker.broker_profile,
            date=datetime.date(2025, 5, 1) + datetime.timedelta(days=number),
            co_brokers=brokers[number:],
            contacts=contacts[number:],
            organisations=organisations[number:],
            topics=topics[number:],
            conduits=conduits[number:],
        )
        for days, kind in [(9, Outcome.Type.OUTPUT), (2, Outcome.Type.BID_SUBMITTED)][number:]:
            factories.OutcomeFactory(
                team=team,
                activity=activity,
                type=kind,
                date=activity.date + datetime.timedelta(days),
            )


def test_the_fast_path_joins_each_link_table_once_in_the_python_paths_order(linked_log, team, lead):
    """The multi-valued columns come from one aggregated join per link table over the rows
    selected once, and list their values as the Python (portable) path does."""
    access = team_access(lead, team.slug)
    queryset = access.scoped(Activity).order_by("-date", "-pk")
    cells = activity_cells(queryset)

    sql, _ = cells.sql_with_params()
    python, copied = both_paths(access, queryset)

    # co-brokers, conduits, contacts (names and communities), organisations, topics, outcomes
    assert sql.startswith("WITH export_rows AS MATERIALIZED (SELECT")
    assert sql.count("LEFT OUTER JOIN (SELECT") == 6
    assert sql.count("IN (SELECT export_id FROM export_rows)") == 6
    assert copied == python
    first = dict(zip(ACTIVITIES.header, csv_rows(copied)[-1], strict=True))
    assert first["co_brokers"] == "Amy Capital; Zed Last; amy Small; Ödön Accent"
    assert first["contacts"] == "ann; Bea; carl; Yusuf"
    assert first["contact_communities"] == "research; patient_public; commissioning; clinical"
    assert first["organisations"] == "Alpha; Zeta; beta"
    assert first["topics"] == "Frailty; a&e; urgent"
    assert first["conduits"] == "; ".join(
        Conduit.objects.order_by("position").values_list("code", flat=True)
    )
    assert first["outcomes"] == "bid_submitted; output"
    last = dict(zip(ACTIVITIES.header, csv_rows(copied)[1], strict=True))
    assert (last["co_brokers"], last["contacts"], last["outcomes"]) == (
        "Amy Capital; Ödön Accent",
        "ann; Bea",
        "",
    )


def test_an_export_of_no_rows_is_its_header(team, lead):
    access = team_access(lead, team.slug)

    python, copied = both_paths(access, access.scoped(Activity))

    assert copied == python == (",".join(ACTIVITIES.header) + "\r\n").encode()
