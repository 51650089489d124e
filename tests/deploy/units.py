"""systemd's own check of a unit of deploy/, pointed at this checkout."""

import grp
import os
import pwd
import shutil
import subprocess

import pytest

from kmtracker.lib.waiting import scaled
from tests.deploy.servers import ROOT

INSTALL_DIR = "/srv/kmtracker"

needs_systemd = pytest.mark.skipif(
    shutil.which("systemd-analyze") is None, reason="systemd-analyze is missing"
)


def verify_unit(path, env_file_in_unit, tmp_path):
    """Run `systemd-analyze verify` on the unit at `path` with this checkout for the install
    directory, this user for its user and an empty env file; return its stderr."""
    env_file = tmp_path / "kmtracker.env"
    env_file.touch()
    text = path.read_text()
    for old, new in [
        (env_file_in_unit, str(env_file)),
        (INSTALL_DIR, str(ROOT)),
        ("User=kmtracker", f"User={pwd.getpwuid(os.getuid()).pw_name}"),
        ("Group=kmtracker", f"Group={grp.getgrgid(os.getgid()).gr_name}"),
    ]:
        assert old in text
        text = text.replace(old, new)
    unit = tmp_path / path.name.replace("@.", "@1.")
    unit.write_text(text)
    result = subprocess.run(
        ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=scaled(20)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stderr
