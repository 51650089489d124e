"""Unsubscribe links of recurring mail: a signed token names the person and the kind.

The link needs no sign-in (RFC 8058's one-click unsubscribe is a POST from the mail
client), so the token is signed with SECRET_KEY: nobody can make one for another person
or another kind. It does not expire: an old digest's link must still work.
"""

from django.core import signing
from django.db import IntegrityError, transaction

from mail.models import OptOut

SALT = "mail.unsubscribe"


def make_token(kind, user=None, address=""):
    who = {"u": user.pk} if user is not None else {"a": address.lower()}
    return signing.dumps({**who, "k": kind}, salt=SALT, compress=True)


def read_token(token):
    """(kind, user id or None, address) of a token, or None when it is not one of ours."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("k"), str):
        return None
    return data["k"], data.get("u"), data.get("a", "")


def opt_out(kind, user_id=None, address=""):
    """Record the opt-out (again is harmless)."""
    lookup = {"user_id": user_id} if user_id else {"user": None, "address": address}
    try:
        with transaction.atomic():
            OptOut.objects.get_or_create(kind=kind, **lookup)
    except IntegrityError:  # recorded by a simultaneous click
        pass


def has_opted_out(kind, user_id=None, address=""):
    if user_id is not None:
        return OptOut.objects.filter(kind=kind, user_id=user_id).exists()
    return OptOut.objects.filter(kind=kind, user=None, address=address.lower()).exists()
