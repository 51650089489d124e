"""`manage.py jobs_scheduler`: enqueue periodic jobs, for installations whose workers are
not `jobs_worker` (Redis). `jobs_worker` runs the same step itself."""

import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand

from jobs.schedule import enqueue_due, schedule


class Command(BaseCommand):
    help = "Enqueue each periodic job when it is due, until stopped (--once: check once)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="check once, then exit")

    def handle(self, *, once, **options):
        for periodic in schedule().values():
            self.stdout.write(f"Periodic job {periodic}")
        stopping = threading.Event()
        signal.signal(signal.SIGINT, lambda *_: stopping.set())
        signal.signal(signal.SIGTERM, lambda *_: stopping.set())
        while True:
            for occurrence in enqueue_due():
                self.stdout.write(f"Enqueued {occurrence}")
            if once or stopping.wait(settings.JOBS_HEARTBEAT_SECONDS):
                return
