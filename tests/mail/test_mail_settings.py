"""E-mail and job settings come from the environment; a value that cannot work stops the
process at start-up with a message naming the variable."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from tests.kmtracker.test_settings_from_env import production


def test_production_sends_by_smtp_from_the_sites_own_address(load):
    settings = load(
        **production(
            EMAIL_HOST="smtp.example.org",
            EMAIL_PORT="587",
            EMAIL_USE_TLS="1",
            EMAIL_HOST_USER="kmtracker",
            EMAIL_HOST_PASSWORD="secret",
        )
    )
    assert settings["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (settings["EMAIL_HOST"], settings["EMAIL_PORT"]) == ("smtp.example.org", 587)
    assert settings["EMAIL_USE_TLS"] is True and settings["EMAIL_USE_SSL"] is False
    assert settings["SITE_URL"] == "https://km.example.org"
    assert settings["DEFAULT_FROM_EMAIL"] == "KM Tracker <noreply@km.example.org>"
    assert settings["TASKS"]["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


def test_development_keeps_mail_in_the_outbox(load):
    settings = load(DEBUG="1")
    assert settings["EMAIL_BACKEND"] == "mail.backends.OutboxBackend"
    assert settings["SITE_URL"] == "http://127.0.0.1:8000"


@pytest.mark.parametrize(
    "env, message",
    [
        ({"EMAIL_PORT": "0"}, "EMAIL_PORT='0'|EMAIL_PORT=0"),
        ({"EMAIL_PORT": "smtp"}, "EMAIL_PORT"),
        ({"EMAIL_HOST": "smtp://mail.example.org"}, "EMAIL_HOST"),
        ({"EMAIL_USE_TLS": "1", "EMAIL_USE_SSL": "1"}, "EMAIL_USE_TLS.*EMAIL_USE_SSL"),
        ({"EMAIL_USE_TLS": "maybe"}, "EMAIL_USE_TLS"),
        ({"EMAIL_HOST_USER": "kmtracker"}, "EMAIL_HOST_PASSWORD"),
        ({"EMAIL_FROM": "KM Tracker"}, "EMAIL_FROM"),
        ({"EMAIL_TIMEOUT": "0"}, "EMAIL_TIMEOUT"),
        ({"MAIL_DELIVERY": "pigeon"}, "MAIL_DELIVERY"),
        ({"SITE_URL": "km.example.org"}, "SITE_URL"),
        ({"JOBS_BACKEND": "celery"}, "JOBS_BACKEND"),
        ({"JOBS_BACKEND": "rq"}, "REDIS_URL"),
        ({"JOBS_MAX_ATTEMPTS": "0"}, "JOBS_MAX_ATTEMPTS"),
        ({"JOBS_HEARTBEAT_SECONDS": "30"}, "JOBS_WORKER_TIMEOUT_SECONDS"),
    ],
)
def test_a_value_that_cannot_work_stops_the_start(load, env, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        load(**production(**env))


def test_a_wildcard_host_needs_the_site_address_set(load):
    with pytest.raises(ImproperlyConfigured, match="SITE_URL"):
        load(SECRET_KEY="x" * 50, ALLOWED_HOSTS="*")
    assert load(SECRET_KEY="x" * 50, ALLOWED_HOSTS="*", SITE_URL="https://km.example.org")


def test_redis_replaces_the_database_queue_by_settings_alone(load):
    settings = load(**production(JOBS_BACKEND="rq", REDIS_URL="redis://127.0.0.1:6379/0"))
    assert settings["TASKS"]["default"]["BACKEND"] == "django_tasks_rq.RQBackend"
    assert "django_rq" in settings["INSTALLED_APPS"]
    assert settings["RQ_QUEUES"]["mail"] == {"URL": "redis://127.0.0.1:6379/0"}
