"""`make loadtest`: KM Tracker under load, and with PostgreSQL restarted under load.

On a fresh PostgreSQL database (migrated, `seed_demo`, a lead and an evaluator added to
the second team): gunicorn with two workers and the production settings (DEBUG off,
hashed static files) on a free loopback port, and locust's simulated users
(loadtest/locustfile.py) for LOADTEST_DURATION seconds. Then loadtest/ledger.py checks
the ledger of every write and response against the database. Two scenarios, each on
its own copy of the seeded database:

    normal   nothing goes wrong: no write lost or half-written, no leak, no 5xx
    restart  the same, with PostgreSQL restarted halfway: 5xx are allowed from the
             restart until LOADTEST_RECOVERY_LIMIT seconds after it, no others

A short summary is printed and written as JSON to LOADTEST_OUTPUT/<scenario>.json; the
exit status is 1 when any rule was broken. Everything started is stopped and every
database dropped, also on failure.

    LOADTEST_DATABASE_URL     maintenance database of the server to use
                              (default postgres://postgres@127.0.0.1:5432/postgres)
    LOADTEST_RESTART_COMMAND  restarts that server
                              (default pg_ctlcluster --skip-systemctl-redirect 15 main restart)
    LOADTEST_DURATION         seconds of load per scenario (default 60)
    LOADTEST_USERS            simulated users (default 20)
    LOADTEST_RECOVERY_LIMIT   seconds after the restart within which errors may occur (10)
    LOADTEST_SCENARIOS        which to run, comma-separated (default normal,restart)
    LOADTEST_OUTPUT           folder of the summaries and logs (test-artifacts/loadtest)
"""

import contextlib
import json
import os
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # `python loadtest/run.py` from the checkout, as make does

from kmtracker.lib.waiting import WaitFailed, scaled, wait_until  # noqa: E402

BIN = Path(sys.executable).parent
ADMIN_URL = os.environ.get("LOADTEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
RESTART_COMMAND = os.environ.get(
    "LOADTEST_RESTART_COMMAND", "pg_ctlcluster --skip-systemctl-redirect 15 main restart"
)
DURATION = int(os.environ.get("LOADTEST_DURATION", "60"))
USERS = int(os.environ.get("LOADTEST_USERS", "20"))
SCENARIOS = os.environ.get("LOADTEST_SCENARIOS", "normal,restart").split(",")
OUTPUT = ROOT / os.environ.get("LOADTEST_OUTPUT", "test-artifacts/loadtest")
SPAWN_RATE = 10
SHOWN = (
    "requests",
    "writes_acknowledged",
    "writes_lost",
    "writes_partial",
    "leaks",
    "server_errors_5xx",
    "p50_ms",
    "p99_ms",
)


class LoadTestFailed(Exception):
    pass


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def dsn(url):
    return url.replace("postgres://", "postgresql://", 1)


def database_url(name):
    return urllib.parse.urlsplit(ADMIN_URL)._replace(path=f"/{name}").geturl()


def admin_execute(*statements):
    with psycopg.connect(dsn(ADMIN_URL), autocommit=True, connect_timeout=10) as conn:
        for statement in statements:
            conn.execute(statement)


def app_env(url, static_root):
    """The production configuration: DEBUG off, a fresh key, hashed static files.

    Plain HTTP on loopback, so the cookies are not marked secure (SECURE_COOKIES=0), as
    on a closed network without TLS; everything else is as in production.
    """
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DATABASE_URL")}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        PSEUDONYM_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_COOKIES="0",
        STATIC_MANIFEST="1",
        STATIC_ROOT=str(static_root),
        DATABASE_URL=url,
        WEB_CONCURRENCY="2",
        LOG_LEVEL="WARNING",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def run(command, env, timeout=100, capture=False):
    """Run `command` to its end within `timeout` seconds on an idle machine (scaled)."""
    result = subprocess.run(
        command, cwd=ROOT, env=env, timeout=scaled(timeout), capture_output=True, text=True
    )
    if result.returncode:
        raise LoadTestFailed(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def stop(process, timeout=5):
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(scaled(timeout))
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(scaled(2))


def wait_healthy(port, process, log_path, timeout=20):
    """Until gunicorn's /healthz answers 200 (`timeout` seconds on an idle machine, scaled);
    fails with the end of its log, or at once when it exits."""
    url = f"http://127.0.0.1:{port}/healthz"

    def healthy():
        with urllib.request.urlopen(url, timeout=scaled(2)) as answer:
            return answer.status == 200

    try:
        wait_until(
            healthy,
            f"gunicorn to answer 200 on {url}",
            timeout,
            processes=[process],
            output=lambda: log_path.read_text(errors="replace"),
            interval=0.3,
        )
    except WaitFailed as failure:
        raise LoadTestFailed(str(failure)) from None


def wait_for_database(timeout=20):
    """Until PostgreSQL answers a query again (`timeout` seconds on an idle machine, scaled)."""

    def answers():
        with psycopg.connect(dsn(ADMIN_URL), connect_timeout=2) as conn:
            conn.execute("SELECT 1")
            return True

    try:
        wait_until(answers, "PostgreSQL to answer", timeout, errors=(psycopg.OperationalError,))
    except WaitFailed as failure:
        raise LoadTestFailed(str(failure)) from None


def restart_postgres(at, events):
    """Restart the server `at` seconds from now; note when, and when it answered again."""
    time.sleep(at)
    events["restart"] = {"started": time.time()}
    result = subprocess.run(
        shlex.split(RESTART_COMMAND), capture_output=True, text=True, timeout=scaled(40)
    )
    events["restart"]["command_returned"] = time.time()
    events["restart"]["exit_status"] = result.returncode
    wait_for_database()
    events["restart"]["finished"] = time.time()


def prepare_database(base, static_root):
    """Create `base`, migrate it, seed the demo teams; returns loadtest/prepare.py's output."""
    admin_execute(f'CREATE DATABASE "{base}"')
    env = app_env(database_url(base), static_root)
    run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], env)
    run([sys.executable, "manage.py", "seed_demo", "--force"], env)
    return run([sys.executable, "-m", "loadtest.prepare"], env).strip().splitlines()[-1]


