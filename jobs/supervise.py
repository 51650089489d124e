"""Two processes as one command, for `make run`: the development server and a job worker.

Each child runs in a process group of its own, so that a Ctrl-C reaches the supervisor
alone, which passes it on to each child exactly once (a worker given two interrupts
would drop its job instead of finishing it) and waits for both. A worker that stops by
itself is reported and started again; one that keeps stopping, or a web server that
stops, ends the whole command with an error.
"""

import os
import signal
import subprocess
import sys
import time
from contextlib import suppress

RESTART_PAUSE = 3  # seconds before starting a stopped worker again
MOST_RESTARTS = 5  # within RESTART_WINDOW seconds; beyond that the worker is broken
RESTART_WINDOW = 60
STOP_TIMEOUT = 15  # seconds the children get to stop before they are killed


class Child:
    """One supervised command and its process."""

    def __init__(self, name, argv):
        self.name = name
        self.argv = argv
        self.process = None

    def start(self):
        self.process = subprocess.Popen(self.argv, process_group=0)
        return self.process.pid

    def exited(self):
        return self.process is not None and self.process.poll() is not None

    def signal(self, signum):
        if self.process is not None and self.process.poll() is None:
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signum)


class Supervisor:
    def __init__(self, web_argv, worker_argv, say=None):
        self.web = Child("web server", web_argv)
        self.worker = Child("job worker", worker_argv)
        self.say = say or (lambda line: print(line, file=sys.stderr, flush=True))
        self.stopping = False
        self.restarts = []

    def run(self):
        """Run until interrupted or a child fails; returns the exit status."""
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, self.on_signal)
        self.say(f"Job worker started (pid {self.worker.start()}).")
        self.web.start()
        try:
            return self.watch()
        finally:
            self.stop_children()

    def on_signal(self, signum, frame):
        self.stopping = True

    def watch(self):
        while not self.stopping:
            if self.web.exited():
                self.say(f"The web server stopped (exit status {self.web.process.returncode}).")
                return self.web.process.returncode or 1
            if self.worker.exited() and not self.restart_worker():
                return 1
            time.sleep(0.2)
        return 0

    def restart_worker(self):
        """Report the worker's end and start it again; False once it keeps stopping."""
        status = self.worker.process.returncode
        now = time.monotonic()
        self.restarts = [moment for moment in self.restarts if now - moment < RESTART_WINDOW]
        if len(self.restarts) >= MOST_RESTARTS:
            self.say(
                f"The job worker stopped {len(self.restarts) + 1} times in a minute (last exit "
                f"status {status}); stopping everything. Its output above says why."
            )
            return False
        self.restarts.append(now)
        self.say(
            f"The job worker stopped (exit status {status}); jobs wait in the queue. "
            f"Starting it again in {RESTART_PAUSE} s."
        )
        deadline = time.monotonic() + RESTART_PAUSE
        while time.monotonic() < deadline and not self.stopping:
            time.sleep(0.1)
        if not self.stopping:
            self.say(f"Job worker started again (pid {self.worker.start()}).")
        return True

    def stop_children(self):
        children = (self.web, self.worker)
        for child in children:
            child.signal(signal.SIGINT)
        deadline = time.monotonic() + STOP_TIMEOUT
        for child in children:
            if child.process is None:
                continue
            try:
                child.process.wait(max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                self.say(f"The {child.name} did not stop within {STOP_TIMEOUT} s: killed.")
                child.signal(signal.SIGKILL)
                child.process.wait()
