"""`manage.py export_csv <team> <list>`: a list's export, with its filters, for scripts."""

from django.core.management.base import BaseCommand, CommandError

from activities import exports, scripting
from kmtracker.lists.exports import FORMATS


class Command(BaseCommand):
    help = (
        "Write the export of one of a team's lists (the rows its filters select, with the "
        "columns of the data dictionary) to a file or to standard output."
    )

    def add_arguments(self, parser):
        parser.add_argument("team", help="The team's slug, e.g. bristol.")
        parser.add_argument("list", choices=list(exports.LIST_EXPORTS), help="Which export.")
        parser.add_argument(
            "--filter",
            action="append",
            default=[],
            metavar="KEY=VALUE",
            help="A filter of the list, as in its address (e.g. quarter=2025-q1); repeatable.",
        )
        parser.add_argument("--output", "-o", metavar="FILE", help="Write here, not to stdout.")
        parser.add_argument(
            "--as-user",
            metavar="USER",
            help="Export as this member sees the list (an evaluator's export is "
            "pseudonymised). Without it, names are written, as for a team lead.",
        )
        parser.add_argument("--format", choices=FORMATS, default="csv")
        parser.add_argument("--bom", action="store_true", help="Start the CSV with a BOM.")

    def handle(self, *args, team, output, as_user, bom, **options):
        list_name, export_format = options["list"], options["format"]
        access = scripting.access_for(team, as_user)
        filters = scripting.parse_filters(options["filter"])
        if export_format == "xlsx" and not output:
            raise CommandError("An XLSX export needs --output FILE.")
        export = (access, list_name, filters)
        if not output:
            scripting.export_list(*export, _Text(self.stdout), export_format, bom)
            return
        if export_format == "xlsx":
            with open(output, "wb") as out:
                scripting.export_list(*export, out, export_format, progress_out=self.stderr)
        else:
            with open(output, "w", newline="", encoding="utf-8") as out:
                scripting.export_list(*export, out, export_format, bom, self.stderr)


class _Text:
    """Standard output without the newline Django's OutputWrapper adds to each write."""

    def __init__(self, wrapper):
        self.wrapper = wrapper

    def write(self, text):
        self.wrapper.write(text, ending="")
