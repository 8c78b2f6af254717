"""gunicorn on 127.0.0.1 for the load, fault and multi-worker tests, and a small HTTP client.

The server runs as in production (config/gunicorn.py, WAITLINE_ENV=production, CSRF and rate
limits on) over a SQLite file prepared beforehand; only plain http on loopback differs, so
cookies are not marked Secure. Its standard error goes to a file the log watch searches.
Imported as `tests.load.gunicorn_server`.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.client import CSRF, Client, Reply  # noqa: F401 - re-exported for the load tests
from tests.conftest import service_missing
from tests.load import logwatch

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    stderr: Path
    database_url: str

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def workers(self) -> set[int]:
        """The pids of the master's live worker processes."""
        found = set()
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid and fields[0] != "Z":
                found.add(int(entry.name))
        return found


class RedisServer:
    """redis-server on 127.0.0.1:port, keeping nothing on disk; start and stop at will."""

    def __init__(self, port: int, workdir: Path) -> None:
        self.port, self.workdir = port, workdir
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            service_missing("redis-server is not installed")
        self.process = subprocess.Popen(
            [str(binary), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        import redis

        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping()
                return
            except redis.RedisError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


@contextmanager
def running(tmp: Path, database_url: str, *, workers: int = 2,
            env: dict[str, str] | None = None, access_log: Path | None = None,
            port: int | None = None) -> Iterator[Server]:
    """gunicorn serving the app over `database_url` until the caller is done.

    Several workers need a limit storage they share (production refuses memory:// then): a
    Redis server of this server's own, unless `env` names one.
    """
    if workers > 1 and "RATELIMIT_STORAGE_URI" not in (env or {}):
        limits = RedisServer(free_port(), tmp)
        limits.start()
        try:
            with running(tmp, database_url, workers=workers, access_log=access_log,
                         env={**(env or {}), "RATELIMIT_STORAGE_URI": limits.url},
                         port=port) as server:
                yield server
        finally:
            limits.stop()
        return
    port = port or free_port()
    stderr = tmp / f"gunicorn-{port}.err"
    logwatch.add_file(stderr)
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("WAITLINE", "GUNICORN"))},
        "WAITLINE_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": database_url, "SESSION_COOKIE_SECURE": "false", "HSTS_SECONDS": "0",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "SITE_URL": f"http://127.0.0.1:{port}", "WEB_CONCURRENCY": str(workers),
        "GUNICORN_TIMEOUT": "30", **(env or {}),
    }
    command = [str(GUNICORN), "-c", "config/gunicorn.py"]
    if access_log is not None:
        # The worker's pid only: which worker answered, and nothing about the client.
        command += ["--access-logfile", str(access_log), "--access-logformat", "%(p)s"]
        logwatch.add_file(access_log)
    with stderr.open("wb") as errors:
        process = subprocess.Popen([*command, "app:app"], cwd=ROOT, env=environment,
                                   stdout=subprocess.DEVNULL, stderr=errors)
    server = Server(process, port, stderr, database_url)
    try:
        wait_until_up(server)
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until_up(server: Server, timeout: float = 90) -> None:
    # Generous: loading the app takes seconds on a machine starved by the other test worker
    # (30 s ran out once in CI); a gunicorn that exits is reported at once below.
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {server.stderr.read_text()[-2000:]}")
        try:
            if Client(server.host).get("/healthz").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError("gunicorn did not answer in time")


@contextmanager
def stopwatch() -> Iterator[list[float]]:
    """Elapsed seconds, in the list once the block ends."""
    started = time.perf_counter()
    elapsed: list[float] = []
    try:
        yield elapsed
    finally:
        elapsed.append(time.perf_counter() - started)
