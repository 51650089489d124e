"""Two gunicorn instances against one PostgreSQL behave as one site.

Stateless web processes: whichever instance answers, the session, the data and
a report's sign-off are the same, and neither leaves anything on its disk.
"""

import datetime
import threading
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest

from kmtracker.lib.quarters import Quarter
from kmtracker.lib.waiting import scaled
from tests.deploy.conftest import deploy_marks
from tests.deploy.servers import Client, Gunicorn, production_env, running

pytestmark = deploy_marks


@pytest.fixture(scope="module")
def two_instances(deploy_database, static_root, tmp_path_factory):
    """Instances A and B of the production configuration, on two ports, one database."""
    url, _seed = deploy_database
    env = production_env(url, static_root, WEB_CONCURRENCY=2)
    root = tmp_path_factory.mktemp("two-instances")
    with running(Gunicorn(env, root / "a", "a"), Gunicorn(env, root / "b", "b")) as instances:
        yield instances


def log_activity(client, port, seed, title):
    """Log an activity through the form, as a person would: GET the form, POST it with CSRF."""
    path = f"/teams/{seed['team']}/activities/new/"
    form = client.get(path, port=port)
    assert form.status == 200, form.text
    return client.post(
        path,
        {
            "csrfmiddlewaretoken": form.csrf_token(),
            "date": datetime.date.today().isoformat(),
            "activity_type": seed["activity_type"],
            "title": title,
            "lead_broker": seed["lead_broker"],
            "direction": "unclear",
            "duration_minutes": "45",
        },
        port=port,
    )


def sign_offs(url, team, quarter):
    """How many times the team's report for `quarter` has been signed off (read in SQL)."""
    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as conn:
        (count,) = conn.execute(
            "SELECT count(*) FROM evaluations_reportevent e"
            " JOIN evaluations_quarterlyreport r ON r.id = e.report_id"
            " JOIN activities_team t ON t.id = r.team_id"
            " WHERE t.slug = %s AND r.start_year = %s AND r.number = %s"
            " AND e.action = 'signed_off'",
            [team, quarter.start_year, quarter.number],
        ).fetchone()
    return count


def test_signed_in_on_one_instance_writes_on_the_other_and_reads_on_the_first(two_instances, seed):
    a, b = two_instances
    browser = Client()
    browser.log_in(a.port, seed["lead"], seed["password"])

    # Signed in on A, the session is good on B, which writes...
    created = log_activity(browser, b.port, seed, "Introduced the frailty leads (written on B)")
    assert created.status == 302, created.text

    # ...and A reads what B wrote.
    listing = browser.get(f"/teams/{seed['team']}/activities/", port=a.port)
    assert listing.status == 200
    assert "Introduced the frailty leads (written on B)" in listing.text

    # A report signed off on B is signed off on A.
    quarter = Quarter.containing(datetime.date.today(), 4).slug
    report = f"/teams/{seed['team']}/reports/{quarter}/"
    page = browser.get(report, port=b.port)
    assert page.status == 200 and "Not signed off" in page.text
    signed = browser.post(report + "sign-off/", {"csrfmiddlewaretoken": page.csrf_token()}, b.port)
    assert signed.status == 302, signed.text
    seen_on_a = browser.get(report, port=a.port)
    assert seen_on_a.status == 200
    assert ">Signed off<" in seen_on_a.text
    assert "The figures below are those signed off" in seen_on_a.text


def test_two_sign_offs_at_once_on_two_instances_sign_off_once(two_instances, deploy_database, seed):
    a, b = two_instances
    url, _seed = deploy_database
    # A quarter of its own, so that the other test's sign-off does not matter.
    quarter = Quarter.containing(datetime.date.today(), 4).previous()
    report = f"/teams/{seed['team']}/reports/{quarter.slug}/"
    browsers = {a.port: Client(), b.port: Client()}
    tokens = {}
    for port, browser in browsers.items():
        browser.log_in(port, seed["lead"], seed["password"])
        tokens[port] = browser.get(report, port).csrf_token()
    barrier = threading.Barrier(2)

    def sign_off(port):
        barrier.wait(timeout=scaled(10))
        data = {"csrfmiddlewaretoken": tokens[port]}
        return browsers[port].post(report + "sign-off/", data, port).status

    with ThreadPoolExecutor(2) as pool:
        statuses = list(pool.map(sign_off, browsers))

    assert statuses == [302, 302]
    assert sign_offs(url, seed["team"], quarter) == 1


def test_the_instances_keep_nothing_on_local_disk(two_instances, seed):
    a, b = two_instances
    browser = Client()
    browser.log_in(a.port, seed["broker"], seed["password"])
    assert browser.get(f"/teams/{seed['team']}/", port=b.port).status == 200
    # Each instance runs in (and has as its home) a folder that was empty; it still is.
    assert list(a.workdir.iterdir()) == []
    assert list(b.workdir.iterdir()) == []


def test_every_log_line_is_json_and_a_request_has_one_id_throughout(two_instances):
    a, _b = two_instances
    client = Client()
    given = "proxy-id-7f3c9a"
    missing = client.get("/no-such-page/", port=a.port, headers={"X-Request-ID": given})
    made_up = client.get("/healthz", port=a.port, headers={"X-Request-ID": "bad id <script>"})

    assert missing.status == 404 and missing.headers["X-Request-ID"] == given
    generated = made_up.headers["X-Request-ID"]
    assert len(generated) == 32 and generated.isalnum()
    for request_id in (given, generated):  # wait for both access lines; fail on non-JSON
        entries = a.log_entries(
            until=lambda e, r=request_id: (e["logger"], e["request_id"]) == ("gunicorn.access", r)
        )
    assert all({"time", "level", "logger", "message", "request_id"} <= set(e) for e in entries)
    of_missing = [e for e in entries if e["request_id"] == given]
    # Django's "Not Found" warning and gunicorn's access line, both with the proxy's id.
    assert sorted(e["logger"] for e in of_missing) == ["django.request", "gunicorn.access"]
    access = next(e for e in of_missing if e["logger"] == "gunicorn.access")
    assert access["status"] == "404" and access["path"] == "/no-such-page/"
    assert any(e["request_id"] == generated and e.get("path") == "/healthz" for e in entries)
    # Between requests, lines carry no id (not the last request's).
    assert all(e["request_id"] is None for e in entries if e["logger"] == "gunicorn.error")


def test_static_files_have_hashed_names_and_are_served_compressed(two_instances):
    a, _b = two_instances
    browser = Client()
    page = browser.get("/accounts/login/", port=a.port)
    css = next(
        part.split('"')[0] for part in page.text.split('href="')[1:] if "bootstrap.min." in part
    )
    assert css.startswith("/static/vendor/bootstrap/css/bootstrap.min.")
    assert css != "/static/vendor/bootstrap/css/bootstrap.min.css"  # hashed name
    response = browser.get(css, port=a.port, headers={"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "immutable" in response.headers["Cache-Control"]
