"""`manage.py run_with_worker [addrport]`: the development server and a job worker together.

What `make run` serves with: one Ctrl-C stops both, and a worker that stops by itself is
reported and started again (jobs/supervise.py). Not for production, where each runs as
a service of its own (deploy/).
"""

import sys

from django.conf import settings
from django.core.management.base import BaseCommand

from jobs.supervise import Supervisor


class Command(BaseCommand):
    help = "Run `runserver` and `jobs_worker` side by side until Ctrl-C."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--noreload", action="store_true", help="no reloading of the server on code changes"
        )

    def handle(self, *, addrport, noreload, **options):
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        web = [*manage, "runserver", addrport, *(["--noreload"] if noreload else [])]
        status = Supervisor(web, [*manage, "jobs_worker"]).run()
        if status:
            sys.exit(status)
