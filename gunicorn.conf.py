"""gunicorn's settings for KM Tracker: `gunicorn -c gunicorn.conf.py` from any directory.

Every value can be changed through the environment (docs/deployment.md lists the
variables); the defaults suit one machine behind nginx (deploy/nginx.conf).
"""

import gc
import multiprocessing
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))  # so that kmtracker imports wherever gunicorn was started

from kmtracker.lib.env import env_choice, env_int, env_str  # noqa: E402
from kmtracker.lib.log import logging_config  # noqa: E402

wsgi_app = "kmtracker.wsgi:application"
chdir = str(ROOT)

# Loopback by default: nginx in front terminates TLS and passes requests on.
bind = env_str("GUNICORN_BIND", "127.0.0.1:8000").split(",")
# Synchronous workers, each one request at a time: the app's work is database-bound
# and short. WEB_CONCURRENCY is the usual name for "how many worker processes".
workers = env_int("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1)
threads = env_int("GUNICORN_THREADS", 1)
timeout = env_int("GUNICORN_TIMEOUT", 30)
graceful_timeout = env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = 5
# Recycle workers now and then, so that a slow leak in any library cannot grow for ever.
max_requests = env_int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = max_requests // 10
# Heartbeat files in memory, not on the disk (which may be slow or read-only).
worker_tmp_dir = "/dev/shm" if Path("/dev/shm").is_dir() else None
# No control socket (gunicorn 24+ makes one under the home directory by default): systemd
# manages the process with signals, and several instances on one machine must not share it.
control_socket_disable = True
# The proxy's X-Forwarded-* headers are believed only from these addresses.
forwarded_allow_ips = env_str("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Access and error lines as JSON on stdout, like Django's own (kmtracker/lib/log.py):
# the access line carries the X-Request-ID that RequestIdMiddleware set.
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
logconfig_dict = logging_config(
    level=env_choice("LOG_LEVEL", "INFO", ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]),
    fmt=env_choice("LOG_FORMAT", "json", ["json", "text"]),
)


def post_worker_init(worker):
    """Once the worker has loaded the app, move everything it holds (Django, the URLs, the
    apps' modules: some 190,000 objects) out of the garbage collector's sight. A page
    such as the activity list makes enough objects to trigger a full collection every
    twenty requests or so, and each one walked all of them again: about a tenth of the
    list's time. They live as long as the worker; what requests make is still collected."""
    gc.freeze()
