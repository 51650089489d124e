"""Who a request comes from, for sign-in throttling.

A client may write anything in `X-Forwarded-For`; only the entries appended by
proxies we run can be believed, and only when the request really came through
them. `TRUSTED_PROXIES` lists their addresses (or networks): starting from the
connection's own address (`REMOTE_ADDR`), each address that is one of ours
vouches for the entry to its left; the first address that is not ours is the
client's. A request sent straight to the app, whatever it says it was forwarded
for, is its connection's address. With no trusted proxy (the default) the
header is never read.
"""

import functools
import ipaddress

from django.conf import settings

from kmtracker.lib.env import ip_networks


def client_ip(request):
    """The client's address, as far as our own proxies vouch for it."""
    remote = request.META.get("REMOTE_ADDR") or None
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    if remote is None or not networks:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    current = remote
    while forwarded and _is_trusted(current, networks):
        entry = forwarded.pop()
        if _address(entry) is None:  # garbled by the client: the last proxy's word stands
            return current
        current = entry
    return current


def _address(text):
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _is_trusted(text, networks):
    address = _address(text)
    return address is not None and any(address in network for network in networks)


@functools.lru_cache(maxsize=8)
def _networks(entries):
    return ip_networks("TRUSTED_PROXIES", entries)
