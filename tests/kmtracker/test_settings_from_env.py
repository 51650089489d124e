"""Settings come from the environment, with defaults that are safe in production.

Each test evaluates kmtracker/settings.py afresh with an environment of its own
(the running Django keeps the test settings), except the `check --deploy` test,
which runs manage.py in a process with the production environment.
"""

import runpy
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from kmtracker.lib.waiting import scaled
from tests.deploy.servers import settings_variables

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ROOT / "kmtracker" / "settings.py"
STRONG_KEY = secrets.token_urlsafe(50)


@pytest.fixture
def load(monkeypatch):
    """`load(**env)`: the settings module's names, evaluated with only `env` set."""

    def evaluate(**env):
        for name in settings_variables():
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(SETTINGS))

    return evaluate


def production(**extra):
    return {"SECRET_KEY": STRONG_KEY, "ALLOWED_HOSTS": "km.example.org", **extra}


def test_production_defaults_are_safe(load):
    settings = load(**production())
    assert settings["DEBUG"] is False
    assert settings["ALLOWED_HOSTS"] == ["km.example.org"]
    assert settings["SECURE_SSL_REDIRECT"] is True
    assert settings["SESSION_COOKIE_SECURE"] is settings["CSRF_COOKIE_SECURE"] is True
    assert settings["SECURE_HSTS_SECONDS"] == 31_536_000
    assert settings["SECURE_REDIRECT_EXEMPT"] == [r"^healthz$"]
    assert settings["STORAGES"]["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    assert settings["MIDDLEWARE"][0] == "kmtracker.middleware.RequestIdMiddleware"
    assert settings["LOGGING"]["formatters"]["default"]["()"].__name__ == "JsonFormatter"


def test_without_redis_sessions_are_in_the_database(load):
    settings = load(**production())
    assert settings["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
    assert settings["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")


def test_with_redis_url_sessions_and_the_cache_are_in_redis(load):
    settings = load(**production(REDIS_URL="redis://cache.internal:6379/2"))
    assert settings["SESSION_ENGINE"] == "django.contrib.sessions.backends.cache"
    assert settings["CACHES"]["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.internal:6379/2",
        "KEY_PREFIX": "kmtracker",
    }


def test_database_connections_are_persistent_and_health_checked(load):
    settings = load(**production(DATABASE_URL="postgres://km:pw@db.internal:5432/km"))
    database = settings["DATABASES"]["default"]
    assert database["CONN_MAX_AGE"] == 60
    assert database["CONN_HEALTH_CHECKS"] is True
    assert database["DISABLE_SERVER_SIDE_CURSORS"] is False
    assert database["OPTIONS"]["connect_timeout"] == 5


def test_pgbouncer_in_transaction_mode_is_two_variables_away(load):
    settings = load(
        **production(
            DATABASE_URL="postgres://km:pw@127.0.0.1:6432/km?connect_timeout=2",
            DISABLE_SERVER_SIDE_CURSORS="1",
            CONN_MAX_AGE="0",
        )
    )
    database = settings["DATABASES"]["default"]
    assert database["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert database["CONN_MAX_AGE"] == 0
    assert database["OPTIONS"]["connect_timeout"] == 2  # the URL's own wins


def test_a_closed_network_without_tls_turns_the_https_settings_off_together(load):
    settings = load(**production(SECURE_COOKIES="0"))
    assert settings["SECURE_SSL_REDIRECT"] is False
    assert settings["SESSION_COOKIE_SECURE"] is False
    assert settings["SECURE_HSTS_SECONDS"] == 0


@pytest.mark.parametrize(
    "env, message",
    [
        ({"ALLOWED_HOSTS": "km.example.org"}, "SECRET_KEY"),
        ({"SECRET_KEY": STRONG_KEY}, "ALLOWED_HOSTS"),
        (production(LOG_FORMAT="xml"), "LOG_FORMAT"),
        (production(CONN_MAX_AGE="forever"), "CONN_MAX_AGE"),
        (production(DISABLE_SERVER_SIDE_CURSORS="maybe"), "DISABLE_SERVER_SIDE_CURSORS"),
        # A count of proxies believed whoever reached gunicorn directly.
        (production(TRUSTED_PROXY_COUNT="1"), "Set TRUSTED_PROXIES to your proxies"),
        (production(TRUSTED_PROXIES="127.0.0.1,nginx"), "'nginx' is not an IP address"),
    ],
)
def test_it_refuses_to_start_without_what_production_needs(load, env, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        load(**env)


def test_trusted_proxies_are_addresses_or_networks_and_none_by_default(load):
    assert load(**production())["TRUSTED_PROXIES"] == []
    assert load(**production(TRUSTED_PROXIES="127.0.0.1, 10.0.0.0/24"))["TRUSTED_PROXIES"] == [
        "127.0.0.1",
        "10.0.0.0/24",
    ]
    assert load(**production(TRUSTED_PROXY_COUNT="0"))["TRUSTED_PROXIES"] == []


def test_check_deploy_passes_on_the_production_configuration(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "SECRET_KEY": STRONG_KEY,
        "ALLOWED_HOSTS": "km.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=scaled(40),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (2 silenced)" in result.stdout
