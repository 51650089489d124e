"""Settings for KM Tracker, read from environment variables only.

Defaults are safe for production (DEBUG off, secret key and hosts required,
HTTPS only); `make run` and the test suite set development values explicitly.
docs/deployment.md lists every variable.
"""

from pathlib import Path

import dj_database_url

from kmtracker.env import env_bool, env_choice, env_int, env_list, env_str
from kmtracker.log import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", required=not DEBUG) or "insecure-development-key-only"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("Set ALLOWED_HOSTS (comma-separated) when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Contacts are shown to evaluators as keyed-hash pseudonyms; the key must stay
# secret and stable, or every pseudonym in earlier exports changes.
PSEUDONYM_KEY = env_str("PSEUDONYM_KEY", SECRET_KEY)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "kmtracker",
    "activities",
    "evaluations",
]

MIDDLEWARE = [
    # First, so that every log line of a request, static files included, has its id.
    "kmtracker.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a signed-in user unless its view says otherwise.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "kmtracker.urls"
WSGI_APPLICATION = "kmtracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kmtracker.context_processors.team_access",
            ],
        },
    },
]

# SQLite is the embedded default so that `make run` works on a bare machine;
# production and CI set DATABASE_URL to PostgreSQL. Connections are kept for
# CONN_MAX_AGE seconds and checked before reuse. Behind PgBouncer in transaction
# mode set DISABLE_SERVER_SIDE_CURSORS=1 (a named cursor cannot outlive its
# transaction there) and CONN_MAX_AGE=0 (see docs/deployment.md).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
        disable_server_side_cursors=env_bool("DISABLE_SERVER_SIDE_CURSORS", False),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Fail fast (and /healthz answer 503) when the server is unreachable, rather than
    # hang until gunicorn kills the worker. `?connect_timeout=` in DATABASE_URL wins.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env_int("DB_CONNECT_TIMEOUT", 5)
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Web processes keep no state of their own: sessions live in the database, or in
# Redis with the cache when REDIS_URL is set, so any process can serve any request.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "kmtracker"),
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    # Per process; nothing relies on the cache being shared without REDIS_URL.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where `collectstatic` writes (a build output, not state: every web machine makes its own).
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
_NPM = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", _NPM / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", _NPM / "bootstrap-icons" / "font"),
    ("vendor/tom-select", _NPM / "tom-select" / "dist"),
    ("vendor/htmx", _NPM / "htmx.org" / "dist"),
    ("vendor/chart.js", _NPM / "chart.js" / "dist"),
]
# Hashed, compressed names need `collectstatic`; development and tests skip it and
# WhiteNoise then serves the files straight from their folders.
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", not DEBUG)
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = not STATIC_MANIFEST
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    # Served over HTTPS by a proxy (deploy/nginx.conf) that says so in X-Forwarded-Proto.
    # SECURE_COOKIES=0 turns all of this off, for a closed network without TLS or for tests.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    https_only = env_bool("SECURE_COOKIES", True)
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = https_only
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", https_only)
    # A load balancer may probe over plain HTTP; the health check must not redirect.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if https_only else 0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)

# `check --deploy` warnings that are decisions, not oversights (docs/deployment.md):
SILENCED_SYSTEM_CHECKS = [
    # W005: HSTS for every subdomain binds hosts this app does not serve (the apex domain
    # of a university or NHS body, when installed there); opt in with
    # SECURE_HSTS_INCLUDE_SUBDOMAINS=1.
    "security.W005",
    # W021: HSTS preload is a request to browser vendors to hard-code the domain, an
    # organisation's decision that is slow to undo; opt in with SECURE_HSTS_PRELOAD=1.
    "security.W021",
]

# One JSON object a line on stdout (LOG_FORMAT=text for development), each with
# the id of its request (kmtracker/log.py); gunicorn.conf.py uses the same.
LOGGING = logging_config(
    level=env_choice("LOG_LEVEL", "INFO", ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]),
    fmt=env_choice("LOG_FORMAT", "text" if DEBUG else "json", ["json", "text"]),
)
