"""A progress bar for the long parts of seeding."""

import sys
import time


class ProgressBar:
    """A plain-text progress bar on stderr: redrawn in place on a terminal, a line per
    tenth of the way otherwise (logs, CI)."""

    WIDTH = 30

    def __init__(self, label, total, stream=None):
        self.label, self.total = label, max(1, total)
        self.stream = stream or sys.stderr
        self.live = getattr(self.stream, "isatty", lambda: False)()
        self.done = 0
        self.shown = -1
        self.started = time.monotonic()

    def advance(self, count):
        self.done = min(self.total, self.done + count)
        step = self.done * 100 // self.total if self.live else self.done * 10 // self.total * 10
        if step != self.shown:
            self.shown = step
            self._draw()

    def _draw(self):
        filled = self.WIDTH * self.done // self.total
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        seconds = time.monotonic() - self.started
        line = (
            f"{self.label} [{bar}] {self.done * 100 // self.total:3d}% "
            f"{self.done:,}/{self.total:,} {seconds:.1f}s"
        )
        end = "\n" if not self.live or self.done == self.total else ""
        self.stream.write(("\r" if self.live else "") + line + end)
        self.stream.flush()
