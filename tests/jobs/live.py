"""A database other processes can see, and real worker processes working on it.

Tests of workers start `manage.py jobs_worker` processes, which cannot see pytest-django's
test transaction: `live_database` gives them committed data. On PostgreSQL that is the
test database itself under `transactional_db`; on SQLite, whose test database lives in
this process's memory, it is a file: a copy of the migrated test database, which this
process's default connection then uses too, until the test ends.
"""

import math
import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
from django.db import connections
from django.db.utils import ConnectionHandler

from kmtracker.lib.waiting import TAIL_LINES, scaled, tail, wait_until

ROOT = Path(__file__).resolve().parents[2]
# Seconds on an idle machine, scaled by KMTRACKER_TEST_TIMEOUT_SCALE where they are used
# (kmtracker/lib/waiting.py): CI runs the suite on two busy cores, and a worker process
# spends a second or two importing Django before it does anything.
START_TIMEOUT = 20
STOP_TIMEOUT = 10
# A worker whose heartbeat (every second here) is this many seconds old is taken for dead
# and its job run by another: short, so that the test of a killed worker is quick, but not
# so short that a live worker starved of CPU for a moment is taken for dead. Never less:
# the workers refuse a timeout of twice their heartbeat or less.
WORKER_TIMEOUT = 3


@pytest.fixture
def live_database(transactional_db, tmp_path):
    """The DATABASE_URL of a database this test and worker processes share."""
    default = connections["default"]
    params = default.settings_dict
    if default.vendor == "postgresql":
        auth = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
        host, port = params["HOST"] or "127.0.0.1", params["PORT"] or 5432
        yield f"postgres://{auth}@{host}:{port}/{params['NAME']}"
        return
    path = tmp_path / "live.sqlite3"
    default.ensure_connection()
    with sqlite3.connect(path) as copy:
        default.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=WAL")
    live = ConnectionHandler({"default": {**params, "NAME": str(path)}})["default"]
    connections["default"] = live
    try:
        yield f"sqlite:///{path}"
    finally:
        live.close()
        connections["default"] = default


def worker_env(database_url, **extra):
    """The environment of a worker process: the suite's, on `database_url`, with a quick
    heartbeat (a worker silent for WORKER_TIMEOUT s, scaled, is dead) and short pauses
    between attempts."""
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        DEBUG="0",
        JOBS_HEARTBEAT_SECONDS="1",
        JOBS_WORKER_TIMEOUT_SECONDS=str(max(math.ceil(scaled(WORKER_TIMEOUT)), WORKER_TIMEOUT)),
        JOBS_RETRY_DELAY_SECONDS="1",
        MAIL_DELIVERY="outbox",
        LOG_FORMAT="json",
        CONN_MAX_AGE="0",
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update({key: str(value) for key, value in extra.items()})
    return env


class WorkerProcess:
    """One `manage.py jobs_worker` process, its output in a file of the test's folder."""

    def __init__(self, env, folder, *args):
        self.env = env
        self.args = args
        self.log_path = Path(folder) / f"worker-{time.monotonic_ns()}.log"
        self.process = None

    def start(self):
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    str(ROOT / "manage.py"),
                    "jobs_worker",
                    "--interval",
                    "0.1",
                    *self.args,
                ],
                env=self.env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    @property
    def pid(self):
        return self.process.pid

    def log(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def kill(self):
        """SIGKILL: no clean-up of any kind, as the out-of-memory killer would."""
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(scaled(STOP_TIMEOUT))

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(scaled(STOP_TIMEOUT))
        except subprocess.TimeoutExpired:
            self.kill()


@contextmanager
def running_workers(env, folder, count=1, *args):
    """`count` workers, stopped on the way out whatever happened."""
    workers = [WorkerProcess(env, folder, *args) for _ in range(count)]
    try:
        for worker in workers:
            worker.start()
        yield workers
    finally:
        for worker in workers:
            worker.stop()


def wait_for(condition, what, timeout=START_TIMEOUT, workers=()):
    """Poll `condition()` until it is true and return its value; fail, with the workers'
    output, after `timeout` seconds (scaled for a busy machine) or when a worker exits."""
    return wait_until(
        condition,
        what,
        timeout,
        processes=[worker.process for worker in workers if worker.process is not None],
        output=(lambda: logs_of(workers)) if workers else None,
    )


def logs_of(workers):
    """The end of the output of each of `workers`, under a line naming it."""
    lines = max(TAIL_LINES // len(workers) - 1, 5)
    return "\n".join(
        f"--- worker {worker.pid} ---\n{tail(worker.log(), lines)}" for worker in workers
    )
