"""The deployment guide, the systemd unit and the nginx site agree with the code.

These read files only and run everywhere; `nginx -t` runs when nginx is installed
(.ci/run installs it). test_nginx_proxy.py serves the app through the site for real.
"""

import gc
import re
import runpy
import shlex
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands
from django.urls import reverse

from kmtracker.lib.waiting import scaled
from kmtracker.middleware import HEADER
from tests.deploy.servers import NGINX, ROOT, Nginx, settings_variables
from tests.deploy.units import INSTALL_DIR, needs_systemd, verify_unit

GUIDE = ROOT / "docs" / "deployment.md"
UNIT = ROOT / "deploy" / "kmtracker.service"
SITE = ROOT / "deploy" / "nginx.conf"
# Where deploy/kmtracker.service expects the checkout; the guide installs it there.
needs_nginx = pytest.mark.skipif(
    NGINX is None, reason="nginx is not installed (.ci/run installs it)"
)


def unit_settings():
    values = {}
    for line in UNIT.read_text().splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, value = line.split("=", 1)
            values[key.strip()] = value.strip()
    return values


def in_checkout(path):
    """A path of the installed unit (under INSTALL_DIR) as a path of this checkout."""
    assert path.startswith(INSTALL_DIR + "/"), path
    return ROOT / path.removeprefix(INSTALL_DIR + "/")


def variables_documented():
    return set(re.findall(r"^\| `([A-Z0-9_]+)` \|", GUIDE.read_text(), re.MULTILINE))


def gunicorn_config(monkeypatch):
    for name in settings_variables():
        monkeypatch.delenv(name, raising=False)
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_the_guide_documents_every_variable_the_settings_read_and_no_other():
    assert settings_variables() - variables_documented() == set(), "missing from the guide"
    assert variables_documented() - settings_variables() == set(), "documented but never read"


def test_every_manage_py_command_the_guide_and_files_name_exists():
    text = GUIDE.read_text() + UNIT.read_text()
    named = set(re.findall(r"manage\.py (\w+)", text))
    assert {"migrate", "collectstatic", "check", "createsuperuser"} <= named
    # django-rq's worker exists with JOBS_BACKEND=rq only; tests/jobs/test_rq_backend.py
    # runs the guide's command.
    assert named - set(get_commands()) - {"rqworker"} == set()


def test_the_make_targets_the_guide_names_exist():
    makefile = (ROOT / "Makefile").read_text()
    for target in set(re.findall(r"`make ([a-z-]+)`", GUIDE.read_text())):
        assert re.search(rf"^{target}:", makefile, re.MULTILINE), target


def test_the_systemd_unit_starts_gunicorn_with_the_repositorys_config():
    unit = unit_settings()
    command = shlex.split(unit["ExecStart"])
    assert Path(command[0]).name == "gunicorn"
    assert in_checkout(command[0]).relative_to(ROOT).parts[:2] == (".venv", "bin")
    config = in_checkout(command[command.index("-c") + 1])
    assert config == ROOT / "gunicorn.conf.py" and config.exists()
    assert unit["WorkingDirectory"] == INSTALL_DIR
    assert unit["Type"] == "notify"  # gunicorn tells systemd when it is ready
    assert unit["ExecReload"] == "/bin/kill -s HUP $MAINPID"  # graceful reload
    assert unit["ProtectSystem"] == "strict"  # nothing written to the local disk
    # The guide installs the checkout, the environment file and the unit where it says.
    guide = GUIDE.read_text()
    assert unit["EnvironmentFile"] in guide
    assert f"git clone <repository> {INSTALL_DIR}" in guide
    assert "cp deploy/kmtracker.service /etc/systemd/system/" in guide


def test_the_gunicorn_config_serves_the_app_on_loopback(monkeypatch):
    config = gunicorn_config(monkeypatch)
    assert config["wsgi_app"] == "kmtracker.wsgi:application"
    assert config["bind"] == ["127.0.0.1:8000"]
    assert config["accesslog"] == "-"
    assert config["control_socket_disable"] is True
    assert config["logconfig_dict"]["formatters"]["default"]["()"].__name__ == "JsonFormatter"


def test_each_worker_hides_what_it_loaded_from_the_garbage_collector(monkeypatch):
    config = gunicorn_config(monkeypatch)
    gc.unfreeze()
    try:
        config["post_worker_init"](worker=None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_the_nginx_site_passes_what_the_app_expects(monkeypatch):
    site = SITE.read_text()
    # The upstream is gunicorn's default address.
    (upstream,) = re.findall(r"^\s*server (\S+);", site, re.MULTILINE)
    assert [upstream] == gunicorn_config(monkeypatch)["bind"]
    # The scheme, in the header SECURE_PROXY_SSL_HEADER reads (set when DEBUG is off).
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in site
    assert (
        'SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")'
        in (ROOT / "kmtracker" / "settings.py").read_text()
    )
    assert "proxy_set_header Host $host;" in site
    assert f"proxy_set_header {HEADER} $request_id;" in site
    # The health check is reachable over plain HTTP, where everything else is redirected.
    assert f"location = {reverse('healthz')} {{" in site
    assert "return 301 https://$host$request_uri;" in site
    # Static files are left to WhiteNoise under the app's STATIC_URL: no alias to a folder.
    assert "alias" not in site and "root " not in site
    assert settings.STATIC_URL.strip("/") == "static"


@needs_nginx
def test_nginx_accepts_the_site(tmp_path):
    nginx = Nginx(tmp_path / "nginx", upstream_port=8000)
    nginx.write_config()
    result = subprocess.run(
        nginx.command("-e", "stderr", "-t"), capture_output=True, text=True, timeout=scaled(20)
    )
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


@needs_systemd
def test_systemd_accepts_the_unit(tmp_path):
    complaints = verify_unit(UNIT, unit_settings()["EnvironmentFile"], tmp_path)
    assert "kmtracker.service" not in complaints  # no complaint about the unit itself
