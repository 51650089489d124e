"""`manage.py seed_admin`: with DEBUG only, a staff login `admin` for the development outbox
(/dev/outbox/) and the admin's job pages. Safe to run again; `make run` does."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

USERNAME = "admin"
PASSWORD = "kmtracker-demo"  # the demo logins' password


class Command(BaseCommand):
    help = "With DEBUG on: a superuser 'admin' (password kmtracker-demo), for development."

    def handle(self, **options):
        if not settings.DEBUG:
            raise CommandError("seed_admin is for development: it runs with DEBUG=1 only.")
        user, created = get_user_model().objects.get_or_create(
            username=USERNAME, defaults={"is_staff": True, "is_superuser": True}
        )
        if created:
            user.set_password(PASSWORD)
            user.save()
        self.stdout.write(f"Staff login: {USERNAME} / {PASSWORD}")
