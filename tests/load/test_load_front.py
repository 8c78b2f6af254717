"""The production front (deploy/nginx/waitline.conf) in front of a real gunicorn (issue 12, item 6).

The shipped configuration is rendered with test ports and a throw-away certificate into a
temporary directory, and Debian's nginx runs it (its own prefix, pid and logs, not a daemon)
before gunicorn with two sync workers, as in production. Then 200 slow connections (headers
sent a byte at a time, bodies a byte at a time) hang on while every page must still answer as
quickly as just before without them (a baseline of the same run: on a starved machine every
figure stretches alike); a header that keeps coming is cut off at 10 s; a wrong Host gets no
answer; static files come from nginx with caching and headers.
Skipped (with the reason) when nginx or openssl is missing; failed under
WAITLINE_REQUIRE_SERVICES=1.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import socket
import ssl
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.load import gunicorn_server
from tests.load.conftest import migrated_sqlite

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "deploy" / "nginx" / "waitline.conf"
SITE = "waitline.test"
SLOW_CONNECTIONS = 200
# Ports of this suite's own range (5301-5399 on the shared CI machine), tried in turn, by
# whoever holds PORTS_LOCK (see reserved_ports).
PORTS = range(5301, 5400)
PORTS_LOCK = Path(tempfile.gettempdir()) / "waitline-front-ports.lock"
REQUIRE_SERVICES = os.environ.get("WAITLINE_REQUIRE_SERVICES") == "1"


def tool(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin:/sbin")
    if found is None:
        reason = f"{name} is not installed (Debian: apt-get install -y nginx-light openssl)"
        if REQUIRE_SERVICES:
            pytest.fail(f"required service unavailable: {reason}")
        print(f"skipped: {reason}")
        pytest.skip(reason)
    return found


@contextmanager
def reserved_ports() -> Iterator[None]:
    """The port range to ourselves while a front picks its ports and until its servers listen.

    A free port is found by binding it and letting it go, and gunicorn binds it again only
    after loading the app: seconds on a starved machine. Without the lock, the front of a test
    in the other pytest worker (or another run on this machine) could pick the same port in
    between; its gunicorn then failed to bind, while its /healthz check was answered by ours,
    and its nginx went on sending to our gunicorn until our test ended: then 502 for every
    request (CI, 2026-12-06). flock, not a lock of this process: the racers are processes.
    """
    with PORTS_LOCK.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        yield


def free_ports(count: int) -> list[int]:
    """Ports of PORTS nobody listens on; hold reserved_ports from here to the servers' bind."""
    ports = []
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        ports.append(port)
        if len(ports) == count:
            return ports
    raise RuntimeError("no free ports left in 5301-5399")


@dataclass
class Front:
    https: int
    http: int
    upstream: int
    tmp: Path

    def log(self, name: str) -> str:
        path = self.tmp / name
        return path.read_text(errors="replace") if path.exists() else ""


def render(tmp: Path, *, https: int, http: int, upstream: int) -> Path:
    """The shipped configuration with this run's ports, certificate and paths."""
    text = CONFIG.read_text()
    for name, value in {
        "@SITE_HOST@": SITE, "@HTTPS_LISTEN@": f"127.0.0.1:{https}",
        "@HTTP_LISTEN@": f"127.0.0.1:{http}", "@UPSTREAM@": f"127.0.0.1:{upstream}",
        "@STATIC_ROOT@": str(ROOT / "static"), "@TLS_CERTIFICATE@": str(tmp / "site.crt"),
        "@TLS_CERTIFICATE_KEY@": str(tmp / "site.key"),
        "/var/log/nginx/waitline.log": str(tmp / "access.log"),
    }.items():
        assert name in text, name
        text = text.replace(name, value)
    settings = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    assert not re.search(r"@[A-Z_]+@", "\n".join(settings))  # every placeholder filled
    site = tmp / "waitline.conf"
    site.write_text(text)
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp / sub).mkdir(exist_ok=True)
    main = tmp / "nginx.conf"
    user = "user root root;\n" if os.geteuid() == 0 else ""
    main.write_text(f"""{user}worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 2048; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    access_log {tmp}/http-access.log;
    include {site};
}}
""")
    return main