def scenario(name, base, setup_path, static_root):
    """Serve a copy of `base`, run the users (and the restart), check the ledger."""
    database = f"{base}_{name}"
    admin_execute(f'CREATE DATABASE "{database}" TEMPLATE "{base}"')
    env = app_env(database_url(database), static_root)
    work = OUTPUT / name
    work.mkdir(parents=True, exist_ok=True)
    ledger, events_path = work / "ledger.json", work / "events.json"
    run_token = secrets.token_hex(3)
    port = free_port()
    events = {}
    server_log = work / "gunicorn.log"
    with server_log.open("wb") as log:
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py")]
            + ["--bind", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_healthy(port, server, server_log)
        restarter = None
        if name == "restart":
            # Halfway, once every user has started and written something.
            at = USERS / SPAWN_RATE + DURATION / 2
            restarter = threading.Thread(target=restart_postgres, args=(at, events), daemon=True)
        locust_env = dict(
            os.environ,
            LOADTEST_SETUP=str(setup_path),
            LOADTEST_LEDGER=str(ledger),
            LOADTEST_RUN=run_token,
            PYTHONPATH=str(ROOT),
        )
        command = [str(BIN / "locust"), "-f", str(ROOT / "loadtest" / "locustfile.py")]
        command += ["--headless", "-u", str(USERS), "-r", str(SPAWN_RATE)]
        command += ["-t", f"{DURATION}s", "--stop-timeout", "10", "--only-summary"]
        command += ["--host", f"http://127.0.0.1:{port}", "--loglevel", "WARNING"]
        print(f"$ {' '.join(command)}", flush=True)
        with (work / "locust.log").open("wb") as log:
            users = subprocess.Popen(
                command,
                cwd=ROOT,
                env=locust_env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            if restarter:
                restarter.start()
            try:
                users.wait(DURATION + scaled(40))
            finally:
                stop(users)
        if restarter:
            restarter.join(scaled(60))
            if "finished" not in events.get("restart", {}):
                raise LoadTestFailed("PostgreSQL was not restarted, or did not come back")
    finally:
        stop(server)
    if not ledger.exists():
        raise LoadTestFailed(f"locust wrote no ledger; see {work / 'locust.log'}")
    events_path.write_text(json.dumps(events))
    output = run(
        [sys.executable, "-m", "loadtest.ledger", run_token, str(ledger), str(events_path)], env
    )
    summary = {"scenario": name, "duration_s": DURATION, "users": USERS}
    summary.update(json.loads(output.strip().splitlines()[-1]))
    return summary


def report(summary):
    figures = ", ".join(f"{key} {summary[key]}" for key in SHOWN)
    print(f"\n== {summary['scenario']}: {figures}")
    if "restart" in summary:
        restart = summary["restart"]
        print(
            f"   PostgreSQL down {restart['database_down_seconds']} s; "
            f"{restart['failed_in_window']} request(s) failed, the last "
            f"{restart['outage_seconds']} s after the restart began and "
            f"{restart['recovery_seconds']} s after PostgreSQL was back (recovery)"
        )
    for violation in summary["violations"][:20]:
        print(f"   VIOLATION {violation}")
    if len(summary["violations"]) > 20:
        print(f"   ... and {len(summary['violations']) - 20} more")
    print(f"   written to {OUTPUT / (summary['scenario'] + '.json')}", flush=True)


def main():
    unknown = set(SCENARIOS) - {"normal", "restart"}
    if unknown:
        print(f"unknown LOADTEST_SCENARIOS: {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    OUTPUT.mkdir(parents=True, exist_ok=True)
    base = f"kmtracker_loadtest_{os.getpid()}"
    static_root = OUTPUT / "staticfiles"
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    failed = False
    try:
        print(f"== A fresh database: {base} (migrate, seed_demo)", flush=True)
        env = app_env("sqlite://:memory:", static_root)
        run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"], env)
        setup_path = OUTPUT / "setup.json"
        setup_path.write_text(prepare_database(base, static_root))
        for name in SCENARIOS:
            print(f"\n== {name}: {USERS} users for {DURATION} s", flush=True)
            summary = scenario(name, base, setup_path, static_root)
            (OUTPUT / f"{name}.json").write_text(json.dumps(summary, indent=2) + "\n")
            report(summary)
            failed |= bool(summary["violations"])
    except LoadTestFailed as error:
        print(f"\nloadtest FAILED: {error}", file=sys.stderr, flush=True)
        return 1
    finally:
        wait_for_database()
        for name in [*SCENARIOS, None]:
            database = f"{base}_{name}" if name else base
            admin_execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    print("\nloadtest: " + ("FAILED" if failed else "OK"), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
