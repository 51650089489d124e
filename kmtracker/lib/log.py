"""Structured logging: one JSON object a line on stdout, each with the request's id.

`RequestIdMiddleware` (kmtracker/middleware.py) puts the id of the request being
served into `request_id`, a context variable; `RequestIdFilter` copies it onto
every log record, so that Django's lines, the app's own and gunicorn's access
line of one request can be found together. Settings and gunicorn.conf.py both
use these classes, so the web process writes one format only.

This module must not import Django's settings: gunicorn's master process loads
it before any Django code runs.
"""

import contextvars
import datetime
import json
import logging
from collections.abc import Mapping

request_id = contextvars.ContextVar("request_id", default=None)

# Attributes every LogRecord has; anything else on a record was passed as `extra=`.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
    "message",
    "asctime",
    "request_id",
}

# gunicorn's access-log atoms (see gunicorn.glogging.Logger.atoms) worth a field each.
_ACCESS_FIELDS = {
    "m": "method",
    "U": "path",
    "q": "query",
    "s": "status",
    "B": "bytes",
    "M": "duration_ms",
    "h": "remote_addr",
    "a": "user_agent",
}


class RequestIdFilter(logging.Filter):
    """Give every record a `request_id`: the one of the request being served, else None.

    gunicorn writes its access line after the response has left Django, so that
    record takes the id from the response's X-Request-ID header instead.
    """

    def filter(self, record):
        if getattr(record, "request_id", None) is None:
            record.request_id = request_id.get() or _access_atom(record, "{x-request-id}o")
        return True


class JsonFormatter(logging.Formatter):
    """Format a record as one line of JSON: time, level, logger, message, request_id, extras."""

    def format(self, record):
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        if record.name == "gunicorn.access":
            for atom, field in _ACCESS_FIELDS.items():
                value = _access_atom(record, atom)
                if value is not None:
                    entry[field] = value
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in entry:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """Readable lines for development (LOG_FORMAT=text), with the request id all the same."""

    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s")

    def format(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = None
        return super().format(record)


def _access_atom(record, atom):
    """One atom of a gunicorn access record (its args are a dict of atoms), else None."""
    if record.name != "gunicorn.access" or not isinstance(record.args, Mapping):
        return None
    value = record.args.get(atom)
    return None if value in (None, "-") else value


def logging_config(level="INFO", fmt="json"):
    """The dictConfig that settings.LOGGING and gunicorn's `logconfig_dict` share.

    Everything goes to stdout through one handler; gunicorn's two loggers do not
    propagate, so that their lines are not written twice.
    """
    formatter: dict[str, type[logging.Formatter]] = {
        "()": JsonFormatter if fmt == "json" else TextFormatter
    }
    handler = {
        "class": "logging.StreamHandler",
        "stream": "ext://sys.stdout",
        "formatter": "default",
        "filters": ["request_id"],
    }
    gunicorn_logger = {"level": level, "handlers": ["console"], "propagate": False}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {"default": formatter},
        "handlers": {"console": handler},
        "root": {"level": level, "handlers": ["console"]},
        "loggers": {"gunicorn.error": gunicorn_logger, "gunicorn.access": gunicorn_logger},
    }
