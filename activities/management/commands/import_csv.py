"""`manage.py import_csv <team> <kind> FILE`: import activities or contacts from CSV or XLSX."""

from django.core.management.base import CommandError

from activities import scripting
from activities.imports import ENCODINGS, IMPORTERS
from kmtracker.lib.history.writing import RecordedCommand


class Command(RecordedCommand):
    help = (
        "Import activities or contacts from a CSV or XLSX file with the export's columns. "
        "Every row is checked first; a file with any error imports nothing, and rows "
        "already there are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("team", help="The team's slug, e.g. bristol.")
        parser.add_argument("kind", choices=list(IMPORTERS), help="What the file holds.")
        parser.add_argument("file", help="The CSV or XLSX file.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row and save nothing."
        )
        parser.add_argument(
            "--user",
            metavar="USER",
            help="Import as this broker or lead (recorded as who logged the rows). "
            "Without it, with a team lead's rights and no author.",
        )
        parser.add_argument("--encoding", choices=list(ENCODINGS), default="utf-8")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="HEADING=COLUMN",
            help="Read the file's column HEADING as the export column COLUMN; repeatable.",
        )

    def handle(self, *args, team, kind, file, dry_run, user, encoding, **options):
        access = scripting.access_for(team, user)
        preview = scripting.import_path(
            access, kind, file, dry_run, encoding, options["map"], progress_out=self.stderr
        )
        if preview.locked:
            raise CommandError(preview.signed_off.locked_message("row"))
        lines = scripting.report(preview, dry_run)
        for line in lines[:-1]:
            self.stderr.write(line)
        if preview.problems or preview.with_errors or preview.unanswered:
            raise CommandError(lines[-1])
        self.stdout.write(lines[-1])
