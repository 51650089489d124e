"""Twice is once: every form that creates a record carries a one-time token, and the
first request that saves with it claims it in the database (a unique row, `Submission`).

A second request with the same token, sent at the same time or after, cannot claim it:
it is told what the first made and makes nothing. `claim()` is the one rule; create
views (teams.generic.TeamCreateView) claim after saving, with the page of what they made
(`claim_made()`, one statement), other forms (the quick-add dialog, an import's
confirmation) call `claim()` themselves.
"""

import re
import secrets

from django import forms
from django.db import connections, router, transaction
from django.utils import timezone

from teams.models import Submission

FIELD = "submission"
_MAX_LENGTH = 64
# What new_token() makes; anything else posted in its place is no token at all.
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


class AlreadySubmitted(Exception):
    """The token was claimed by an earlier request: `submission` says what it made."""

    def __init__(self, submission):
        super().__init__("This form was already sent.")
        self.submission = submission


def new_token():
    return secrets.token_urlsafe(32)


def token_field():
    """The hidden field of a form's one-time token, with a fresh token."""
    return forms.CharField(
        widget=forms.HiddenInput, required=False, max_length=_MAX_LENGTH, initial=new_token
    )


def claim(token, access):
    """Claim `token` for this request, inside the caller's transaction: the Submission
    (to `record()` what was made), None when there is no token to claim, or
    AlreadySubmitted. Waits for a request holding the same token to finish first."""
    if not _is_token(token):
        return None
    submission = Submission(token=token, team=access.team, user=access.user)
    if _insert_unless_taken(submission):
        return submission
    raise AlreadySubmitted(_earlier(token, access))


def _earlier(token, access):
    """The Submission that claimed `token` first, or a blank one when another user's
    request or another team's did."""
    return find(token, access) or Submission(url="")


def claim_made(token, access, url="", **result):
    """Claim `token` for what this request has just made (its page `url`, and `result`),
    in one statement inside the caller's transaction: the Submission, None when there is
    no token to claim, or AlreadySubmitted, which the caller lets roll back what it made.
    Waits for a request holding the same token to finish first."""
    if not _is_token(token):
        return None
    submission = Submission(token=token, team=access.team, user=access.user, url=url, result=result)
    if _insert_unless_taken(submission):
        return submission
    raise AlreadySubmitted(_earlier(token, access))


def _insert_unless_taken(submission):
    """Insert `submission` unless its token is taken: True when this request inserted it.

    One statement, `INSERT ... ON CONFLICT DO NOTHING RETURNING` (PostgreSQL, SQLite from
    3.35), rather than an INSERT in a savepoint that a taken token rolls back: it waits
    for a request inserting the same token to finish, like the unique index it relies on.
    """
    submission.created_at = timezone.now()
    concrete = {field.name: field for field in Submission._meta.concrete_fields}
    fields = [concrete[name] for name in _COLUMNS]
    connection = connections[router.db_for_write(Submission)]
    values = [
        field.get_db_prep_save(field.pre_save(submission, True), connection) for field in fields
    ]
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(Submission._meta.db_table)} "
        f"({', '.join(quote(str(field.column)) for field in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))}) "
        f"ON CONFLICT ({quote('token')}) DO NOTHING RETURNING {quote('id')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
    if row is None:
        return False
    submission.pk = row[0]
    submission._state.adding = False
    return True


_COLUMNS = ("token", "team", "user", "url", "result", "created_at")


def find(token, access):
    """The Submission already made with `token` by this user in this team, if any."""
    if not _is_token(token):
        return None
    return Submission.objects.filter(token=token, team=access.team, user=access.user).first()


def _is_token(token):
    return isinstance(token, str) and _TOKEN.fullmatch(token) is not None


def record(submission, url="", **result):
    """Say what the claimed submission made (within the same transaction as the record)."""
    if submission is not None:
        submission.url, submission.result = url, result
        submission.save(update_fields=["url", "result"])


def add_token_field(form):
    """Give `form` its hidden one-time token (rendered by crispy forms' layouts too)."""
    form.fields[FIELD] = token_field()
    helper = getattr(form, "helper", None)
    if helper is not None:
        helper.render_hidden_fields = True
    return form


def save_once(form, access, save, url_of):
    """For a view that is not a TeamCreateView: `save()` makes the form's records, once for
    the form's token. Returns (what save() returned, None), or (None, the earlier
    Submission) when this form was already sent; `url_of(result)` is where to show what
    was made, recorded with the claim in save()'s transaction."""
    with transaction.atomic():
        try:
            submission = claim(form.cleaned_data.get(FIELD, ""), access)
        except AlreadySubmitted as already:
            return None, already.submission
        result = save()
        record(submission, url_of(result))
    return result, None
