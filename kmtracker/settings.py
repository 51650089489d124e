"""Settings for KM Tracker, read from environment variables only.

Defaults are safe for production (DEBUG off, secret key and hosts required,
HTTPS only); `make run` and the test suite set development values explicitly.
docs/deployment.md lists every variable.
"""

import datetime
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from kmtracker.lib.env import env_bool, env_choice, env_int, env_list, env_str, ip_networks
from kmtracker.lib.log import logging_config

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
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "kmtracker",
    "teams",
    "activities",
    "members",
    "evaluations",
    "audit",
    "api",
    "demo",
]

MIDDLEWARE = [
    # First, so that every log line of a request, static files included, has its id.
    "kmtracker.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so that static files carry the policy too.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a signed-in user unless its view says otherwise.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Nothing a signed-in user is sent is kept by a cache (kmtracker/middleware.py).
    "kmtracker.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Records downloads and views of evaluation sources (audit/middleware.py).
    "audit.middleware.AccessLogMiddleware",
    # Last, as django-axes requires: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
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
# Argon2 first: new and changed passwords are hashed with it; older PBKDF2 hashes
# still verify and are upgraded at the user's next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# django-axes first, so that a locked-out sign-in is refused before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# A password reset link works once, for an hour (and not after its owner signs in);
# a person whose mail came late asks again (kmtracker/accounts.py).
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT_MINUTES", 60) * 60

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
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No script reads a cookie: forms carry the CSRF token in a hidden field.
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = True
# A session on a shared ward or office computer ends with the working day or the browser.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Content-Security-Policy (django-csp): every script and style sheet is a static file
# of this site, so no inline script, no eval and no inline style is allowed, and no
# site may frame the pages. `json_script` data blocks are not scripts and need nothing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Bootstrap's icons and form controls are SVG data URLs in its style sheet.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Sign-in throttling (django-axes). Failures are counted per username *and* address,
# so that a hospital's shared address cannot lock out everyone behind it, nor one
# person's typos lock out their colleagues. After AXES_FAILURE_LIMIT failures that
# pair waits AXES_COOLOFF_MINUTES; each failure during the wait starts it again.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Its start-up banner would land in the output of every management command (logs go
# to stdout); lockouts are still logged as warnings.
AXES_VERBOSE = False
# The client's address is REMOTE_ADDR, or, for a request that came through one of the
# TRUSTED_PROXIES (addresses or networks), the address the outermost of them saw: what a
# client writes in X-Forwarded-For itself, or sends straight to gunicorn, is never
# believed (kmtracker/security.py).
if env_int("TRUSTED_PROXY_COUNT", 0):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "TRUSTED_PROXY_COUNT is no longer read: a count trusts whoever reaches gunicorn "
        "directly. Set TRUSTED_PROXIES to your proxies' addresses instead (127.0.0.1 "
        "behind deploy/nginx.conf on the same machine, or the load balancer's address)."
    )
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
ip_networks("TRUSTED_PROXIES", TRUSTED_PROXIES)  # a start-up error for an entry that is not one
AXES_CLIENT_IP_CALLABLE = "kmtracker.security.client_ip"

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
# the id of its request (kmtracker/lib/log.py); gunicorn.conf.py uses the same.
LOGGING = logging_config(
    level=env_choice("LOG_LEVEL", "INFO", ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]),
    fmt=env_choice("LOG_FORMAT", "text" if DEBUG else "json", ["json", "text"]),
)
# django-axes writes several INFO lines on every sign-in; its failures and lockouts
# are warnings, and those are what an operator needs.
LOGGING["loggers"]["axes"] = {"level": "WARNING"}

# --- Background jobs and e-mail (jobs/, mail/) ----------------------------------------
# Jobs use Django's Tasks API (the django-tasks backport of Django 6's django.tasks) with
# its database backend: the queue is a table of this database, so a fresh machine needs
# no other service and a job enqueued inside a transaction exists if and only if that
# transaction commits. `manage.py jobs_worker` runs them (docs/deployment.md, "Workers").
from jobs.config import check_job_settings  # noqa: E402
from mail.config import check_mail_settings, default_from, default_site_url  # noqa: E402

