"""Real processes for the deployment tests: gunicorn, PgBouncer, nginx, and an HTTP client.

Everything listens on 127.0.0.1 only, on a free port, and is stopped by the
fixture that started it, whatever the test did. Each wait is for a sign of readiness
(a 200 from /healthz, a port that accepts) and bounded by a timeout scaled for a busy
machine (kmtracker/lib/waiting.py); a wait that fails quotes the process's output.
"""

import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.parse
from contextlib import contextmanager, suppress
from http.cookies import SimpleCookie
from pathlib import Path

from kmtracker.lib.waiting import run_captured, scaled, wait_until

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
GUNICORN = BIN / "gunicorn"
PGBOUNCER = shutil.which("pgbouncer") or (
    "/usr/sbin/pgbouncer" if Path("/usr/sbin/pgbouncer").exists() else None
)
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
# One public name for every instance, as behind a load balancer: cookies, CSRF and
# ALLOWED_HOSTS all see the same host whichever process answers.
HOST = "kmtracker.test"
# Seconds on an idle machine, each scaled by KMTRACKER_TEST_TIMEOUT_SCALE where it is used.
# gunicorn imports Django and the app in each worker before /healthz answers: about two
# seconds on an idle machine, many times that while the rest of the suite runs beside it.
START_TIMEOUT = 20
STOP_TIMEOUT = 10
REQUEST_TIMEOUT = 10  # one request (the first after a start loads templates and the like)
OPENSSL_TIMEOUT = 20


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def settings_variables():
    """The environment variables kmtracker/settings.py and gunicorn.conf.py read."""
    reads = re.compile(r'env_(?:str|bool|int|list|choice)\(\s*"([A-Z0-9_]+)"')
    names = {"DATABASE_URL"}
    for path in (ROOT / "kmtracker" / "settings.py", ROOT / "gunicorn.conf.py"):
        names |= set(reads.findall(path.read_text()))
    return names


def production_env(database_url, static_root, **extra):
    """The environment of a production web process: DEBUG off, HTTPS, hashed static files."""
    # Nothing of the caller's configuration (the test suite's, a developer's) leaks in.
    env = {key: value for key, value in os.environ.items() if key not in settings_variables()}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        PSEUDONYM_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        SECURE_COOKIES="1",
        STATIC_MANIFEST="1",
        STATIC_ROOT=str(static_root),
        DATABASE_URL=database_url,
        LOG_FORMAT="json",
        LOG_LEVEL="INFO",
        WEB_CONCURRENCY="1",  # one worker a process keeps the tests light; two_instances has 2
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update({key: str(value) for key, value in extra.items()})
    return env


def manage(env, *args, timeout=60):
    """Run `manage.py` with `env`; returns its stdout, raising with its output on failure."""
    result = run_captured(
        [sys.executable, str(ROOT / "manage.py"), *args],
        f"manage.py {args[0]}",
        timeout,
        env=env,
        cwd=ROOT,
    )
    if result.returncode:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def signal_group(process, signum):
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signum)


def stop(process, signum=signal.SIGTERM):
    """Signal the process group, then SIGKILL it if it has not gone within STOP_TIMEOUT."""
    if process.poll() is not None:
        return
    signal_group(process, signum)
    try:
        process.wait(scaled(STOP_TIMEOUT))
    except subprocess.TimeoutExpired:
        signal_group(process, signal.SIGKILL)
        process.wait(scaled(STOP_TIMEOUT))


@contextmanager
def running(*servers):
    """Start `servers` together, wait until each answers, and stop them all on the way out."""
    try:
        for server in servers:
            server.spawn()
        for server in servers:
            server.wait_ready()
        yield servers
    finally:
        for server in servers:  # all at once: a graceful stop takes about a second each
            if server.process is not None and server.process.poll() is None:
                signal_group(server.process, server.stop_signal)
        for server in servers:
            server.stop()


def read_log(path):
    """The text of a process's log file so far ("" before it exists)."""
    path = Path(path)
    return path.read_text(errors="replace") if path.exists() else ""


def accepts(port):
    """True when something accepts connections on 127.0.0.1:`port`."""
    socket.create_connection(("127.0.0.1", port), timeout=scaled(1)).close()
    return True


