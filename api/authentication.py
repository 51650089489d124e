"""Who an API request is: a personal access token's owner, or a signed-in user's session.

A token is sent as `Authorization: Bearer kmt_…`. It is refused (401, with the
reason) when it is unknown, revoked or expired, when its owner's account is
inactive, or when its owner is no longer an active member of its team. The
session is accepted too, so that the documentation page can try requests as the
signed-in user; the API has no write methods, so it needs no CSRF check.
"""

from rest_framework import authentication, exceptions

from api.models import ApiToken
from teams.models import Membership

KEYWORDS = ("bearer", "token")


class TokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower().decode(errors="replace") not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Send the token as “Bearer <token>”.")
        secret = parts[1].decode(errors="replace")
        token = ApiToken.objects.by_secret(secret)
        if token is None:
            raise exceptions.AuthenticationFailed("This token is not known.")
        if not token.is_live:
            raise exceptions.AuthenticationFailed(f"This token is {token.status}.")
        if not token.user.is_active or not token_owner_is_member(token):
            raise exceptions.AuthenticationFailed(
                "This token's owner is no longer a member of its team."
            )
        token.note_use()
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


def token_owner_is_member(token):
    """Superusers administer every team; anyone else needs an active membership."""
    if token.user.is_superuser:
        return True
    return Membership.objects.filter(user=token.user, team=token.team, is_active=True).exists()


class SessionReadAuthentication(authentication.SessionAuthentication):
    """The signed-in user's session, without the CSRF check: every method that could
    change anything answers 405."""

    def enforce_csrf(self, request):
        return None
