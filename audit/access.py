"""What is recorded in the access log, decided in one place.

The middleware (audit/middleware.py) asks `kind_of()` about every response:
any download (a response sent as an attachment) is an export, whichever view
made it, so a new export is logged without anyone remembering to; pages that
show an evaluation source's text or its coded excerpts are named in
SOURCE_VIEWS. Management commands that write exports call `record()`
themselves, with the number of records exported (a web download streams its
rows, and counting them first would cost each download another query).
"""

from audit.models import AccessRecord

# The pages that show the text of an interview transcript or other evaluation source,
# or passages coded from it.
SOURCE_VIEWS = frozenset(
    {
        "evaluations:source_detail",
        "evaluations:source_edit",
        "evaluations:excerpt_add",
        "evaluations:excerpt_edit",
        "evaluations:excerpt_list",
        "evaluations:matrix_cell",
    }
)


def is_download(response):
    return response.get("Content-Disposition", "").startswith("attachment")


def kind_of(request, response):
    """The kind of access `response` gives, or None when it is not logged."""
    if not 200 <= response.status_code < 300:
        return None
    if is_download(response):
        return AccessRecord.Kind.EXPORT
    match = request.resolver_match
    if match is not None and match.view_name in SOURCE_VIEWS:
        return AccessRecord.Kind.SOURCE
    return None


def record(kind, user, team, what, *, path="", query="", row_count=None):
    """Add one record to the access log."""
    real_user = user if getattr(user, "pk", None) is not None else None
    return AccessRecord.objects.create(
        kind=kind,
        user=real_user,
        username=str(user.get_username() if real_user else user),
        team=team,
        what=what[:200],
        path=path[:2000],
        query=query,
        row_count=row_count,
    )


def record_request(request, kind):
    """Record what `request` was given: the page, its filters, the team in play."""
    access = getattr(request, "team_access", None)
    match = request.resolver_match
    return record(
        kind,
        request.user,
        access.team if access else None,
        match.view_name if match else request.path,
        path=request.path,
        query=request.META.get("QUERY_STRING", ""),
    )