@contextmanager
def nginx(tmp: Path, upstream: int) -> Iterator[Front]:
    binary, openssl = tool("nginx"), tool("openssl")
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-keyout", str(tmp / "site.key"), "-out", str(tmp / "site.crt"),
                    "-subj", f"/CN={SITE}", "-addext", f"subjectAltName=DNS:{SITE}"],
                   check=True, capture_output=True)
    https, http = free_ports(2)
    main = render(tmp, https=https, http=http, upstream=upstream)
    check = subprocess.run([binary, "-t", "-p", str(tmp), "-c", str(main)],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    with (tmp / "nginx.stderr").open("wb") as errors:
        process = subprocess.Popen([binary, "-p", str(tmp), "-c", str(main),
                                    "-g", "daemon off;"],
                                   stdout=subprocess.DEVNULL, stderr=errors)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", https), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"nginx did not start: {(tmp / 'error.log').read_text()}"
                                       ) from None
                time.sleep(0.05)
        yield Front(https, http, upstream, tmp)
    finally:
        process.terminate()
        process.wait(timeout=10)


def tls(port: int, sni: str = SITE, timeout: float = 10) -> ssl.SSLSocket:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    raw = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    return context.wrap_socket(raw, server_hostname=sni)


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float


def get(port: int, path: str, *, host: str = SITE, sni: str = SITE,
        headers: dict[str, str] | None = None) -> Answer | None:
    """One request over its own TLS connection; None when the front closed it unanswered."""
    started = time.perf_counter()
    with tls(port, sni) as connection:
        lines = [f"GET {path} HTTP/1.1", f"Host: {host}", "Connection: close",
                 *(f"{k}: {v}" for k, v in (headers or {}).items())]
        connection.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        data = b""
        try:
            while chunk := connection.recv(65536):
                data += chunk
        except (ssl.SSLError, ConnectionResetError):
            pass
    if not data:
        return None
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    found = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        found[name.strip().lower()] = value.strip()
    return Answer(int(status_line.split()[1]), found, body, time.perf_counter() - started)


class SlowClients:
    """Connections that send their request a byte at a time and never finish in time.

    Half send a body slowly: nginx keeps those as long as a byte comes every 10 s, and they are
    the ones that would hold a worker each if nginx passed them on unread. The other half send
    their headers slowly: nginx closes those once 10 s have passed (client_header_timeout).
    """

    def __init__(self, port: int, count: int) -> None:
        self.sockets: list[ssl.SSLSocket] = []
        self.alive = self.alive_bodies = 0
        self.stop = threading.Event()
        # Fed from the first one on: opening 200 TLS connections takes a starved machine
        # longer than nginx waits between two bytes of a body.
        self.thread = threading.Thread(target=self.trickle, daemon=True)
        self.thread.start()
        for n in range(count):
            connection = tls(port)
            if n % 2:  # a slow body: complete headers, then a byte now and then
                connection.sendall(f"POST /share HTTP/1.1\r\nHost: {SITE}\r\n"
                                   "Content-Type: application/x-www-form-urlencoded\r\n"
                                   "Content-Length: 200000\r\n\r\nstory=".encode())
            else:  # slow headers: the request line, then header bytes one by one
                connection.sendall(f"GET / HTTP/1.1\r\nHost: {SITE}\r\nX-Slow: ".encode())
            self.sockets.append(connection)

    def trickle(self) -> None:
        while not self.stop.wait(0.5):
            alive = alive_bodies = 0
            for n, connection in enumerate(list(self.sockets)):
                try:
                    connection.send(b"a")
                except OSError:  # closed by nginx (a send after its close fails)
                    continue
                alive += 1
                alive_bodies += n % 2
            self.alive, self.alive_bodies = alive, alive_bodies

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        for connection in self.sockets:
            connection.close()


@contextmanager
def serving(tmp: Path, database_url: str) -> Iterator[Front]:
    """gunicorn (two sync workers, as in production) behind nginx, on ports of their own."""
    env = {"SITE_URL": f"https://{SITE}", "TRUSTED_PROXIES": "1",
           "TRUSTED_HOSTS": '["127.0.0.1"]', "GUNICORN_TIMEOUT": "30"}
    with ExitStack() as servers:
        with reserved_ports():  # until both listen: only then are their ports visibly taken
            upstream = free_ports(1)[0]
            servers.enter_context(gunicorn_server.running(tmp, database_url, workers=2,
                                                          env=env, port=upstream))
            running = servers.enter_context(nginx(tmp, upstream))
        yield running


