"""The job workers' systemd unit agrees with the code and the guide, and systemd accepts it."""

import shlex

from django.core.management import get_commands

from tests.deploy.servers import ROOT
from tests.deploy.units import INSTALL_DIR, needs_systemd, verify_unit

GUIDE = ROOT / "docs" / "deployment.md"
UNIT = ROOT / "deploy" / "kmtracker-worker@.service"
WEB_UNIT = ROOT / "deploy" / "kmtracker.service"


def settings_of(path):
    return dict(
        line.split("=", 1)
        for line in path.read_text().splitlines()
        if "=" in line and not line.startswith(("#", "["))
    )


def test_the_unit_runs_a_worker_from_the_checkout_with_the_web_processes_environment():
    unit, web = settings_of(UNIT), settings_of(WEB_UNIT)
    command = shlex.split(unit["ExecStart"])
    assert command[0] == f"{INSTALL_DIR}/.venv/bin/python"
    assert command[1] == f"{INSTALL_DIR}/manage.py" and (ROOT / "manage.py").exists()
    assert command[2] in get_commands() and command[2] == "jobs_worker"
    for same in ("EnvironmentFile", "WorkingDirectory", "User", "ProtectSystem"):
        assert unit[same] == web[same], same
    assert unit["Restart"] == "always"
    # Longer than a worker's graceful stop (it finishes the job in hand).
    assert int(unit["TimeoutStopSec"]) >= 60


def test_the_guide_installs_the_unit():
    guide = GUIDE.read_text()
    assert "cp deploy/kmtracker-worker@.service /etc/systemd/system/" in guide
    assert "systemctl enable --now kmtracker-worker@1" in guide
    # That the commands it names exist: tests/deploy/test_deploy_files.py.


@needs_systemd
def test_systemd_accepts_the_unit(tmp_path):
    complaints = verify_unit(UNIT, "/etc/kmtracker/kmtracker.env", tmp_path)
    assert "kmtracker-worker" not in complaints
