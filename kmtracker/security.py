"""Who a request comes from, for sign-in throttling.

A client may write anything in `X-Forwarded-For`; only the entries appended by
proxies we run can be believed. Each proxy appends the address it saw, so with
`TRUSTED_PROXY_COUNT` proxies in front of the app the client's address is the
n-th entry from the right. With no trusted proxy (the default) it is the
address of the connection itself, `REMOTE_ADDR`.
"""

from django.conf import settings


def client_ip(request):
    """The client's address, as far as our own proxies vouch for it."""
    remote = request.META.get("REMOTE_ADDR") or None
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    # The nearest proxy's own entry is the last; fewer entries than proxies means a
    # request that bypassed them, which is answered by the connection's address.
    if len(forwarded) < count:
        return remote
    return forwarded[-count]