@pytest.fixture(scope="module")
def front(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Front]:
    """One front for the module's checks: starting nginx, gunicorn and Redis over a migrated
    database took ~12 s a test, and none of them changes what the others see (the one log
    check that counts lines counts its own)."""
    tmp = tmp_path_factory.mktemp("front")
    with migrated_sqlite(tmp) as (url, _app), serving(tmp, url) as running:
        yield running


def test_fronts_started_at_once_listen_on_ports_of_their_own(
        tmp_path: Path, sqlite_file: tuple[str, object]) -> None:
    """As two pytest workers do: neither may end up sending its requests to the other's app."""
    url, _app = sqlite_file
    tool("nginx"), tool("openssl")  # skipped or failed here, not in a thread
    together = threading.Barrier(2)
    done = threading.Event()
    started: dict[str, Front] = {}
    failures: list[BaseException] = []

    def start(name: str) -> None:
        (tmp_path / name).mkdir()
        try:
            together.wait(timeout=30)
            with serving(tmp_path / name, url) as running:
                started[name] = running
                done.wait(timeout=300)
        except BaseException as failure:  # noqa: BLE001 - reported below, with the other's
            failures.append(failure)
            done.set()

    threads = [threading.Thread(target=start, args=(name,)) for name in ("one", "two")]
    for thread in threads:
        thread.start()
    try:
        deadline = time.monotonic() + 240
        while len(started) < 2 and not failures and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not failures, failures
        one, two = started["one"], started["two"]
        assert not {one.https, one.http, one.upstream} & {two.https, two.http, two.upstream}
        for running in (one, two):
            assert get(running.https, "/healthz").status == 200  # type: ignore[union-attr]
    finally:
        done.set()
        for thread in threads:
            thread.join(timeout=60)


PAGES = ("/healthz", "/", "/stories")
ROUNDS = 5
# How much slower the typical answer may be among the slow connections than without them,
# measured in the same run just before and just after (the slower of the two: the test
# client itself, a single Python process, now also feeds 200 connections; on a starved
# machine every figure stretches alike), plus what a descheduled moment can add. A front
# whose workers the slow clients hold answers nothing: each probe waits the client's 10 s
# and fails.
SLOWDOWN = 3
ALLOWANCE = 0.1


def probe(port: int) -> list[float]:
    """Seconds each answer took: ROUNDS rounds of every page, each on a new TLS connection."""
    seconds = []
    for _ in range(ROUNDS):
        for path in PAGES:
            answer = get(port, path)
            assert answer is not None, path
            assert answer.status == 200, (path, answer.status)
            seconds.append(answer.seconds)
        time.sleep(0.2)
    return seconds


def test_pages_answer_quickly_while_200_slow_connections_hang(front: Front) -> None:
    for path in PAGES:  # warm: each worker has rendered each page once
        for _ in range(2):
            assert get(front.https, path).status == 200  # type: ignore[union-attr]
    before = probe(front.https)  # the baseline: this machine, this moment, no slow clients
    opened = time.monotonic()
    slow = SlowClients(front.https, SLOW_CONNECTIONS)
    try:
        time.sleep(1)
        hanging = slow.alive
        among = probe(front.https)
        time.sleep(1)  # two more rounds of bytes: a connection closed meanwhile is seen
        still, bodies = slow.alive, slow.alive_bodies
    finally:
        slow.close()
    after = probe(front.https)  # and again: the machine's load may have changed meanwhile
    alone = before + after
    typical_alone = max(statistics.median(before), statistics.median(after))
    typical_among = statistics.median(among)
    print(f"\n{hanging} slow connections open when probing began, {still} at its end "
          f"({bodies} slow bodies), {time.monotonic() - opened:.1f} s after the first opened; "
          f"typical answer (s) {typical_among:.3f} among them, {typical_alone:.3f} alone; "
          f"slowest {max(among):.3f} among them, {max(alone):.3f} alone")
    # Every slow body hung on through the probes (how many slow headers did depends on how
    # long opening 200 TLS connections took: nginx gives each 10 s).
    assert bodies == SLOW_CONNECTIONS // 2
    assert typical_among < SLOWDOWN * typical_alone + ALLOWANCE, (among, alone)


