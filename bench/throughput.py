"""Throughput: gunicorn with two workers under locust, the activity list beside /healthz."""

import csv
import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.environment import ROOT
from kmtracker.lib.waiting import scaled, wait_until


def free_port(port=0):
    """`port` if nothing listens on it (any free port for 0): a server already there would
    answer in gunicorn's place and be measured instead. Connections of an earlier run
    still closing (TIME_WAIT) do not count: gunicorn binds past them, as this does."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError as error:
            raise RuntimeError(f"port {port} is in use: {error}") from error
        return sock.getsockname()[1]


def throughput_figures(setting, args):
    """gunicorn with two workers, locust against the list and /healthz."""
    from django.conf import settings

    port = free_port(args.port)
    env = {**os.environ, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2"}
    log = tempfile.NamedTemporaryFile(prefix="bench-gunicorn-", suffix=".log")  # noqa: SIM115
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_healthy(port, server, log.name)
        cookie = f"{settings.SESSION_COOKIE_NAME}={setting.client.cookies[settings.SESSION_COOKIE_NAME].value}"  # noqa: E501
        pages = {"activity_list": (setting.list_url, cookie), "healthz": ("/healthz", "")}
        figures = {name: load(port, path, cookie, args) for name, (path, cookie) in pages.items()}
    finally:
        server.terminate()
        server.wait(timeout=scaled(10))
        log.close()
    figures["ratio_to_healthz"] = (
        figures["activity_list"]["requests_per_second"] / figures["healthz"]["requests_per_second"]
    )
    figures["setup"] = (
        f"gunicorn, 2 sync workers; locust, {args.users} users without think time, "
        f"{args.seconds}s per page, on 127.0.0.1:{port}"
    )
    return figures


def wait_healthy(port, server, log_path):
    """Until gunicorn's /healthz answers 200; failing with the end of its log, or at once
    when it exits."""
    import urllib.request

    url = f"http://127.0.0.1:{port}/healthz"

    def healthy():
        with urllib.request.urlopen(url, timeout=scaled(2)) as response:
            return response.status == 200

    wait_until(
        healthy,
        f"gunicorn to answer 200 on {url}",
        20,
        processes=[server],
        output=lambda: Path(log_path).read_text(errors="replace"),
        interval=0.3,
    )


def load(port, path, cookie, args):
    with tempfile.TemporaryDirectory() as folder:
        prefix = Path(folder) / "load"
        subprocess.run(
            [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"),
             "--headless", "--users", str(args.users), "--spawn-rate", str(args.users),
             "--run-time", f"{args.seconds}s", "--host", f"http://127.0.0.1:{port}",
             "--csv", str(prefix), "--only-summary", "--loglevel", "ERROR"],
            cwd=ROOT,
            env={**os.environ, "BENCH_PATH": path, "BENCH_COOKIE": cookie},
            capture_output=True,
            check=False,
            timeout=args.seconds + 120,
        )  # fmt: skip
        with open(f"{prefix}_stats.csv", newline="") as stats:
            row = next(r for r in csv.DictReader(stats) if r["Name"] == "Aggregated")
    return {
        "requests": int(row["Request Count"]),
        "failures": int(row["Failure Count"]),
        "requests_per_second": float(row["Requests/s"]),
        "p50_ms": float(row["50%"]),
        "p99_ms": float(row["99%"]),
    }
