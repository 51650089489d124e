"""Timing the bench's operations: medians of interleaved runs, queries counted, peak memory."""

import resource
import statistics
import time


def timed(fn):
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def medians(repeat, warm=True, **operations):
    """Run each operation once to warm caches (unless `warm` is off), then `repeat`
    times, interleaved; {name: (median seconds, last value)}."""
    for fn in operations.values() if warm else ():
        fn()
    times = {name: [] for name in operations}
    values = {}
    for _ in range(repeat):
        for name, fn in operations.items():
            seconds, values[name] = timed(fn)
            times[name].append(seconds)
    return {name: (statistics.median(times[name]), values[name]) for name in operations}


def queries_of(fn):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        value = fn()
    return len(captured.captured_queries), value


class PeakMemory:
    """The most this process's resident memory grew above its size on entry, sampled
    every 5 ms (psutil) while the block runs; `peak_rss_mb` is the process's own peak."""

    def __enter__(self):
        import threading

        import psutil

        self.process = psutil.Process()
        self.before = self.process.memory_info().rss
        self.highest = self.before
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()
        return self

    def _sample(self):
        while not self.done.wait(0.005):
            self.highest = max(self.highest, self.process.memory_info().rss)

    def __exit__(self, *exc):
        self.done.set()
        self.thread.join()
        self.highest = max(self.highest, self.process.memory_info().rss)
        self.growth_mb = (self.highest - self.before) / 2**20
        self.peak_rss_mb = peak_rss_mb()
        return False


def peak_rss_mb():
    """This process's own peak resident memory. Linux's `ru_maxrss` carries over the peak
    of the process that forked it (the bench itself, after seeding) across exec;
    VmHWM, the peak of this process's memory, does not."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
