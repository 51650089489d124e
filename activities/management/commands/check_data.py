"""`manage.py check_data [--team SLUG]`: list the records saved before a rule that break it."""

from django.core.management.base import BaseCommand, CommandError

from activities import checks
from teams.models import Team


class Command(BaseCommand):
    help = (
        "List records that break a rule added after they were saved (a decided bid without "
        "its decision date, a date outside 1900–2100); exits with status 1 when there are any."
    )

    def add_arguments(self, parser):
        parser.add_argument("--team", help="Only this team's records (its slug).")

    def handle(self, *args, team=None, **options):
        chosen = None
        if team is not None:
            chosen = Team.objects.filter(slug=team).first()
            if chosen is None:
                raise CommandError(f"No team {team!r}.")
        found = checks.problems(chosen)
        for problem in found:
            self.stdout.write(
                f"{problem.team}\t{problem.record} {problem.pk}\t{problem.title}\t{problem.rule}"
            )
        if found:
            raise CommandError(f"{len(found)} record(s) break a rule.", returncode=1)
        self.stdout.write("No record breaks a rule.")