class Gunicorn:
    """One gunicorn instance of the app, configured by gunicorn.conf.py and `env`.

    It runs in `workdir` (an empty folder) with `workdir` as its home too, so that a
    test can check it left nothing behind on the local disk.
    """

    stop_signal = signal.SIGTERM

    def __init__(self, env, workdir, name="web", ready_status=200):
        self.env = dict(env, HOME=str(workdir))
        self.workdir = Path(workdir)
        self.name = name
        self.port = free_port()
        self.log_path = self.workdir.parent / f"{name}-{self.port}.log"
        # What /healthz answers once the instance is up: 200, or 503 for a test of an
        # instance whose database is down on purpose.
        self.ready_status = ready_status
        self.process = None

    def spawn(self):
        self.workdir.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [str(GUNICORN), "-c", str(ROOT / "gunicorn.conf.py")]
                + ["--chdir", str(self.workdir), "--bind", f"127.0.0.1:{self.port}"],
                env=self.env,
                cwd=self.workdir,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_ready(self):
        def healthy():
            return Client(self.port).get("/healthz").status == self.ready_status

        wait_until(
            healthy,
            f"gunicorn {self.name!r} to answer {self.ready_status} on "
            f"http://127.0.0.1:{self.port}/healthz",
            START_TIMEOUT,
            processes=[self.process],
            output=self.log,
            errors=(OSError, http.client.HTTPException),
        )

    def stop(self):
        if self.process is not None:
            stop(self.process)

    def log(self):
        return read_log(self.log_path)

    def log_entries(self, until=None):
        """Every line of the output, parsed as JSON (a line that is not JSON fails the test).

        gunicorn writes a request's access line after the response has gone, so with
        `until` (a test of one entry) this waits, a few seconds at most, for such an entry.
        """
        deadline = time.monotonic() + scaled(5)
        while True:
            entries = []
            for line in self.log().splitlines():
                try:
                    entries.append(json.loads(line))
                except json.JSONDecodeError:
                    raise AssertionError(f"log line is not JSON: {line!r}") from None
            if until is None or any(map(until, entries)) or time.monotonic() > deadline:
                return entries
            time.sleep(0.05)


class PgBouncer:
    """Debian's pgbouncer in transaction mode on a free loopback port, in front of `server`."""

    stop_signal = signal.SIGINT  # "safe shutdown": no new clients, at once

    def __init__(self, workdir, server_host, server_port):
        self.workdir = Path(workdir)
        self.port = free_port()
        self.server = (server_host, server_port)
        self.process = None

    def spawn(self):
        self.workdir.mkdir(parents=True, exist_ok=True)
        (self.workdir / "users.txt").write_text('"postgres" ""\n')
        config = self.workdir / "pgbouncer.ini"
        config.write_text(
            "[databases]\n"
            f"* = host={self.server[0]} port={self.server[1]}\n"
            "[pgbouncer]\n"
            "listen_addr = 127.0.0.1\n"
            f"listen_port = {self.port}\n"
            "unix_socket_dir =\n"
            "auth_type = trust\n"
            f"auth_file = {self.workdir / 'users.txt'}\n"
            "pool_mode = transaction\n"
            "default_pool_size = 4\n"
            "max_client_conn = 100\n"
            "ignore_startup_parameters = extra_float_digits,options\n"
        )
        command = [PGBOUNCER, str(config)]
        if os.geteuid() == 0:  # pgbouncer refuses to run as root
            shutil.chown(self.workdir, "postgres")
            self.workdir.chmod(0o755)
            command += ["-u", "postgres"]
        self.log_path = self.workdir.parent / f"pgbouncer-{self.port}.log"
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def wait_ready(self):
        wait_until(
            lambda: accepts(self.port),
            f"pgbouncer to accept connections on 127.0.0.1:{self.port}",
            START_TIMEOUT,
            processes=[self.process],
            output=lambda: read_log(self.log_path),
        )

    def stop(self):
        if self.process is not None:
            stop(self.process, self.stop_signal)


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.text = body.decode("utf-8", errors="replace")

    def csrf_token(self):
        """The csrfmiddlewaretoken of the first form on the page."""
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.text)
        assert match, f"no CSRF token on the page (status {self.status})"
        return match.group(1)

    def json(self):
        return json.loads(self.text)


