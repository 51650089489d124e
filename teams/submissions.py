"""Twice is once: every form that creates a record carries a one-time token, and the
first request that saves with it claims it in the database (a unique row, `Submission`).

A second request with the same token, sent at the same time or after, cannot claim it:
it is told what the first made and makes nothing. `claim()` is the one rule; create
views get it through `OnceMixin` (teams.generic.TeamCreateView), other forms (the
quick-add dialog, an import's confirmation) call `claim()` themselves.
"""

import re
import secrets

from django import forms
from django.db import IntegrityError, transaction

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
    try:
        with transaction.atomic():
            return Submission.objects.create(token=token, team=access.team, user=access.user)
    except IntegrityError:
        earlier = Submission.objects.filter(token=token, team=access.team, user=access.user)
        raise AlreadySubmitted(earlier.first() or Submission(url="")) from None


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