INSTALLED_APPS += ["django_tasks", "django_tasks_db", "jobs", "mail"]
JOBS_BACKEND = env_choice("JOBS_BACKEND", "database", ["database", "rq"])
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            # Where an installation already runs Redis: run django-rq's worker with this
            # backend's job class (docs/deployment.md); periodic jobs need `jobs_scheduler`.
            "rq": "django_tasks_rq.RQBackend",
        }[JOBS_BACKEND],
        "QUEUES": ["default", "mail"],
    }
}
if JOBS_BACKEND == "rq":
    if not REDIS_URL:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("JOBS_BACKEND=rq needs REDIS_URL.")
    INSTALLED_APPS += ["django_rq"]
    RQ_QUEUES = {name: {"URL": REDIS_URL} for name in TASKS["default"]["QUEUES"]}
# A failed job is tried again after JOBS_RETRY_DELAY_SECONDS, then twice as long each
# time up to JOBS_RETRY_MAX_DELAY_SECONDS, until it has had JOBS_MAX_ATTEMPTS attempts.
JOBS_MAX_ATTEMPTS = env_int("JOBS_MAX_ATTEMPTS", 5)
JOBS_RETRY_DELAY_SECONDS = env_int("JOBS_RETRY_DELAY_SECONDS", 30)
JOBS_RETRY_MAX_DELAY_SECONDS = env_int("JOBS_RETRY_MAX_DELAY_SECONDS", 3600)
# Workers write a heartbeat every JOBS_HEARTBEAT_SECONDS; one silent for
# JOBS_WORKER_TIMEOUT_SECONDS is taken for dead and its job is queued again.
JOBS_HEARTBEAT_SECONDS = env_int("JOBS_HEARTBEAT_SECONDS", 5)
JOBS_WORKER_TIMEOUT_SECONDS = env_int("JOBS_WORKER_TIMEOUT_SECONDS", 60)
# Finished jobs' results are deleted after JOBS_KEEP_DAYS, sent messages after MAIL_KEEP_DAYS.
JOBS_KEEP_DAYS = env_int("JOBS_KEEP_DAYS", 14)
MAIL_KEEP_DAYS = env_int("MAIL_KEEP_DAYS", 14)
# A form's one-time token (teams.submissions) is remembered SUBMISSIONS_KEEP_DAYS.
SUBMISSIONS_KEEP_DAYS = env_int("SUBMISSIONS_KEEP_DAYS", 7)
# A change to a contact has the team's possible duplicates found again this many seconds
# later, so that a burst of edits or an import is checked once (activities.duplicate_checks).
DUPLICATES_CHECK_DELAY_SECONDS = env_int("DUPLICATES_CHECK_DELAY_SECONDS", 60)
check_job_settings(globals())
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A worker writes beside the web process: with write-ahead logging readers never wait
    # for a writer, and IMMEDIATE transactions wait for the lock instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        transaction_mode="IMMEDIATE",
        timeout=20,
    )

# E-mail leaves through a job (mail/send.py). With DEBUG it goes to the development outbox,
# a table that the web process shows at /dev/outbox/; otherwise to the SMTP server below.
MAIL_DELIVERY = env_choice("MAIL_DELIVERY", "outbox" if DEBUG else "smtp", ["smtp", "outbox"])
EMAIL_BACKEND = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "outbox": "mail.backends.OutboxBackend",
}[MAIL_DELIVERY]
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
# The address links in messages point at, e.g. https://km.example.org.
SITE_URL = env_str("SITE_URL") or default_site_url(DEBUG, ALLOWED_HOSTS)
DEFAULT_FROM_EMAIL = SERVER_EMAIL = env_str("EMAIL_FROM", default_from(SITE_URL))
check_mail_settings(globals())
# An invitation's link works for INVITATION_DAYS after it is sent (teams/invitations.py).
INVITATION_DAYS = env_int("INVITATION_DAYS", 7)

# The read API (api/): personal access tokens, read-only, documented in OpenAPI 3.
# A token works for API_TOKEN_MAX_DAYS at most; each token may make API_RATE requests.
API_TOKEN_MAX_DAYS = env_int("API_TOKEN_MAX_DAYS", 365)
API_RATE = env_str("API_RATE", "600/min")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.TokenAuthentication",
        "api.authentication.SessionReadAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.json_error",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "KM Tracker API",
    "DESCRIPTION": "Read a team's log, reports and evaluations: the rows of the CSV "
    "downloads, with the lists' filters, for BI tools, R and Python.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}
