"""Waiting for another process to be ready, or to have done something, on a busy machine.

The test suite, `make deploy-check`, `make loadtest` and `make bench` start gunicorn,
PgBouncer, nginx, job workers, an SMTP server and Chromium, then wait for them: for a
port that accepts, a 200 from /healthz, a row that appears, a line in a log. Each wait
polls a check until it holds, and its timeout is the seconds an idle machine would
comfortably need, multiplied by KMTRACKER_TEST_TIMEOUT_SCALE: the machines this runs on
have two cores, often shared with other work, where starting gunicorn can take ten
times as long as on an idle one. A wait that passes costs only what the process needed;
only a wait that fails takes its whole timeout, and then it says what it waited for,
for how long, and the end of what the processes wrote.
"""

import os
import subprocess
import time
from collections.abc import Callable, Iterable
from typing import TypeVar

SCALE_VARIABLE = "KMTRACKER_TEST_TIMEOUT_SCALE"
# Loaded two-core machines (CI with both cores busy, and other work beside it) pass at 3;
# set it higher for slower machines, or to 1 on an idle one to see slow starts sooner.
DEFAULT_SCALE = 3.0
# How much of a process's output a failure quotes: its last lines are the ones that say why.
TAIL_LINES = 40

T = TypeVar("T")


class WaitFailed(AssertionError):
    """What was awaited did not happen: in time, or before a process it depended on exited.

    An AssertionError, so that pytest reports it as a failure of the test with its message.
    """


def timeout_scale() -> float:
    """KMTRACKER_TEST_TIMEOUT_SCALE as a number (DEFAULT_SCALE when unset), read each time
    so that a test can change it; a value that is not a positive number fails loudly."""
    value = os.environ.get(SCALE_VARIABLE, "").strip()
    if not value:
        return DEFAULT_SCALE
    try:
        scale = float(value)
    except ValueError:
        raise ValueError(f"{SCALE_VARIABLE}={value!r} is not a number.") from None
    if not scale > 0:
        raise ValueError(f"{SCALE_VARIABLE}={value!r} must be more than 0.")
    return scale


def scaled(seconds: float) -> float:
    """`seconds` (enough on an idle machine) as the timeout for this machine."""
    return seconds * timeout_scale()


def tail(text: str, lines: int = TAIL_LINES) -> str:
    """The last `lines` lines of `text`, with a note of how many were left out."""
    kept = text.rstrip("\n").splitlines()
    if len(kept) <= lines:
        return "\n".join(kept)
    return f"[... {len(kept) - lines} earlier lines]\n" + "\n".join(kept[-lines:])


def wait_until(
    check: Callable[[], T],
    what: str,
    timeout: float = 10.0,
    *,
    processes: Iterable[subprocess.Popen] = (),
    output: Callable[[], str] | None = None,
    interval: float = 0.1,
    errors: tuple[type[BaseException], ...] = (OSError,),
) -> T:
    """Poll `check()` until it returns something true, and return that.

    `timeout` is in seconds on an idle machine, scaled by KMTRACKER_TEST_TIMEOUT_SCALE.
    A check that raises one of `errors` (by default OSError: a refused connection, a
    reset) counts as not yet. When one of `processes` exits, or the time is up, this
    raises WaitFailed naming `what`, the time waited and the tail of `output()`, which
    gives the captured output of the processes (their log files, stderr included).
    """
    limit = scaled(timeout)
    started = time.monotonic()
    watched = list(processes)
    last_error: BaseException | None = None
    while True:
        try:
            value = check()
        except errors as error:
            last_error = error
        else:
            if value:
                return value
        waited = time.monotonic() - started
        for process in watched:
            if process.poll() is not None:
                raise WaitFailed(
                    f"{_name(process)} exited with status {process.returncode} after "
                    f"{waited:.1f} s of waiting for {what}" + _details(last_error, output)
                )
        if waited >= limit:
            raise WaitFailed(
                f"waited {waited:.1f} s for {what}, in vain (timeout {timeout:g} s × "
                f"{SCALE_VARIABLE}={timeout_scale():g})" + _details(last_error, output)
            )
        time.sleep(min(interval, max(limit - waited, 0.01)))


def run_captured(
    command: list[str],
    what: str,
    timeout: float,
    *,
    env: dict[str, str] | None = None,
    cwd: str | os.PathLike[str] | None = None,
) -> "subprocess.CompletedProcess[str]":
    """Run `command` to its end, its output captured as text, within `timeout` seconds on
    an idle machine (scaled); past that, kill it and raise WaitFailed with `what` and the
    tail of what it had written."""
    limit = scaled(timeout)
    try:
        return subprocess.run(
            command, env=env, cwd=cwd, capture_output=True, text=True, timeout=limit
        )
    except subprocess.TimeoutExpired as expired:
        written = "".join(
            part.decode(errors="replace") if isinstance(part, bytes) else part
            for part in (expired.stdout, expired.stderr)
            if part
        )
        raise WaitFailed(
            f"waited {limit:g} s for {what} to finish, in vain (timeout {timeout:g} s × "
            f"{SCALE_VARIABLE}={timeout_scale():g}); it was stopped"
            + _details(None, lambda: written)
        ) from None


def _name(process: subprocess.Popen) -> str:
    args = process.args
    if isinstance(args, bytes):
        command = args.decode(errors="replace")
    elif isinstance(args, str | os.PathLike):
        command = os.fsdecode(args)
    else:
        command = " ".join(os.fsdecode(arg) for arg in args)
    short = command if len(command) <= 120 else command[:117] + "..."
    return f"the process {process.pid} ({short})"


def _details(last_error: BaseException | None, output: Callable[[], str] | None) -> str:
    text = ""
    if last_error is not None:
        text += f"\nlast check raised {type(last_error).__name__}: {last_error}"
    if output is not None:
        try:
            captured = output()
        except OSError as error:
            captured = f"(its output could not be read: {error})"
        text += "\n--- output, last lines ---\n" + (tail(captured) or "(nothing written)")
    return text
