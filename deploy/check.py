"""`make deploy-check`: the production configuration, end to end, on this machine.

On a fresh PostgreSQL database, with DEBUG off and a generated SECRET_KEY:
collectstatic, migrate, `check --deploy --fail-level WARNING`; gunicorn with
gunicorn.conf.py, /healthz, a page and a hashed static file; then the deployment
tests (tests/deploy: two instances against one PostgreSQL, PgBouncer, Redis,
nginx, a database that is down). Everything it starts is stopped and the
database dropped, also on failure or after DEPLOY_CHECK_TIMEOUT seconds.

    DEPLOY_CHECK_DATABASE_URL  maintenance database of the server to use
                               (default postgres://postgres@127.0.0.1:5432/postgres)
    DEPLOY_CHECK_TIMEOUT       seconds for the whole check (default 300 ×
                               KMTRACKER_TEST_TIMEOUT_SCALE, 900 when that is unset)
    KMTRACKER_TEST_TIMEOUT_SCALE  how much longer than on an idle machine each wait may
                               take (kmtracker/lib/waiting.py; default 3)
"""

import contextlib
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # `python deploy/check.py` from the checkout, as make does

from kmtracker.lib.waiting import WaitFailed, scaled, wait_until  # noqa: E402

PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
ADMIN_URL = os.environ.get(
    "DEPLOY_CHECK_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)
# collectstatic alone takes one to two minutes of a core, the deployment tests several.
DEADLINE = time.monotonic() + int(os.environ.get("DEPLOY_CHECK_TIMEOUT") or scaled(300))
# Every process this check starts, and every process those start, inherit this
# variable; the clean-up stops exactly those, whatever state a failure left them in.
TOKEN = f"deploy-check-{secrets.token_hex(8)}"
# The variables the production configuration reads: unset, so that its defaults apply.
SETTINGS_READ = re.compile(r'env_(?:str|bool|int|list|choice)\(\s*"([A-Z0-9_]+)"')


class CheckFailed(Exception):
    pass


def step(title):
    print(f"\n== {title}", flush=True)


def remaining():
    left = DEADLINE - time.monotonic()
    if left <= 0:
        raise CheckFailed("DEPLOY_CHECK_TIMEOUT reached")
    return left


def production_env(database_url, static_root):
    names = set()
    for path in (ROOT / "kmtracker" / "settings.py", ROOT / "gunicorn.conf.py"):
        names |= set(SETTINGS_READ.findall(path.read_text()))
    env = {k: v for k, v in os.environ.items() if k not in names | {"DATABASE_URL"}}
    env.update(
        KMTRACKER_DEPLOY_CHECK=TOKEN,
        SECRET_KEY=secrets.token_urlsafe(50),
        PSEUDONYM_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="localhost,127.0.0.1",
        DATABASE_URL=database_url,
        STATIC_ROOT=str(static_root),
        WEB_CONCURRENCY="2",
    )
    return env


def run(command, env):
    print("$", " ".join(command), flush=True)
    try:
        result = subprocess.run(command, cwd=ROOT, env=env, timeout=remaining())
    except subprocess.TimeoutExpired:
        raise CheckFailed(f"timed out: {' '.join(command)}") from None
    if result.returncode:
        raise CheckFailed(f"failed ({result.returncode}): {' '.join(command)}")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port, path, **headers):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=scaled(10))
    try:
        connection.request("GET", path, headers={"Host": "localhost", **headers})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def serve_and_probe(env):
    """Start gunicorn as systemd would, and check /healthz, a page and a static file."""
    port = free_port()
    command = [GUNICORN, "-c", str(ROOT / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{port}"]
    print("$", " ".join(command), flush=True)
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    try:
        # Any answer: a 503 is reported below as such. gunicorn's output is on the terminal.
        try:
            status, _headers, body = wait_until(
                lambda: get(port, "/healthz"),
                f"gunicorn to answer on http://127.0.0.1:{port}/healthz",
                20,
                processes=[server],
                interval=0.2,
                errors=(OSError, http.client.HTTPException),
            )
        except WaitFailed as failure:
            raise CheckFailed(str(failure)) from None
        print(f"GET /healthz -> {status} {body.decode()!r}", flush=True)
        if status != 200:
            raise CheckFailed("/healthz did not answer 200")
        # As nginx passes it on: HTTPS, said in X-Forwarded-Proto.
        status, headers, body = get(port, "/accounts/login/", **{"X-Forwarded-Proto": "https"})
        print(f"GET /accounts/login/ -> {status}, X-Request-ID {headers.get('X-Request-ID')}")
        css = re.search(rb'href="(/static/vendor/bootstrap/css/bootstrap\.min\.\w+\.css)"', body)
        if status != 200 or not css:
            raise CheckFailed("the sign-in page or its hashed stylesheet link is missing")
        stylesheet = css.group(1).decode()
        proxied = {"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"}
        status, headers, _body = get(port, stylesheet, **proxied)
        print(f"GET {stylesheet} -> {status}, {headers.get('Content-Encoding')}")
        if status != 200 or headers.get("Content-Encoding") != "gzip":
            raise CheckFailed("the hashed stylesheet is not served compressed")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(scaled(5))
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(scaled(2))
        print("gunicorn stopped", flush=True)


def processes_started_here():
    """The ids of live processes that inherited TOKEN (this check's, and theirs)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                environ = (entry / "environ").read_bytes()
            except OSError:
                continue
            if f"KMTRACKER_DEPLOY_CHECK={TOKEN}".encode() in environ.split(b"\0"):
                found.append(int(entry.name))
    return found


def stop_leftovers():
    for signum, grace in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        pids = processes_started_here()
        if not pids:
            return
        print(f"stopping {len(pids)} leftover process(es) with signal {signum.name}")
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signum)
        deadline = time.monotonic() + grace
        while processes_started_here() and time.monotonic() < deadline:
            time.sleep(0.2)


def main():
    admin = urllib.parse.urlsplit(ADMIN_URL)
    database = f"kmtracker_deploy_check_{os.getpid()}"
    database_url = admin._replace(path=f"/{database}").geturl()
    admin_dsn = ADMIN_URL.replace("postgres://", "postgresql://", 1)
    work = Path(tempfile.mkdtemp(prefix="kmtracker-deploy-check-"))
    created = False
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        step(f"A fresh database: {database}")
        with psycopg.connect(admin_dsn, autocommit=True, connect_timeout=10) as conn:
            conn.execute(f'CREATE DATABASE "{database}"')
        created = True
        env = production_env(database_url, work / "staticfiles")

        step("Production settings: DEBUG off, generated SECRET_KEY, ALLOWED_HOSTS set")
        run([PYTHON, "manage.py", "collectstatic", "--no-input", "-v", "1"], env)
        run([PYTHON, "manage.py", "migrate", "--no-input", "-v", "1"], env)
        run([PYTHON, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)

        step("gunicorn with gunicorn.conf.py")
        serve_and_probe(env)

        step("Deployment tests: two instances, one PostgreSQL; PgBouncer; Redis; nginx")
        test_env = dict(os.environ, KMTRACKER_DEPLOY_CHECK=TOKEN)
        test_env.update(DATABASE_URL=database_url, DEPLOY_STATIC_ROOT=str(work / "staticfiles"))
        run([PYTHON, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/deploy"], test_env)
    except CheckFailed as error:
        print(f"\ndeploy-check FAILED: {error}", file=sys.stderr, flush=True)
        return 1
    finally:
        step("Clean-up")
        stop_leftovers()
        if created:
            with psycopg.connect(admin_dsn, autocommit=True, connect_timeout=10) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
                # pytest-django's copy, should the tests have been stopped before dropping it.
                conn.execute(f'DROP DATABASE IF EXISTS "test_{database}" WITH (FORCE)')
            print(f"dropped {database}")
        shutil.rmtree(work, ignore_errors=True)
    print("\ndeploy-check: OK", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