def test_a_request_header_that_keeps_coming_is_cut_off_after_10_seconds(front: Front) -> None:
    """A byte of header every half second: nginx still closes it once its 10 s are up."""
    with tls(front.https) as connection:
        opened = time.monotonic()
        timeouts_before = front.log("access.log").count(" GET 408 ")
        connection.sendall(f"GET / HTTP/1.1\r\nHost: {SITE}\r\nX-Slow: ".encode())
        connection.settimeout(0.5)
        while (held := time.monotonic() - opened) < 45:  # nginx's own default is 60 s
            try:
                connection.send(b"a")
                if connection.recv(100) == b"":
                    break
            except TimeoutError:
                continue  # still open, nothing said: the next byte
            except OSError:
                break  # closed (reset)
    print(f"\nslow header closed by nginx after {held:.1f} s")
    assert held < 30  # 10 s, and room for a starved machine
    assert front.log("access.log").count(" GET 408 ") == timeouts_before + 1


def test_only_the_site_host_is_answered(front: Front) -> None:
    assert get(front.https, "/", host="evil.example") is None  # 444: closed, no answer
    assert get(front.https, "/", host="127.0.0.1") is None
    with pytest.raises(ssl.SSLError):
        get(front.https, "/", host="evil.example", sni="evil.example")
    page = get(front.https, "/", headers={"X-Forwarded-Host": "evil.example"})
    assert page is not None and page.status == 200 and b"evil" not in page.body
    with socket.create_connection(("127.0.0.1", front.http), timeout=5) as plain:
        plain.sendall(b"GET /stories HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n")
        assert plain.recv(100) == b""
    with socket.create_connection(("127.0.0.1", front.http), timeout=5) as plain:
        plain.sendall(f"GET /stories HTTP/1.1\r\nHost: {SITE}\r\nConnection: close\r\n\r\n"
                      .encode())
        answer = plain.recv(4096).decode("latin-1")
    assert answer.startswith("HTTP/1.1 301") and f"Location: https://{SITE}/stories" in answer


def test_static_files_come_from_nginx_cached_compressed_and_with_headers(front: Front) -> None:
    answer = get(front.https, "/static/css/site.0123456789ab.css",
                 headers={"Accept-Encoding": "gzip"})
    assert answer is not None and answer.status == 200
    assert answer.headers["cache-control"] == "public, max-age=31536000, immutable"
    plain = get(front.https, "/static/css/site.css")
    assert plain is not None and plain.headers["cache-control"] == "public, max-age=86400"
    assert answer.headers["content-encoding"] == "gzip"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert "default-src 'self'" in answer.headers["content-security-policy"]
    assert "max-age=" in answer.headers["strict-transport-security"]
    page = get(front.https, "/stories", headers={"Accept-Encoding": "gzip"})
    assert page is not None and page.headers.get("content-encoding") == "gzip"
    assert page.headers["x-content-type-options"] == "nosniff"  # the app's own, passed on


def test_bodies_over_the_apps_limit_are_refused_by_nginx(front: Front) -> None:
    with tls(front.https) as connection:
        connection.sendall(f"POST /share HTTP/1.1\r\nHost: {SITE}\r\nConnection: close\r\n"
                           "Content-Type: application/x-www-form-urlencoded\r\n"
                           f"Content-Length: {300 * 1024}\r\n\r\n".encode())
        answer = connection.recv(65536).decode("latin-1")
    assert answer.startswith("HTTP/1.1 413")
    assert "X-Content-Type-Options: nosniff" in answer


def test_the_access_log_holds_no_address_or_path(front: Front) -> None:
    for path in ("/", "/my/Tok3nThatMustNotBeLogged/edit?x=1", "/stories?q=secret"):
        get(front.https, path)
    time.sleep(0.2)
    log = front.log("access.log")
    assert log.count("GET") >= 3
    assert "127.0.0.1" not in log and "/my/" not in log and "Tok3n" not in log
    assert "secret" not in log
