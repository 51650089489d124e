"""`manage.py send_test_mail ADDRESS`: a test message through the job queue.

Unlike Django's `sendtestemail`, which talks to the mail server itself, this queues the
message as the app does (mail/send.py), so it also proves that a worker is running:
with `make run` it appears in the development outbox at /dev/outbox/.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from mail.send import send_mail_to
from teams.models import Team


class Command(BaseCommand):
    help = "Queue a test e-mail to ADDRESS; a worker delivers it."

    def add_arguments(self, parser):
        parser.add_argument("address")
        parser.add_argument("--team", help="the slug of a team the message is about")

    def handle(self, *, address, team, **options):
        about = None
        if team:
            about = Team.objects.filter(slug=team).first()
            if about is None:
                raise CommandError(f"No team {team!r}.")
        message = send_mail_to(
            address, template="test_message", context={"queued_at": timezone.now()}, team=about
        )
        self.stdout.write(
            f"Queued {message.message_id} to {address} (job {message.job_id}); a worker sends it."
        )
