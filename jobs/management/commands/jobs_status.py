"""`manage.py jobs_status`: the queue in one line, and an exit status for monitoring."""

import json

from django.core.management.base import BaseCommand, CommandError

from jobs.status import queue_status


class Command(BaseCommand):
    help = (
        "Show the job queue; exit with status 1 when the longest-waiting due job has waited "
        "longer than --max-wait seconds (no worker, or too few)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--max-wait", type=float, default=300, help="seconds (default 300)")
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="the figures as JSON"
        )

    def handle(self, *, max_wait, as_json, **options):
        status = queue_status()
        if as_json:
            self.stdout.write(json.dumps(status))
        else:
            self.stdout.write(
                "{due} due (oldest waiting {oldest_due_seconds:.0f} s), {later} later, "
                "{retrying} waiting to be retried, {running} running, {failed_last_day} failed "
                "in the last 24 h; {live} live worker(s){names}".format(
                    **status,
                    live=len(status["workers"]),
                    names=f": {', '.join(status['workers'])}" if status["workers"] else "",
                )
            )
        if status["oldest_due_seconds"] > max_wait:
            raise CommandError(
                f"The oldest due job has waited {status['oldest_due_seconds']:.0f} s, more than "
                f"{max_wait:.0f} s: are the workers running (manage.py jobs_worker)?",
                returncode=1,
            )
