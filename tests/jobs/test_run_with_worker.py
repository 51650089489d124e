"""`make run`'s command: the development server with a job worker beside it. One Ctrl-C
stops both; a worker that dies is reported and started again."""

import http.client
import os
import signal
import subprocess
import sys

import psutil
from django.utils import timezone

from jobs.models import WorkerProcess
from kmtracker.lib.waiting import scaled, wait_until
from mail.models import OutboxMessage
from mail.send import send_mail_to
from tests.jobs.live import ROOT, START_TIMEOUT, STOP_TIMEOUT, worker_env
from tests.mail.smtp import free_port


def answers(port):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=scaled(5))
    try:
        connection.request("GET", "/healthz")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


def test_one_ctrl_c_stops_the_server_and_its_worker_and_a_dead_worker_comes_back(
    live_database, tmp_path
):
    port = free_port()
    log_path = tmp_path / "run.log"
    with log_path.open("wb") as log:
        command = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "manage.py"),
                "run_with_worker",
                f"127.0.0.1:{port}",
                "--noreload",
            ],
            env=worker_env(live_database),
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # as a terminal's foreground job: Ctrl-C goes to its group
        )

    def output():
        return log_path.read_text(errors="replace")

    def wait_for(condition, what):
        """Wait while `run_with_worker` runs, quoting its output (both children's) on failure."""
        return wait_until(condition, what, START_TIMEOUT, processes=[command], output=output)

    try:
        wait_for(lambda: answers(port), f"the server to answer 200 on port {port}/healthz")
        worker = wait_for(WorkerProcess.objects.first, "the worker's heartbeat row")
        children = psutil.Process(command.pid).children(recursive=True)
        assert {child.pid for child in children} >= {worker.pid}

        os.kill(worker.pid, signal.SIGKILL)
        wait_for(lambda: "The job worker stopped (exit status -9)" in output(), "the report")
        wait_for(
            lambda: WorkerProcess.objects.exclude(pid=worker.pid).exists(),
            "a new worker's heartbeat row",
        )
        send_mail_to(
            "ada@example.org", template="test_message", context={"queued_at": timezone.now()}
        )
        wait_for(OutboxMessage.objects.exists, "the new worker to deliver")

        children = psutil.Process(command.pid).children(recursive=True)
        os.killpg(command.pid, signal.SIGINT)
        assert command.wait(scaled(STOP_TIMEOUT + START_TIMEOUT)) == 0, output()
    finally:
        if command.poll() is None:
            os.killpg(command.pid, signal.SIGKILL)
    _, alive = psutil.wait_procs(children, timeout=scaled(STOP_TIMEOUT))
    assert alive == [], f"left running: {alive}\n{output()}"
    assert not answers(port)
