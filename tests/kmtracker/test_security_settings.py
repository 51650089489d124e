"""Production settings: secure, HTTP-only cookies, sessions that end, Argon2, throttled sign-in.

As in test_settings_from_env.py, each test evaluates kmtracker/settings.py afresh
with the environment of a production process.
"""

from django.contrib.auth.hashers import get_hasher, make_password

from tests.kmtracker.test_settings_from_env import load, production  # noqa: F401 (fixture)


def test_cookies_are_secure_and_http_only(load):  # noqa: F811
    settings = load(**production())

    assert settings["SESSION_COOKIE_SECURE"] is settings["CSRF_COOKIE_SECURE"] is True
    assert settings["SESSION_COOKIE_HTTPONLY"] is settings["CSRF_COOKIE_HTTPONLY"] is True


def test_sessions_end_after_a_working_day_or_with_the_browser(load):  # noqa: F811
    settings = load(**production())

    assert settings["SESSION_COOKIE_AGE"] == 8 * 60 * 60
    assert settings["SESSION_EXPIRE_AT_BROWSER_CLOSE"] is True


def test_passwords_are_hashed_with_argon2(load, settings):  # noqa: F811
    production_settings = load(**production())
    settings.PASSWORD_HASHERS = production_settings["PASSWORD_HASHERS"]

    assert get_hasher().algorithm == "argon2"
    assert make_password("correct horse battery staple").startswith("argon2$argon2id$")


def test_sign_in_goes_through_the_throttle_first(load):  # noqa: F811
    settings = load(**production())

    assert settings["AUTHENTICATION_BACKENDS"][0] == "axes.backends.AxesStandaloneBackend"
    assert settings["MIDDLEWARE"][-1] == "axes.middleware.AxesMiddleware"
    assert "axes" in settings["INSTALLED_APPS"]
    assert settings["AXES_LOCKOUT_PARAMETERS"] == [["username", "ip_address"]]
    assert settings["AXES_FAILURE_LIMIT"] == 5
    assert settings["AXES_COOLOFF_TIME"].total_seconds() == 15 * 60
    assert settings["TRUSTED_PROXIES"] == []


def test_the_content_security_policy_is_sent_from_every_response(load):  # noqa: F811
    settings = load(**production())
    middleware = settings["MIDDLEWARE"]

    assert "csp.middleware.CSPMiddleware" in middleware
    # Before WhiteNoise, which answers static files without calling what comes after it.
    assert middleware.index("csp.middleware.CSPMiddleware") < middleware.index(
        "whitenoise.middleware.WhiteNoiseMiddleware"
    )
