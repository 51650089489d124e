"""The e-mail settings, checked when the settings load: a bad value stops every process
at start-up with a message naming the variable, not at the first message hours later.

kmtracker/settings.py reads the variables (docs/deployment.md lists them) and calls
`check_mail_settings`; this module imports nothing of Django's that needs settings.
"""

import re
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

# An address as SMTP servers take it: something@domain, no spaces or angle brackets.
ADDRESS = re.compile(r"[^@\s<>\"]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?")
HOST_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\]")


def default_site_url(debug, allowed_hosts):
    """Where links in messages point when SITE_URL is not set: the first allowed host."""
    if debug:
        return "http://127.0.0.1:8000"
    host = allowed_hosts[0].lstrip(".") if allowed_hosts else ""
    if not host or "*" in host:
        raise ImproperlyConfigured(
            "Set SITE_URL (e.g. https://km.example.org): links in e-mails need the site's address."
        )
    return f"https://{host}"


def default_from(site_url):
    """`KM Tracker <noreply@host>`, on the site's own host name."""
    return f"KM Tracker <noreply@{urlsplit(site_url).hostname}>"


def check_mail_settings(settings):
    """Raise ImproperlyConfigured for the first e-mail setting that cannot work."""
    if not 0 < settings["EMAIL_PORT"] < 65536:
        _bad("EMAIL_PORT", settings["EMAIL_PORT"], "is not a port number (1 to 65535)")
    if not HOST_NAME.fullmatch(settings["EMAIL_HOST"]):
        _bad("EMAIL_HOST", settings["EMAIL_HOST"], "is not a host name or address")
    if settings["EMAIL_USE_TLS"] and settings["EMAIL_USE_SSL"]:
        raise ImproperlyConfigured(
            "Set EMAIL_USE_TLS (STARTTLS, usually port 587) or EMAIL_USE_SSL (TLS from the "
            "start, usually port 465), not both."
        )
    if bool(settings["EMAIL_HOST_USER"]) != bool(settings["EMAIL_HOST_PASSWORD"]):
        raise ImproperlyConfigured("Set both EMAIL_HOST_USER and EMAIL_HOST_PASSWORD, or neither.")
    if settings["EMAIL_TIMEOUT"] <= 0:
        _bad("EMAIL_TIMEOUT", settings["EMAIL_TIMEOUT"], "must be a number of seconds above 0")
    name, address = parseaddr(settings["DEFAULT_FROM_EMAIL"])
    if not ADDRESS.fullmatch(address):
        _bad(
            "EMAIL_FROM",
            settings["DEFAULT_FROM_EMAIL"],
            "is not an address such as 'KM Tracker <noreply@km.example.org>'",
        )
    url = urlsplit(settings["SITE_URL"])
    if url.scheme not in ("http", "https") or not url.hostname or url.query or url.fragment:
        _bad("SITE_URL", settings["SITE_URL"], "is not an address such as https://km.example.org")
    if settings["MAIL_KEEP_DAYS"] < 1:
        _bad("MAIL_KEEP_DAYS", settings["MAIL_KEEP_DAYS"], "must be 1 or more")


def _bad(name, value, problem):
    raise ImproperlyConfigured(f"{name}={value!r} {problem}.")
