import pytest

from kmtracker.lib.waiting import scaled
from tests.jobs.live import live_database  # noqa: F401 (a fixture of these tests)
from tests.kmtracker.test_settings_from_env import load  # noqa: F401 (likewise)
from tests.mail.smtp import SmtpServer, free_port


@pytest.fixture
def smtp_settings(settings):
    """Mail goes out by SMTP to 127.0.0.1 on a port of its own (nobody listens there yet)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = scaled(10)  # the client's wait for each answer of the server
    return settings


@pytest.fixture
def smtp_server(smtp_settings):
    """A real SMTP server on that port, stopped after the test."""
    server = SmtpServer(smtp_settings.EMAIL_PORT).start()
    yield server
    server.stop()


@pytest.fixture
def outbox_settings(settings):
    settings.EMAIL_BACKEND = "mail.backends.OutboxBackend"
    return settings