class Client:
    """A browser behind the HTTPS proxy: one cookie jar, any instance (`port`) per request.

    Every request says what nginx would add: the public Host and X-Forwarded-Proto.
    """

    def __init__(self, port=None, https=False):
        self.port = port
        self.https = https  # talk TLS to nginx itself, which adds the proxy headers
        self.cookies = {}

    def request(self, method, path, port=None, data=None, headers=None):
        proxy = {} if self.https else {"X-Forwarded-Proto": "https"}
        headers = {"Host": HOST, **proxy, **(headers or {})}
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://{HOST}"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.https:  # nginx's certificate is the test's own, self-signed
            connection = http.client.HTTPSConnection(
                "127.0.0.1",
                port or self.port,
                timeout=scaled(REQUEST_TIMEOUT),
                context=ssl._create_unverified_context(),
            )
        else:
            connection = http.client.HTTPConnection(
                "127.0.0.1", port or self.port, timeout=scaled(REQUEST_TIMEOUT)
            )
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            result = Response(response.status, response.headers, response.read())
        finally:
            connection.close()
        for header in result.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return result

    def get(self, path, port=None, **kwargs):
        return self.request("GET", path, port=port, **kwargs)

    def post(self, path, data, port=None, **kwargs):
        return self.request("POST", path, port=port, data=data, **kwargs)

    def log_in(self, port, username, password):
        form = self.get("/accounts/login/", port=port)
        response = self.post(
            "/accounts/login/",
            {"username": username, "password": password, "csrfmiddlewaretoken": form.csrf_token()},
            port=port,
        )
        assert response.status == 302, f"login failed ({response.status}):\n{response.text}"
        assert "sessionid" in self.cookies
        return response


class Nginx:
    """Debian's nginx running deploy/nginx.conf, moved to free loopback ports.

    The site is used as written except for what only a real installation has:
    its listening ports, its host name, its certificate, and gunicorn's port.
    """

    stop_signal = signal.SIGTERM

    def __init__(self, workdir, upstream_port):
        self.workdir = Path(workdir)
        self.http_port, self.https_port = free_port(), free_port()
        self.upstream_port = upstream_port
        self.process = None

    def site(self):
        """deploy/nginx.conf with this machine's ports, host and certificate."""
        text = (ROOT / "deploy" / "nginx.conf").read_text()
        replacements = [
            ("listen 80;", f"listen 127.0.0.1:{self.http_port};"),
            ("listen [::]:80;", ""),
            ("listen 443 ssl http2;", f"listen 127.0.0.1:{self.https_port} ssl http2;"),
            ("listen [::]:443 ssl http2;", ""),
            ("server 127.0.0.1:8000;", f"server 127.0.0.1:{self.upstream_port};"),
            ("server_name km.example.org;", f"server_name {HOST};"),
            ("/etc/ssl/certs/km.example.org.pem", str(self.workdir / "cert.pem")),
            ("/etc/ssl/private/km.example.org.key", str(self.workdir / "key.pem")),
        ]
        for old, new in replacements:
            assert old in text, f"deploy/nginx.conf no longer has {old!r}: update this test"
            text = text.replace(old, new)
        return text

    def write_config(self):
        self.workdir.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
            + ["-subj", f"/CN={HOST}", "-keyout", str(self.workdir / "key.pem")]
            + ["-out", str(self.workdir / "cert.pem")],
            check=True,
            capture_output=True,
            timeout=scaled(OPENSSL_TIMEOUT),
        )
        (self.workdir / "site.conf").write_text(self.site())
        config = self.workdir / "nginx.conf"
        config.write_text(
            f"pid {self.workdir / 'nginx.pid'};\n"
            "error_log stderr;\n"
            "events {}\n"
            "http {\n"
            "    access_log off;\n"
            f"    include {self.workdir / 'site.conf'};\n"
            "}\n"
        )
        return config

    def command(self, *args):
        return [NGINX, "-p", str(self.workdir), "-c", str(self.workdir / "nginx.conf"), *args]

    def spawn(self):
        self.write_config()
        self.log_path = self.workdir.parent / f"nginx-{self.https_port}.log"
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                self.command("-e", "stderr", "-g", "daemon off;"),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_ready(self):
        """Ready when both ports accept and a plain-HTTP /healthz comes back 200 from
        gunicorn through it (the one path the site does not redirect to HTTPS)."""

        def ready():
            accepts(self.https_port)
            return Client(self.http_port).get("/healthz").status == 200

        wait_until(
            ready,
            f"nginx to accept on 127.0.0.1:{self.https_port} and pass /healthz on "
            f"127.0.0.1:{self.http_port} to gunicorn",
            START_TIMEOUT,
            processes=[self.process],
            output=lambda: read_log(self.log_path),
            errors=(OSError, http.client.HTTPException),
        )

    def stop(self):
        if self.process is not None:
            stop(self.process, self.stop_signal)
