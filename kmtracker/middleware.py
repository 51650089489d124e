"""Give each request an id, for the logs and for the person who reports a problem."""

import re
import uuid

from django.core.signals import request_finished
from django.utils.cache import patch_cache_control

from kmtracker.lib.log import request_id

HEADER = "X-Request-ID"
# What nginx's $request_id (32 hex digits), a UUID or a load balancer's trace id look like;
# anything else (too long, spaces, quotes, control characters) is replaced, not logged.
VALID_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:=+/-]{0,127}")


class RequestIdMiddleware:
    """Take the proxy's X-Request-ID when it is present and well formed, else make one.

    The id goes on `request.request_id`, into the `kmtracker.lib.log.request_id`
    context variable (so that every log line of the request carries it) and on
    the response's X-Request-ID header (so that gunicorn's access line and the
    browser see it too). Put this first in MIDDLEWARE, so that it wraps
    everything else, static files included.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(HEADER, "")
        request.request_id = given if VALID_ID.fullmatch(given) else uuid.uuid4().hex
        # Kept until the response is closed, not just until it leaves the middleware:
        # Django logs a 4xx/5xx response after the whole middleware chain has returned,
        # and a streamed download runs after that too.
        request_id.set(request.request_id)
        response = self.get_response(request)
        response[HEADER] = request.request_id
        return response


def forget_request_id(**kwargs):
    """The request is over: later lines of this thread belong to no request."""
    request_id.set(None)


request_finished.connect(forget_request_id, dispatch_uid="kmtracker.forget_request_id")


class PrivatePagesMiddleware:
    """Every answer to a signed-in user is `Cache-Control: private, no-store`.

    Team pages, partials and files hold personal data (contacts, sources, the
    access log): no shared cache may keep them, and no browser may keep them on
    disk once the user has signed out. One place, so that a new page needs no
    header of its own. Put it after AuthenticationMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
