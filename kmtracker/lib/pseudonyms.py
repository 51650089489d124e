"""Stable, keyed pseudonyms for contacts, shown to evaluators instead of names."""

import base64
import hashlib
import hmac

from django.conf import settings


def contact_pseudonym(team_id, contact_id):
    """`C-` and 8 characters of an HMAC of the team and contact ids.

    The same contact gets the same pseudonym in every page and export of its
    team; without PSEUDONYM_KEY nobody can go from pseudonym back to contact.
    """
    message = f"contact:{team_id}:{contact_id}".encode()
    digest = hmac.new(settings.PSEUDONYM_KEY.encode(), message, hashlib.sha256).digest()
    return "C-" + base64.b32encode(digest).decode()[:8]
