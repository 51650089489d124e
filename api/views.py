"""The read API: a team's rows as JSON, the same rows, columns and rules as its CSV files.

Every endpoint lives under `/api/v1/teams/<team>/`. It resolves the team through
`teams.tenancy` as the pages do (not a member, or a token of another team: 404; a
role without the right: 403), reads the rows through the same `for_user()`
querysets, filters them with the list's own FilterSet, and writes each row with
the columns of the list's `Export` (kmtracker.lists.exports): the API rows are
the CSV rows, with pseudonyms and redacted free text for evaluators. Lists are
in `id` order, paged by an opaque cursor: each page is one keyset query and a
fixed number of prefetches, whatever the page size or the table's size.
Every read is recorded in the access log (audit).
"""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, JsonResponse
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from activities.exports.activities import ACTIVITIES, ACTIVITY_CONTACTS
from activities.exports.contacts import CONTACTS
from activities.exports.organisations import ORGANISATIONS
from activities.exports.outcomes import OUTCOMES
from activities.exports.projects import PROJECTS
from activities.filters import (
    ActivityFilterSet,
    ContactFilterSet,
    OrganisationFilterSet,
    OutcomeFilterSet,
    ProjectFilterSet,
)
from activities.models import Activity, Contact, Organisation, Outcome, Project
from api import schema
from api.models import ApiToken
from evaluations import exports as evaluation_exports
from evaluations.filters import ExcerptFilterSet, ReportPeriodFilterSet
from evaluations.matrix import PARTICIPANTS, ROW_KINDS, Matrix
from evaluations.models import Excerpt, Study
from evaluations.reports.computation import compute_figures
from evaluations.reports.exports import header, report_rows
from evaluations.reports.pages import QuarterReport
from evaluations.reports.periods import ReportPeriods
from kmtracker.lib import prefetching
from kmtracker.lib.quarters import Quarter
from teams.tenancy import READ, READ_EVALUATIONS, team_access

# Query parameters of paging, never handed to a FilterSet; `o` (the lists' sort) neither:
# the API's order is the cursor's.
PAGING = ("cursor", "page_size", "o", "format")


def api_access(request, slug, permission):
    """The TeamAccess of an API request: as the pages decide it, and a token reads only
    its own team (any other answers 404, as to someone who is not a member)."""
    token = request.auth if isinstance(request.auth, ApiToken) else None
    if token is not None and token.team.slug != slug:
        raise NotFound("No such team.")
    try:
        access = team_access(request.user, slug)
    except Http404 as error:
        raise NotFound("No such team.") from error
    if not access.allows(permission):
        raise PermissionDenied("Your role in this team does not allow this.")
    django_request = request._request
    django_request.team_access = access
    # The access log records every read of the API (audit.access.kind_of).
    django_request.api_read = True
    return access


class TeamApiView(APIView):
    """A read of one team's data; GET (and HEAD) only, every other method 405."""

    http_method_names = ["get", "head"]
    permission = READ

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # sign-in, rate limit
        self.access = api_access(request, kwargs["team"], self.permission)

    def note_rows(self, count):
        self.request._request.api_rows = count


class Cursor(CursorPagination):
    """Pages in `id` order; `page_size` rows (of the list's records) each, at most 1000."""

    ordering = "pk"
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
    invalid_cursor_message = "This cursor is not valid: use a `next` link as it was given."

    def decode_cursor(self, request):
        """The cursor, or 404 for one that is not ours: its position must be an `id`."""
        cursor = super().decode_cursor(request)
        if cursor is not None and cursor.position is not None and not cursor.position.isdigit():
            raise NotFound(self.invalid_cursor_message)
        return cursor


class RowsView(TeamApiView):
    """The rows of one list export: the list's FilterSet decides them, its Export writes them."""

    export = None
    filterset_class = None
    model = None

    def records(self, access):
        """The queryset the list starts from (its `get_queryset()`)."""
        return access.scoped(self.model)

    def filterset_kwargs(self):
        return {}

    def filtered(self, access):
        data = self.request.query_params.copy()
        for name in PAGING:
            data.pop(name, None)
        filterset = self.filterset_class(
            data,
            queryset=self.records(access),
            request=self.request._request,
            **self.filterset_kwargs(),
        )
        if not filterset.is_valid():
            raise ValidationError(filterset.errors.get_json_data())
        return filterset.qs

    def get(self, request, *args, **kwargs):
        access = self.access
        paginator = Cursor()
        queryset = self.export.prepare(self.filtered(access))
        page = prefetching.page(
            queryset, lambda plain: paginator.paginate_queryset(plain, request, view=self)
        )
        rows = [schema.as_json(self.export, values) for values in self.export.rows(page, access)]
        self.note_rows(len(rows))
        return paginator.get_paginated_response(rows)


def documented(export, filterset_class, summary, tag, **extra):
    """The OpenAPI description of a RowsView: its filters, paging and row schema."""
    return extend_schema(
        summary=summary,
        description=export.description,
        tags=[tag],
        parameters=schema.filter_parameters(filterset_class, **extra) + schema.PAGING_PARAMETERS,
        responses=schema.responses(schema.page_schema(export)),
    )


