"""`make bench`'s job queue figures: 1,000 jobs queued at once, drained by two workers.

Two `manage.py jobs_worker` processes (the production settings, default options) on the
bench database. Figures: jobs per second from the first start to the last finish; the
queue latency of those 1,000 jobs (from each job's enqueue to its start: a job at the
back waits for the ones before it); the time to enqueue them; and the pickup of one job
enqueued on an idle queue, which a worker looks at once a second.
"""

import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kmtracker.lib.waiting import scaled, tail, wait_until

ROOT = Path(__file__).resolve().parent.parent
QUEUED = 1_000
WORKERS = 2
IDLE_PICKUPS = 5
# Seconds for the drain on an idle machine, scaled (kmtracker/lib/waiting.py): far beyond
# what two workers need.
TIMEOUT = 200


def figures(args):
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from bench.noop_job import noop
    from jobs.models import WorkerProcess

    DBTaskResult.objects.all().delete()
    WorkerProcess.objects.all().delete()
    started = time.perf_counter()
    ids = [noop.enqueue(number).id for number in range(QUEUED)]
    enqueue_seconds = time.perf_counter() - started

    logs = tempfile.TemporaryDirectory(prefix="bench-workers-")
    workers = [_worker(Path(logs.name) / f"worker-{number}.log") for number in range(WORKERS)]
    try:
        _wait(lambda: DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).count()
              == QUEUED, "the workers to run the queued jobs", workers)  # fmt: skip
        rows = list(DBTaskResult.objects.filter(pk__in=ids).values_list(
            "enqueued_at", "started_at", "finished_at"))  # fmt: skip
        pickups = []
        for number in range(IDLE_PICKUPS):
            time.sleep(1.5)  # both workers back to looking at an empty queue
            result = noop.enqueue(number)
            _wait(lambda: DBTaskResult.objects.filter(
                pk=result.id, status=TaskResultStatus.SUCCESSFUL).exists(),  # noqa: B023
                "an idle worker to run one job", workers)  # fmt: skip
            row = DBTaskResult.objects.get(pk=result.id)
            pickups.append((row.started_at - row.enqueued_at).total_seconds())
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            worker.wait(scaled(20))
        logs.cleanup()
    waits = sorted((start - enqueued).total_seconds() for enqueued, start, _ in rows)
    span = (max(end for *_, end in rows) - min(start for _, start, _ in rows)).total_seconds()
    return {
        "jobs": QUEUED,
        "workers": WORKERS,
        "enqueue_seconds": round(enqueue_seconds, 3),
        "enqueue_per_second": round(QUEUED / enqueue_seconds, 1),
        "drain_seconds": round(span, 3),
        "jobs_per_second": round(QUEUED / span, 1),
        "latency_p50_s": round(statistics.median(waits), 3),
        "latency_p95_s": round(waits[int(len(waits) * 0.95) - 1], 3),
        "latency_max_s": round(waits[-1], 3),
        "idle_pickup_median_s": round(statistics.median(pickups), 3),
    }


def rows(op):
    """The bench table's lines (bench/run.py's columns) for these figures."""
    if not op:
        return []
    label = f"Job queue, {WORKERS} workers"
    if "error" in op:
        return [(label, "", op["error"], "", "", "", "")]
    return [
        (label, f"{op['jobs']:,} jobs", f"{op['jobs_per_second']:,.0f} jobs/s "
         f"({op['drain_seconds']:.2f} s)", f"enqueue {op['enqueue_per_second']:,.0f}/s", "", "",
         ""),
        ("  queue latency (enqueue → start)", f"{op['jobs']:,} queued",
         f"p50 {op['latency_p50_s']:.2f} s, p95 {op['latency_p95_s']:.2f} s, "
         f"max {op['latency_max_s']:.2f} s", f"idle queue {op['idle_pickup_median_s']:.2f} s",
         "", "", ""),
    ]  # fmt: skip


def _worker(log_path):
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "jobs_worker", "--no-scheduler"],
            cwd=ROOT,
            env=dict(os.environ),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    process.log_path = log_path
    return process


def _wait(condition, what, workers):
    def output():
        return "\n".join(
            f"--- worker {worker.pid} ---\n{tail(worker.log_path.read_text(errors='replace'), 15)}"
            for worker in workers
        )

    wait_until(condition, what, TIMEOUT, processes=workers, output=output, interval=0.05)
