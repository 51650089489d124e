"""The API's rows as JSON and their OpenAPI description, both from the same declarations.

A row's keys are its Export's column headings, in order; each value takes the
JSON type of the column's type (kmtracker.lists.exports), and its codes are the
column's codes. The filters documented are the FilterSet's own, read from its
declared filters, so that the document cannot drift from what the lists accept.
"""

import datetime
from decimal import Decimal

import django_filters
from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from kmtracker.lists import exports

# JSON schema of each column type; every value may be null (not recorded).
COLUMN_SCHEMAS = {
    exports.INTEGER: {"type": "integer"},
    exports.DECIMAL: {"type": "number"},
    exports.DATE: {"type": "string", "format": "date"},
    exports.DATETIME: {"type": "string", "format": "date-time"},
    exports.BOOLEAN: {"type": "boolean"},
}
TEXT_SCHEMA = {"type": "string"}


def json_value(column_type, value):
    """A cell as JSON: numbers as numbers, dates in ISO 8601, texts and codes as in the CSV."""
    if value is None:
        return None
    if column_type == exports.INTEGER:
        return None if value == "" else int(value)
    if column_type == exports.DECIMAL:
        return None if value == "" else float(value)
    if column_type == exports.BOOLEAN:
        return None if value == "" else bool(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return str(value)


def as_json(export, values):
    """One row of `export` (its values, in column order) as a JSON object."""
    return {
        column.heading: json_value(column.type, value)
        for column, value in zip(export.columns, values, strict=True)
    }


def report_values(values):
    """A report's CSV row: texts, then counts (whole numbers), hours and pounds (numbers)."""
    return [float(value) if isinstance(value, Decimal) else value for value in values]


def column_schema(column):
    described = {**COLUMN_SCHEMAS.get(column.type, TEXT_SCHEMA), "nullable": True}
    described["description"] = column.meaning
    if column.codes and column.type == exports.CODE:
        described["enum"] = [*column.codes, "", None]
    elif column.codes:
        described["description"] += " Codes: " + ", ".join(column.codes) + "."
    return described


def row_schema(export):
    return {
        "type": "object",
        "properties": {column.heading: column_schema(column) for column in export.columns},
        "required": [column.heading for column in export.columns],
        "additionalProperties": False,
    }


def page_schema(export):
    link = {"type": "string", "format": "uri", "nullable": True}
    return {
        "type": "object",
        "properties": {
            "next": {**link, "description": "The next page; null on the last."},
            "previous": {**link, "description": "The page before; null on the first."},
            "results": {"type": "array", "items": row_schema(export)},
        },
        "required": ["next", "previous", "results"],
        "additionalProperties": False,
    }


ERROR = {
    "type": "object",
    "properties": {
        "error": {"type": "string", "description": "What is wrong, in a sentence."},
        "status": {"type": "integer"},
        "fields": {
            "type": "object",
            "description": "For a refused filter: each field's errors.",
            "additionalProperties": True,
        },
    },
    "required": ["error", "status"],
}
ERRORS = {
    400: "A filter or parameter is not valid (`fields` says which).",
    401: "No token, or a token that is unknown, revoked, expired or whose owner left the team.",
    403: "Your role in the team does not allow this.",
    404: "No such team for this token (or no such record), or a cursor that is not valid.",
    405: "The API only reads: use GET.",
    429: "Too many requests: wait the seconds that `Retry-After` says.",
}


def responses(success):
    answers = {200: OpenApiResponse(response=success, description="The rows.")}
    for status, meaning in ERRORS.items():
        answers[status] = OpenApiResponse(response=ERROR, description=meaning)
    return answers


PAGING_PARAMETERS = [
    OpenApiParameter(
        "cursor",
        OpenApiTypes.STR,
        description="Where a page starts: take it from the `next` link of the page before.",
    ),
    OpenApiParameter(
        "page_size",
        OpenApiTypes.INT,
        description="Records per page, 1 to 1000 (100 by default).",
    ),
]


def _filter_parameter(name, declared, required):
    """The OpenAPI parameter of one declared filter."""
    label = str(declared.label or name)
    kind, extra = OpenApiTypes.STR, {}
    if isinstance(declared, django_filters.ModelChoiceFilter):
        kind = OpenApiTypes.STR if declared.extra.get("null_label") else OpenApiTypes.INT
        label += " (its `id`)"
    elif isinstance(declared, django_filters.DateFilter):
        kind = OpenApiTypes.DATE
    elif isinstance(declared, django_filters.ChoiceFilter):
        choices = declared.extra.get("choices")
        if isinstance(choices, list | tuple):
            extra["enum"] = [str(value) for value, _ in choices]
        else:
            extra["pattern"] = r"^\d{4}-q[1-4](-m(1[0-2]|[1-9]))?$"
            label += " (`2025-q1`)"
    return OpenApiParameter(name, kind, description=label, required=required, **extra)


def filter_parameters(filterset_class, required=False, only=None):
    """The query parameters of `filterset_class`'s filters (the sort aside: the API pages
    in `id` order)."""
    return [
        _filter_parameter(name, declared, required)
        for name, declared in filterset_class.base_filters.items()
        if not isinstance(declared, django_filters.OrderingFilter)
        and (only is None or name in only)
    ]


MATRIX_ROWS = OpenApiParameter(
    "rows",
    OpenApiTypes.STR,
    enum=["participants", "sources"],
    description="A row per participant (default) or per source.",
)
MATRIX = {
    "type": "object",
    "properties": {
        "rows_by": {"type": "string", "enum": ["participants", "sources"]},
        "header": {"type": "array", "items": {"type": "string"}},
        "rows": {
            "type": "array",
            "items": {
                "type": "array",
                "items": {"nullable": True, "oneOf": [{"type": "string"}, {"type": "integer"}]},
            },
        },
    },
    "required": ["rows_by", "header", "rows"],
    "additionalProperties": False,
}
REPORT_COLUMNS = (
    "this_quarter",
    "previous_quarter",
    "this_period",
    "previous_period",
    "year_to_date",
)
REPORT_VALUE = {"type": "number", "description": "A count, hours or pounds."}
REPORT = {
    "type": "object",
    "properties": {
        "report": {"type": "string", "description": "What the report covers."},
        "columns": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "start": {"type": "string", "format": "date"},
                    "end": {"type": "string", "format": "date"},
                },
                "required": ["name", "start", "end"],
            },
        },
        "rows": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "section": {"type": "string"},
                    "breakdown": {"type": "string"},
                    **dict.fromkeys(REPORT_COLUMNS, REPORT_VALUE),
                    "section_code": {"type": "string"},
                    "breakdown_code": {"type": "string"},
                },
                "required": ["section", "breakdown", "year_to_date", "section_code"],
                "additionalProperties": False,
            },
        },
    },
    "required": ["report", "columns", "rows"],
    "additionalProperties": False,
}


class TokenScheme(OpenApiAuthenticationExtension):
    """Personal access tokens, made on the account page, sent as `Bearer kmt_…`."""

    target_class = "api.authentication.TokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal access token of one team: Account → API tokens.",
        }


class SessionScheme(OpenApiAuthenticationExtension):
    """The signed-in user's session: what the documentation page's requests send."""

    target_class = "api.authentication.SessionReadAuthentication"
    name = "session"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME}
