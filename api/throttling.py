"""Rate limits: each token (or signed-in user, or client address) may make API_RATE
requests; past that the API answers 429 with `Retry-After`. The counts live in the
cache, which is shared by every web process when REDIS_URL is set."""

import time

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from api.models import ApiToken


class TokenRateThrottle(SimpleRateThrottle):
    scope = "token"

    def get_rate(self):
        return settings.API_RATE

    def timer(self):
        # A method, not DRF's `timer = time.time`: a clock swapped in by tests (freezegun)
        # would be bound to the throttle as a method and called with it.
        return time.time()

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            who = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            who = f"user-{request.user.pk}"
        else:
            who = f"client-{self.get_ident(request)}"
        return f"api-throttle:{who}"
