"""gunicorn settings: `gunicorn -c config/gunicorn.py app:app`.

Environment: GUNICORN_BIND (default 127.0.0.1:8000), WEB_CONCURRENCY (workers, default
2 x cores + 1), GUNICORN_TIMEOUT, GUNICORN_MAX_REQUESTS, GUNICORN_LOGLEVEL (info),
GUNICORN_CONTROL_SOCKET (a path of this instance's own; no control socket without it).
With PostgreSQL, workers x (DB_POOL_SIZE + DB_MAX_OVERFLOW) must stay 10 below
DB_MAX_CONNECTIONS (the server's max_connections, default 100): on_starting refuses to
start otherwise.
"""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so that memory cannot creep up over weeks (0: never; the
# benchmark sets 0, so that it measures warm workers, not restarts).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10
# Load the app once in the master (shared memory pages), then give each worker its own
# database connections (see post_fork).
preload_app = True
# No access log: its lines would hold client addresses and /my/<token> paths. The app's
# own logs never carry either. Errors go to standard error, through the same redaction as
# the app's lines (tokens, e-mail and IP addresses, the bytes of a refused request).
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
logger_class = "testimonials.serving.RedactingLogger"
# gunicorn's control socket defaults to one path per user ($XDG_RUNTIME_DIR or ~/.gunicorn):
# two instances would share it, and anyone who can reach it can resize or stop the server.
# Off unless GUNICORN_CONTROL_SOCKET names a path of this instance's own.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
    control_socket_mode = 0o600
else:
    control_socket_disable = True
# The client address is taken from X-Forwarded-For by the app itself (TRUSTED_PROXIES);
# gunicorn only needs to believe the scheme from the proxy on this host.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def on_starting(server):  # type: ignore[no-untyped-def]
    """Refuse a configuration whose connection pools could exceed PostgreSQL's limit, or whose
    workers would each keep rate limits of their own."""
    from testimonials.serving import install_error_page

    install_error_page()  # gunicorn's own error answers carry our headers
    if server is not None:
        _refuse_per_worker_limits(server)
    if not os.environ.get("DATABASE_URL", "").startswith("postgresql"):
        return
    per_worker = (int(os.environ.get("DB_POOL_SIZE", "2"))
                  + int(os.environ.get("DB_MAX_OVERFLOW", "3")))
    limit = int(os.environ.get("DB_MAX_CONNECTIONS", "100")) - 10  # room for psql, migrations
    if workers * per_worker > limit:
        raise SystemExit(f"{workers} workers x {per_worker} connections exceed the {limit} "
                         "that PostgreSQL allows us: lower WEB_CONCURRENCY or DB_POOL_SIZE and "
                         "DB_MAX_OVERFLOW, or raise DB_MAX_CONNECTIONS with the server's limit")


def _refuse_per_worker_limits(server):  # type: ignore[no-untyped-def]
    # The app is loaded already (preload_app); its configuration says where limits are kept,
    # and server.cfg.workers is the number in force (a -w on the command line included).
    from testimonials.configuration import limit_storage_problem

    config = getattr(server.app.wsgi(), "config", None)
    problem = limit_storage_problem(config, server.cfg.workers) if config else None
    if problem:
        raise SystemExit(problem)


def pre_fork(server, worker):  # type: ignore[no-untyped-def]
    """The objects made loading the app last as long as the worker: out of the collector's way.

    Frozen, they are never scanned again by a full collection (which a worker under load runs
    every few seconds), and their memory pages stay shared with the master.
    """
    gc.freeze()


def post_fork(server, worker):  # type: ignore[no-untyped-def]
    """A forked worker must not share the master's pooled database connections."""
    from app import app

    app.extensions["waitline.engine"].dispose(close=False)
