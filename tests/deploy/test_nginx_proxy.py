"""The app behind deploy/nginx.conf as written: HTTPS, redirects, proxy headers, request ids.

Runs Debian's nginx with the site moved to free loopback ports (see servers.Nginx),
in front of one gunicorn instance on the deployment tests' PostgreSQL database.
"""

import pytest

from tests.deploy.conftest import deploy_marks
from tests.deploy.servers import NGINX, Client, Gunicorn, Nginx, production_env, running

pytestmark = [
    *deploy_marks,
    pytest.mark.skipif(NGINX is None, reason="nginx is not installed (.ci/run installs it)"),
]


@pytest.fixture(scope="module")
def site(deploy_database, static_root, tmp_path_factory):
    url, _seed = deploy_database
    root = tmp_path_factory.mktemp("nginx-site")
    web = Gunicorn(production_env(url, static_root), root / "web", "web")
    nginx = Nginx(root / "nginx", upstream_port=web.port)
    with running(web, nginx):
        yield nginx, web


def test_plain_http_is_redirected_to_https_but_the_health_check_is_not(site):
    nginx, _web = site
    plain = Client(nginx.http_port)
    redirected = plain.get("/accounts/login/")
    assert redirected.status == 301
    assert redirected.headers["Location"] == "https://kmtracker.test/accounts/login/"
    health = plain.get("/healthz")
    assert (health.status, health.text) == (200, "ok")


def test_over_https_a_person_signs_in_with_secure_cookies(site, seed):
    nginx, _web = site
    browser = Client(nginx.https_port, https=True)
    form = browser.get("/accounts/login/")
    assert form.status == 200
    assert "Strict-Transport-Security" in form.headers  # Django saw HTTPS (X-Forwarded-Proto)
    response = browser.log_in(nginx.https_port, seed["lead"], seed["password"])
    cookie = next(c for c in response.headers.get_all("Set-Cookie") if c.startswith("sessionid="))
    assert "Secure" in cookie and "HttpOnly" in cookie
    assert browser.get(f"/teams/{seed['team']}/").status == 200


def test_nginx_gives_each_request_an_id_that_reaches_the_apps_logs(site):
    nginx, web = site
    response = Client(nginx.https_port, https=True).get(
        "/healthz", headers={"X-Request-ID": "from-the-client"}
    )
    given = response.headers["X-Request-ID"]
    # nginx replaces what the client sent with its own id (32 hex digits).
    assert given != "from-the-client" and len(given) == 32 and int(given, 16) >= 0
    entries = web.log_entries(until=lambda e: e["request_id"] == given)
    (access,) = [e for e in entries if e["request_id"] == given]
    assert (access["logger"], access["path"], access["status"]) == (
        "gunicorn.access",
        "/healthz",
        "200",
    )
