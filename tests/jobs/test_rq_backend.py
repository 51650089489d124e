"""JOBS_BACKEND=rq: the same jobs, queued in Redis and run by django-rq's worker.

Real processes on the machine's Redis (REDIS_URL, or 127.0.0.1:6379): a message queued
by `send_test_mail` reaches the outbox through `rqworker`, run the way
docs/deployment.md says.
"""

import os
import sys

import pytest
import redis

from kmtracker.lib.waiting import run_captured
from mail.models import OutboxMessage, OutgoingMessage
from tests.jobs.live import ROOT, START_TIMEOUT, worker_env

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
# The worker command of docs/deployment.md, after `manage.py`.
RQ_WORKER = "rqworker --job-class django_tasks_rq.backend.Job default mail"


def redis_or_skip():
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL} (.ci/run starts one)")
    return client


def manage(env, *args):
    """Run `manage.py` to its end (scaled timeout; its output is in the failure)."""
    return run_captured(
        [sys.executable, str(ROOT / "manage.py"), *args],
        f"manage.py {args[0]}",
        START_TIMEOUT,
        env=env,
        cwd=ROOT,
    )


def test_the_guide_names_the_worker_command_this_test_runs():
    guide = (ROOT / "docs" / "deployment.md").read_text()
    assert f"manage.py {RQ_WORKER}" in " ".join(guide.split())


def test_a_message_queued_in_redis_is_delivered_by_rqworker(live_database):
    client = redis_or_skip()
    client.flushdb()
    env = worker_env(live_database, JOBS_BACKEND="rq", REDIS_URL=REDIS_URL)

    queued = manage(env, "send_test_mail", "newcomer@example.org")
    assert queued.returncode == 0, queued.stderr
    message = OutgoingMessage.objects.get(to_address="newcomer@example.org")
    assert message.status == OutgoingMessage.Status.QUEUED
    assert not OutboxMessage.objects.exists()

    worked = manage(env, *RQ_WORKER.split(), "--burst")
    assert worked.returncode == 0, worked.stderr
    assert "Successfully completed mail.send.deliver" in worked.stdout + worked.stderr

    message.refresh_from_db()
    assert message.status == OutgoingMessage.Status.SENT
    assert list(OutboxMessage.objects.values_list("to", flat=True)) == ["newcomer@example.org"]
    client.flushdb()