@documented(ACTIVITIES, ActivityFilterSet, "Activities", "log")
class ActivityRows(RowsView):
    export = ACTIVITIES
    filterset_class = ActivityFilterSet

    def records(self, access):
        return access.scoped(Activity).for_list()


@documented(
    ACTIVITY_CONTACTS,
    ActivityFilterSet,
    "Activity–contact links",
    "log",
)
class ActivityContactRows(ActivityRows):
    """A page holds `page_size` activities, each with a row per contact."""

    export = ACTIVITY_CONTACTS


@documented(CONTACTS, ContactFilterSet, "Contacts", "log")
class ContactRows(RowsView):
    export = CONTACTS
    filterset_class = ContactFilterSet

    def records(self, access):
        contacts = access.scoped(Contact).with_related().with_first_engaged()
        return contacts.with_activity_count()


@documented(ORGANISATIONS, OrganisationFilterSet, "Organisations", "log")
class OrganisationRows(RowsView):
    export = ORGANISATIONS
    filterset_class = OrganisationFilterSet

    def records(self, access):
        return Organisation.objects.of_team(access.team)


@documented(OUTCOMES, OutcomeFilterSet, "Outcomes", "log")
class OutcomeRows(RowsView):
    export = OUTCOMES
    filterset_class = OutcomeFilterSet
    model = Outcome


@documented(PROJECTS, ProjectFilterSet, "Projects", "log")
class ProjectRows(RowsView):
    export = PROJECTS
    filterset_class = ProjectFilterSet
    model = Project


def get_study(access, pk):
    """The team's study `pk` that the user may read, or 404."""
    study = access.scoped(Study).filter(pk=pk).first()
    if study is None:
        raise NotFound("No such study.")
    return study


@documented(
    evaluation_exports.EXCERPTS,
    ExcerptFilterSet,
    "Coded passages of a study",
    "evaluations",
)
class ExcerptRows(RowsView):
    permission = READ_EVALUATIONS
    export = evaluation_exports.EXCERPTS
    filterset_class = ExcerptFilterSet

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.study = get_study(self.access, kwargs["study"])

    def filterset_kwargs(self):
        return {"study": self.study}

    def records(self, access):
        return Excerpt.objects.for_user(access.user).filter(source__study=self.study)


@extend_schema(
    summary="Framework matrix of a study",
    description="The matrix's CSV as JSON: its header (a pair of columns per theme: the "
    "number of excerpts and the summary) and its rows, by participant or by source.",
    tags=["evaluations"],
    parameters=[schema.MATRIX_ROWS],
    responses=schema.responses(schema.MATRIX),
)
class MatrixView(TeamApiView):
    permission = READ_EVALUATIONS

    def get(self, request, team, study):
        rows = request.query_params.get("rows", PARTICIPANTS)
        if rows not in ROW_KINDS:
            raise ValidationError({"rows": [f"Choose one of {', '.join(ROW_KINDS)}."]})
        matrix = Matrix(get_study(self.access, study), self.access.user, rows)
        table = list(matrix.table())
        self.note_rows(len(table))
        return Response({"rows_by": rows, "header": matrix.header, "rows": table})


class ReportView(TeamApiView):
    """The report's CSV rows as JSON, with the dates each of its three columns covers."""

    def report(self, access, figures, periods):
        names = header(periods)
        rows = [
            dict(zip(names, schema.report_values(values), strict=True))
            for values in report_rows(figures)
        ]
        self.note_rows(len(rows))
        columns = [
            {"name": name, "start": period.start, "end": period.end}
            for name, period in zip(periods.names, periods.columns, strict=True)
        ]
        return Response({"report": periods.title, "columns": columns, "rows": rows})


@extend_schema(
    summary="Report figures of a quarter",
    description="The quarterly report's figures, as its CSV: frozen at sign-off once the "
    "quarter is signed off.",
    tags=["reports"],
    responses=schema.responses(schema.REPORT),
)
class QuarterReportView(ReportView):
    def get(self, request, team, quarter):
        try:
            quarter = Quarter.from_slug(quarter, self.access.team.year_start_month)
        except ValueError as error:
            raise NotFound("No such quarter.") from error
        report = QuarterReport(self.access, quarter)
        return self.report(self.access, report.figures, report.periods)


@extend_schema(
    summary="Report figures of any period",
    description="The report for any dates (both included, five years at most).",
    tags=["reports"],
    parameters=schema.filter_parameters(
        ReportPeriodFilterSet, required=True, only=ReportPeriodFilterSet.PERIOD_FILTERS
    ),
    responses=schema.responses(schema.REPORT),
)
class PeriodReportView(ReportView):
    def get(self, request, team):
        filterset = ReportPeriodFilterSet(
            request.query_params,
            queryset=self.access.scoped(Activity),
            request=request._request,
        )
        if not filterset.is_valid():
            raise ValidationError(filterset.form.errors.get_json_data())
        periods = ReportPeriods.for_range(*filterset.period, self.access.team.year_start_month)
        return self.report(self.access, compute_figures(self.access, periods), periods)


@login_not_required
def not_found(request):
    """Any other address under /api/v1/: a JSON 404, like the API's own."""
    return JsonResponse({"status": 404, "error": "No such address in the API."}, status=404)
