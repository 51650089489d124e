"""`manage.py jobs_worker`: run background jobs until stopped (docs/deployment.md, "Workers")."""

import signal

from django.core.management.base import BaseCommand, CommandError

from jobs.declare import backend_is_database
from jobs.worker import Worker, logger


class Command(BaseCommand):
    help = (
        "Run the jobs of the database queue, one at a time, until SIGTERM or Ctrl-C (which "
        "let the job in hand finish; a second one stops at once and puts the job back)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--queue", default="*", help="comma-separated queues to take jobs from (default: all)"
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds between looks at an empty queue"
        )
        parser.add_argument(
            "--batch", action="store_true", help="run the jobs that are due, then exit"
        )
        parser.add_argument("--max-jobs", type=int, help="exit after this many jobs")
        parser.add_argument(
            "--no-scheduler",
            action="store_false",
            dest="scheduler",
            help="do not enqueue periodic jobs from this worker",
        )

    def handle(self, *, queue, interval, batch, max_jobs, scheduler, **options):
        if not backend_is_database():
            raise CommandError(
                "JOBS_BACKEND is not the database: run that backend's worker (for Redis, "
                "django-rq's `rqworker default mail`) and `manage.py jobs_scheduler`."
            )
        worker = Worker(
            queues=queue.split(","),
            interval=interval,
            batch=batch,
            max_jobs=max_jobs,
            scheduler=scheduler,
        )

        def stop(signum, frame):
            if worker.stopping.is_set():
                raise SystemExit(1)  # the job in hand goes back to the queue (Worker.execute)
            logger.warning(
                "Worker %s: %s, stopping after the job in hand (again to stop at once)",
                worker.worker_id,
                signal.strsignal(signum),
            )
            worker.stop()

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        worker.run()
