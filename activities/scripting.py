"""Scripted exports and imports: what `manage.py export_csv` and `import_csv` do, as
functions that tests call.

Both act as a member of the team (`--as-user`, `--user`), with that member's
role: an evaluator's export is pseudonymised, and only brokers and leads may
import. Without a user they act with a team lead's rights, as the person at the
server's shell, who can read the database anyway.

An export goes through the list's own view and FilterSet, so that a script
gets exactly the rows and columns of the list's "Download CSV" for the same
filters.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.management.base import CommandError
from django.http import Http404, HttpRequest, QueryDict

from activities import exports
from activities.imports import IMPORTERS, ImportFileError, normalise_heading, read_table
from activities.views import activities, contacts, organisations, outcomes, projects
from audit.access import record
from audit.models import AccessRecord
from kmtracker.lib import files
from kmtracker.lib.progress import Progress
from teams.models import Team
from teams.tenancy import TeamAccess, team_access


class ShellUser(AnonymousUser):
    """Who a command acts as when no user is named: it reads every team, like a superuser."""

    is_superuser = True

    @property
    def is_authenticated(self):
        return True

    def __str__(self):
        return "the shell"


def access_for(team_slug, username=None):
    """The TeamAccess a command acts with; CommandError for an unknown team or user."""
    team = Team.objects.filter(slug=team_slug).first()
    if team is None:
        raise CommandError(f"No team has the slug {team_slug!r}.")
    if username is None:
        return TeamAccess(team, ShellUser(), "lead")
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"No user is called {username!r}.")
    try:
        return team_access(user, team.slug)
    except Http404:
        raise CommandError(f"{username} is not a member of {team.slug}.") from None


# The list view behind each export.
LIST_VIEWS = {
    "activities": activities.ActivityListView,
    "activity_contacts": activities.ActivityListView,
    "contacts": contacts.ContactListView,
    "outcomes": outcomes.OutcomeListView,
    "projects": projects.ProjectListView,
    "organisations": organisations.OrganisationListView,
}


def parse_filters(pairs):
    """`key=value` strings as a query string; a key may repeat."""
    query = QueryDict(mutable=True)
    for pair in pairs or ():
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise CommandError(f"Write each filter as key=value, not {pair!r}.")
        query.appendlist(key.strip(), value.strip())
    return query


def export_queryset(access, list_name, filters):
    """The rows the list shows for `filters` (a QueryDict), through the list's view."""
    view_class = LIST_VIEWS[list_name]
    allowed = set(view_class.filterset_class.base_filters)
    unknown = sorted(set(filters) - allowed)
    if unknown:
        raise CommandError(
            f"Unknown filter {', '.join(unknown)}; the {list_name} list filters by "
            f"{', '.join(sorted(allowed))}."
        )
    request = HttpRequest()
    request.method = "GET"
    request.GET = filters
    request.user = access.user
    request.team_access = access
    view = view_class()
    view.setup(request, team=access.team.slug)
    view.access = access
    try:
        return view.export_queryset()
    except ValueError as error:
        raise CommandError(str(error)) from None


def export_list(access, list_name, filters, out, export_format="csv", bom=False, progress_out=None):
    """Write the export of `list_name` to `out` (text for CSV, binary for XLSX).

    Returns the number of records (objects of the list) written.
    """
    export = exports.LIST_EXPORTS[list_name]
    queryset = export_queryset(access, list_name, filters)
    total = queryset.count()
    # Logged before a line is written, so that even an interrupted export is on record.
    record(
        AccessRecord.Kind.EXPORT,
        access.user,
        access.team,
        f"manage.py export_csv {list_name} ({export_format})",
        query=filters.urlencode(),
        row_count=total,
    )
    progress = None
    if progress_out is not None:
        progress = Progress(progress_out, f"{list_name}", total)
    rows = export.rows(queryset, access, progress=progress)
    if export_format == "xlsx":
        files.write_xlsx(out, [files.Sheet(export.name, export.header, rows)])
    else:
        files.write_csv(out, export.header, rows, bom=bom)
    return progress.done if progress is not None else None


def parse_mapping(pairs, headings):
    """`--map "File heading=column"` options as a mapping of the file's columns."""
    if not pairs:
        return None
    chosen = {}
    for pair in pairs:
        heading, sep, column = pair.rpartition("=")
        if not sep:
            raise CommandError(f"Write each mapping as heading=column, not {pair!r}.")
        chosen[normalise_heading(heading)] = column.strip()
    return [chosen.get(heading, heading) for heading in headings]


def import_path(
    access, kind, path, dry_run=False, encoding="utf-8", mapping=None, progress_out=None
):
    """Check, and unless `dry_run` save, the rows of the file at `path`: the Preview."""
    if not access.can_write:
        raise CommandError(
            f"{access.user} is an evaluator of {access.team.slug}: they may not import."
        )
    try:
        with open(path, "rb") as handle:
            content = handle.read()
        table = read_table(content, encoding)
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
    except ImportFileError as error:
        raise CommandError(str(error)) from None
    importer = IMPORTERS[kind](access)
    mapping = parse_mapping(mapping, table.headings)
    if dry_run:
        return importer.preview(table, mapping)
    return importer.save(table, mapping, progress_out)


def report(preview, dry_run=False):
    """The lines a command prints about an import: problems, errors, then the counts."""
    lines = [f"Columns: {problem}" for problem in preview.problems]
    for result in preview.results:
        for column, value, message in result.errors:
            where = f"row {result.number}" + (f", {column}" if column else "")
            shown = f" ({value!r})" if value else ""
            lines.append(f"{where}{shown}: {message}")
        for choice in result.unanswered:
            # Nobody is there to choose: the command says which contacts a name could be.
            options = "; ".join(label for _value, label in choice.options)
            lines.append(f"row {result.number}: {choice.question} Could be: {options}.")
    counts = (
        f"{preview.new} new, {preview.existing} already there, {preview.with_errors} with errors"
    )
    if preview.problems or preview.with_errors or preview.unanswered:
        lines.append(f"Nothing imported: {counts}.")
    elif dry_run:
        lines.append(f"Dry run, nothing saved: {counts}.")
    else:
        lines.append(f"Imported: {counts}.")
    return lines
