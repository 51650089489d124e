"""Every request has an id: from the proxy when it sent a good one, else a new one;
every log line of the request carries it, as one line of JSON."""

import io
import json
import logging
import sys

import pytest

from kmtracker.lib.log import JsonFormatter, RequestIdFilter, TextFormatter, request_id


@pytest.fixture(autouse=True)
def no_request_in_progress():
    """Each test starts outside any request, whatever an earlier one left behind."""
    token = request_id.set(None)
    yield
    request_id.reset(token)


@pytest.fixture
def log_lines():
    """Lines that Django's request logger writes through the production handler."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)


def record(name="kmtracker", msg="hello %s", args=("world",), **extra):
    entry = logging.LogRecord(name, logging.INFO, __file__, 1, msg, args, None)
    entry.__dict__.update(extra)
    return entry


@pytest.mark.django_db
def test_it_keeps_a_well_formed_id_from_the_proxy(client):
    response = client.get("/healthz", headers={"X-Request-ID": "0f8e7d6c5b4a39281706f5e4d3c2b1a0"})
    assert response["X-Request-ID"] == "0f8e7d6c5b4a39281706f5e4d3c2b1a0"


@pytest.mark.django_db
@pytest.mark.parametrize("given", ["", "has space", "x" * 129, 'quote"d', "-leading-dash", "é"])
def test_it_replaces_a_missing_or_malformed_id_with_a_new_one(client, given):
    response = client.get("/healthz", headers={"X-Request-ID": given})
    made = response["X-Request-ID"]
    assert made != given and len(made) == 32 and int(made, 16) >= 0


@pytest.mark.django_db
def test_ids_differ_between_requests(client):
    assert client.get("/healthz")["X-Request-ID"] != client.get("/healthz")["X-Request-ID"]


@pytest.mark.django_db
def test_a_requests_log_lines_carry_its_id_and_lines_after_it_none(client, log_lines):
    response = client.get("/no-such-page/", headers={"X-Request-ID": "req-42"})
    logging.getLogger("django.request").warning("after the request")

    (during, after) = log_lines()
    assert response.status_code == 404
    assert during["message"] == "Not Found: /no-such-page/"
    assert during["request_id"] == "req-42"
    assert after["request_id"] is None
    assert request_id.get() is None


def test_a_json_line_has_time_level_logger_message_id_and_extras():
    entry = record(request_id="abc", team="bristol")
    line = JsonFormatter().format(entry)
    assert "\n" not in line
    parsed = json.loads(line)
    assert parsed["level"] == "INFO" and parsed["logger"] == "kmtracker"
    assert parsed["message"] == "hello world"
    assert parsed["request_id"] == "abc" and parsed["team"] == "bristol"
    assert parsed["time"].endswith("+00:00")


def test_an_exception_stays_on_its_one_line():
    try:
        raise ValueError("broken\nacross lines")
    except ValueError:
        entry = logging.LogRecord(
            "kmtracker", logging.ERROR, __file__, 1, "failed", (), sys.exc_info()
        )
    line = JsonFormatter().format(entry)
    assert "\n" not in line
    assert "ValueError: broken\nacross lines" in json.loads(line)["exception"]


def test_gunicorns_access_line_takes_the_id_from_the_response_header():
    atoms = {
        "h": "127.0.0.1",
        "m": "GET",
        "U": "/healthz",
        "q": "",
        "s": "200",
        "B": 2,
        "M": 3,
        "a": "curl",
        "{x-request-id}o": "abc123",
    }
    entry = record(name="gunicorn.access", msg="%(m)s %(U)s %(s)s", args=(atoms,))
    RequestIdFilter().filter(entry)
    parsed = json.loads(JsonFormatter().format(entry))
    assert parsed["request_id"] == "abc123"
    assert parsed["message"] == "GET /healthz 200"
    assert (parsed["method"], parsed["path"], parsed["status"]) == ("GET", "/healthz", "200")
    assert parsed["duration_ms"] == 3 and parsed["bytes"] == 2


def test_the_text_format_for_development_shows_the_id_too():
    entry = record()
    RequestIdFilter().filter(entry)
    assert "[None] kmtracker: hello world" in TextFormatter().format(entry)
