"""The one wait of the suite and the make targets that start processes: scaled for a busy
machine, and when it fails, it says what it waited for, how long, and what the process
wrote (kmtracker/lib/waiting.py)."""

import subprocess
import sys

import pytest

from kmtracker.lib.waiting import (
    SCALE_VARIABLE,
    WaitFailed,
    run_captured,
    scaled,
    tail,
    wait_until,
)


@pytest.fixture
def unscaled(monkeypatch):
    """Timeouts as written: the tests of a failed wait need not wait long."""
    monkeypatch.setenv(SCALE_VARIABLE, "1")


def test_the_scale_multiplies_every_timeout_and_a_bad_one_fails_loudly(monkeypatch):
    monkeypatch.setenv(SCALE_VARIABLE, "2.5")
    assert scaled(4) == 10
    monkeypatch.delenv(SCALE_VARIABLE)
    assert scaled(4) == 12  # unset: 3, what a loaded two-core machine needs
    for bad in ("fast", "0", "-1"):
        monkeypatch.setenv(SCALE_VARIABLE, bad)
        with pytest.raises(ValueError, match=SCALE_VARIABLE):
            scaled(1)


def test_it_returns_what_the_check_gave_once_it_holds(unscaled):
    answers = iter([None, ConnectionRefusedError("not yet"), 0, "ready"])

    def check():
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    assert wait_until(check, "the answer", timeout=5, interval=0) == "ready"


def test_an_error_it_was_not_told_to_expect_is_not_swallowed(unscaled):
    def check():
        raise KeyError("a bug in the check")

    with pytest.raises(KeyError):
        wait_until(check, "the answer", timeout=5)


def test_a_wait_in_vain_says_what_for_how_long_and_the_end_of_the_output(unscaled):
    output = "\n".join(f"line {number}" for number in range(1, 101))

    def refused():
        raise ConnectionRefusedError("connection refused")

    with pytest.raises(WaitFailed) as failure:
        wait_until(refused, "gunicorn to answer on port 8117", timeout=0.05, output=lambda: output)
    message = str(failure.value)
    assert message.startswith("waited 0.")
    assert "for gunicorn to answer on port 8117, in vain" in message
    assert f"(timeout 0.05 s × {SCALE_VARIABLE}=1)" in message
    assert "last check raised ConnectionRefusedError: connection refused" in message
    assert "line 100" in message and "line 61" in message  # the last 40 lines
    assert "line 60\n" not in message and "[... 60 earlier lines]" in message


def test_a_process_that_exits_ends_the_wait_at_once_with_its_status_and_output(unscaled, tmp_path):
    log_path = tmp_path / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-c", "import sys; print('no database'); sys.exit(3)"],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    # A timeout far beyond the test's patience: only the exit can end this wait in time.
    with pytest.raises(WaitFailed) as failure:
        wait_until(
            lambda: False,
            "the server to start",
            timeout=30,
            processes=[process],
            output=log_path.read_text,
        )
    message = str(failure.value)
    assert f"the process {process.pid} ({sys.executable} -c import sys;" in message
    assert "exited with status 3 after" in message
    assert "of waiting for the server to start" in message
    assert message.endswith("--- output, last lines ---\nno database")


def test_a_command_run_to_its_end_gives_its_output():
    result = run_captured([sys.executable, "-c", "print('done')"], "a quick command", 20)
    assert (result.returncode, result.stdout) == (0, "done\n")


def test_a_command_that_overruns_is_stopped_and_its_output_quoted():
    # Scaled as every timeout is (3 s when unset): time enough for Python to start and write.
    hangs = "import sys, time; print('loading the data'); sys.stdout.flush(); time.sleep(600)"
    with pytest.raises(WaitFailed) as failure:
        run_captured([sys.executable, "-c", hangs], "the import", 1)
    message = str(failure.value)
    assert "for the import to finish, in vain" in message and "it was stopped" in message
    assert message.endswith("--- output, last lines ---\nloading the data")


def test_the_tail_keeps_short_output_whole():
    assert tail("one\ntwo\n") == "one\ntwo"
    assert tail("") == ""
