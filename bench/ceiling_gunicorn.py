"""gunicorn settings of the bare ceiling app: the application's own (config/gunicorn.py),
without its hooks, which belong to our application and would load it."""

import runpy
from pathlib import Path

_ours = runpy.run_path(str(Path(__file__).resolve().parent.parent / "config" / "gunicorn.py"))

bind = _ours["bind"]
workers = _ours["workers"]
worker_class = _ours["worker_class"]
timeout = _ours["timeout"]
graceful_timeout = _ours["graceful_timeout"]
keepalive = _ours["keepalive"]
max_requests = _ours["max_requests"]
max_requests_jitter = _ours["max_requests_jitter"]
preload_app = _ours["preload_app"]
accesslog = None
errorlog = "-"
control_socket_disable = True
pre_fork = _ours["pre_fork"]  # gc.freeze(), as for our workers
