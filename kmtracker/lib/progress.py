"""Progress of a long command run, for its standard error."""


class Progress:
    """Reports "label: done/total" about every tenth of the way, for long command runs."""

    def __init__(self, out, label, total, steps=10):
        self.out, self.label, self.total = out, label, total
        self.step = max(1, total // steps) if total else 1
        self.done = 0

    def advance(self, count=1):
        before = self.done // self.step
        self.done += count
        if self.done // self.step > before or self.done == self.total:
            self.out.write(f"{self.label}: {self.done:,}/{self.total:,}")

    def wrap(self, rows):
        """Yield `rows`, advancing once per row."""
        for row in rows:
            yield row
            self.advance()
