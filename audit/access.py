"""What is recorded in the access log, decided in one place.

The middleware (audit/middleware.py) asks `kind_of()` about every response:
any download (a response sent as an attachment) is an export, whichever view
made it, so a new export is logged without anyone remembering to; any page
that loaded the words of an evaluation source or of a passage coded from it is
a reading of a source, whichever view it is, so a new page that shows them is
logged without anyone remembering to either; likewise any page that loaded a
contact's personal details (e-mail address, phone, notes, consent note) is a
reading of personal data. A model says which of its fields hold such words in
`ACCESS_LOGGED_FIELDS`, and as what they are read in `ACCESS_LOG_KIND` (a source
by default); every record of it loaded with one of them during a request marks
the request (`watch_reads()`, `note_read()`), so that no view has to remember.
Management commands that write exports call `record()` themselves, with the
number of records exported (a web download streams its rows, and counting
them first would cost each download another query).
"""

import contextlib
import contextvars

from django.apps import apps
from django.db.models.signals import post_init

from audit.models import AccessRecord

# The labels of the models whose logged fields the current request loaded (None: no request).
_read: contextvars.ContextVar[set | None] = contextvars.ContextVar("access_read", default=None)


@contextlib.contextmanager
def watch_reads():
    """Within the block, note each record loaded with words the access log must know of;
    yields the set of their models' labels."""
    read: set = set()
    token = _read.set(read)
    try:
        yield read
    finally:
        _read.reset(token)


def note_read(sender, instance, **kwargs):
    """post_init: a record whose logged fields were loaded (not deferred) was read."""
    read = _read.get()
    if read is not None and any(name in instance.__dict__ for name in _fields[sender._meta.label]):
        read.add(sender._meta.label)


# The kind of reading each watched model's label stands for (filled by connect_read_logging).
_kinds: dict[str, str] = {}
_fields: dict[str, tuple] = {}


def logged_models():
    """(model, its logged fields, the kind of reading) of every model that declares some."""
    for model in apps.get_models():
        # A model's change history (django-simple-history's `instance_type`) holds the same
        # words as the model itself, and is read the same.
        declaring = getattr(model, "instance_type", model)
        fields = getattr(declaring, "ACCESS_LOGGED_FIELDS", ())
        if fields:
            yield model, fields, getattr(declaring, "ACCESS_LOG_KIND", AccessRecord.Kind.SOURCE)


def connect_read_logging():
    """Listen to every model that declares `ACCESS_LOGGED_FIELDS` (audit's `ready()`)."""
    for model, fields, kind in logged_models():
        _kinds[model._meta.label], _fields[model._meta.label] = kind, fields
        post_init.connect(note_read, sender=model, dispatch_uid=f"audit.read.{model._meta.label}")


def is_download(response):
    return response.get("Content-Disposition", "").startswith("attachment")


def kind_of(request, response, read=frozenset()):
    """The kind of access `response` gives, or None when it is not logged; `read` names
    the models whose logged words the request loaded."""
    if not 200 <= response.status_code < 300:
        return None
    # The read API (api/) marks its requests: every read of team data through it is logged.
    if getattr(request, "api_read", False):
        return AccessRecord.Kind.API
    if is_download(response):
        return AccessRecord.Kind.EXPORT
    kinds = {_kinds.get(label, AccessRecord.Kind.SOURCE) for label in read}
    # A page that shows both is logged as the reading of a source, the stricter of the two.
    for kind in (AccessRecord.Kind.SOURCE, AccessRecord.Kind.PERSONAL):
        if kind in kinds:
            return kind
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
        row_count=getattr(request, "api_rows", None),
    )
