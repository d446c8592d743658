"""Slow clients cannot take the portal down: the reverse proxy holds them, not gunicorn (issue 12, finding 6).

The review held both sync workers with four connections sending their body at a byte a second; /healthz took
18 s. Here the real parts run: gunicorn with the project's own deploy/gunicorn.conf.py (2 sync workers) on the
test database, and Debian's nginx on the deploy/nginx/portal.conf.template that docker-compose.yml ships, only
its addresses filled in. Fifty connections trickle their bodies through the proxy while a visitor asks for
/healthz.

nginx is a test dependency like PostgreSQL (scripts/setup.sh --test installs it): when it is missing these tests
fail; they never skip.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "deploy" / "nginx" / "portal.conf.template"
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
VISITOR = "127.0.0.1"
# Every 127.x.y.z address is this machine's: each stands for another client of the proxy.
ATTACKERS = [f"127.0.0.{n}" for n in range(2, 12)]
GREEDY = "127.0.0.12"
CONN_LIMIT_PER_ADDRESS = 20  # limit_conn in the template
HASHED_CSS = "portal.0123456789ab.css"

# gunicorn runs on the test database, which pytest-django creates only for a session with a test that asks for it.
pytestmark = [pytest.mark.django_db, pytest.mark.heavy]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def render_template(values: dict[str, str]) -> str:
    """Fill in ${NAME} as the nginx image does at start; the template must use exactly the names given."""
    text = TEMPLATE.read_text(encoding="utf-8")
    used = set(re.findall(r"\$\{(\w+)\}", text))
    assert used == set(values), f"the template uses {sorted(used)}"
    return re.sub(r"\$\{(\w+)\}", lambda match: values[match.group(1)], text)


def get(port: int, path: str, *, source: str = VISITOR, timeout: float = 5) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout, source_address=(source, 0))
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    conn.close()
    return response


def wait_until_serving(port: int, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        if proc.poll() is not None:
            raise AssertionError(f"exited with {proc.returncode}:\n{log.read_text(errors='replace')}")
        try:
            if get(port, "/healthz", timeout=2).status == 200:
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"/healthz on port {port} never answered 200:\n{log.read_text(errors='replace')}")
        time.sleep(0.2)


def stop(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGINT)  # gunicorn and nginx: a quick shutdown, no waiting for open connections
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def start_gunicorn(port: int, log: Path) -> subprocess.Popen:
    """The project's gunicorn settings with 2 sync workers, production settings, on the test database."""
    db = connection.settings_dict  # the test database's
    database_url = (
        f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "SENTRY_", "CELERY_", "OVERSIGHT_")) and k not in {"SITE_URL", "CACHE_URL"}
    }
    env = {
        **clean,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        # Plain HTTP here: TLS is the host terminator's, in front of the proxy.
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "OVERSIGHT_CLIENT_IP_HEADER": "HTTP_X_REAL_IP",
        "DATABASE_URL": database_url,
        "WEB_CONCURRENCY": "2",
    }
    command = [sys.executable, "-m", "gunicorn", "--config", str(GUNICORN_CONF), "--bind", f"127.0.0.1:{port}"]
    with log.open("wb") as out:
        return subprocess.Popen([*command, "config.wsgi"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603


def start_nginx(port: int, upstream_port: int, workdir: Path) -> subprocess.Popen:
    """Debian's nginx in the foreground on the shipped template, with its files under `workdir`."""
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    assert nginx, "nginx is not installed: scripts/setup.sh --test installs it (apt-get install nginx)"
    static = workdir / "static"
    static.mkdir()
    (static / HASHED_CSS).write_text("body{}", encoding="utf-8")
    site = render_template(
        {
            "PROXY_LISTEN": f"127.0.0.1:{port}",
            "PROXY_UPSTREAM": f"127.0.0.1:{upstream_port}",
            "PROXY_RESOLVER": "127.0.0.1",  # never asked: the upstream is an address, not a name
            "PROXY_STATIC_ROOT": str(static),
            "OVERSIGHT_MAX_REQUEST_BYTES": str(settings.OVERSIGHT_MAX_REQUEST_BYTES),
        }
    )
    (workdir / "portal.conf").write_text(site, encoding="utf-8")
    # The image's nginx.conf around the site, as far as the site needs it; every file under `workdir`.
    # As root, nginx's workers would become `nobody`, who cannot read pytest's private temporary directory.
    main = [
        "user root;" if os.geteuid() == 0 else "",
        "daemon off;",
        "worker_processes 1;",
        f"pid {workdir / 'nginx.pid'};",
        f"error_log {workdir / 'error.log'} warn;",
        "events { worker_connections 512; }",
        "http {",
        "    include /etc/nginx/mime.types;",
        f"    access_log {workdir / 'access.log'};",
        *(f"    {kind}_temp_path {workdir / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")),
        f"    include {workdir / 'portal.conf'};",
        "}",
    ]
    (workdir / "nginx.conf").write_text("\n".join(main) + "\n", encoding="utf-8")
    log = workdir / "error.log"
    command = [nginx, "-p", str(workdir), "-c", str(workdir / "nginx.conf"), "-e", str(log)]
    with log.open("ab") as err:
        return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err)  # noqa: S603


@dataclass
class Stack:
    proxy_port: int
    gunicorn_port: int


@pytest.fixture(scope="module")
def stack(django_db_setup, tmp_path_factory) -> Iterator[Stack]:
    workdir = tmp_path_factory.mktemp("slow-clients")
    gunicorn_port, proxy_port = free_port(), free_port()
    gunicorn = start_gunicorn(gunicorn_port, workdir / "gunicorn.log")
    try:
        nginx = start_nginx(proxy_port, gunicorn_port, workdir)
        try:
            wait_until_serving(gunicorn_port, gunicorn, workdir / "gunicorn.log")
            wait_until_serving(proxy_port, nginx, workdir / "error.log")
            yield Stack(proxy_port=proxy_port, gunicorn_port=gunicorn_port)
        finally:
            stop(nginx)
    finally:
        stop(gunicorn)


class SlowBodies:
    """Connections that send a form post's headers, then its body at one byte a second.

    The post would keep a sync worker reading: it carries a CSRF cookie, so Django's CSRF check reads the body
    for the token. (Measured without the proxy, on the same gunicorn: four of these hold both workers.)
    """

    BODY_LENGTH = 10_000  # bytes: hours at this pace

    def __init__(self, port: int, sources: list[str], per_source: int) -> None:
        self.port, self.sources, self.per_source = port, sources, per_source
        self.sockets: list[socket.socket] = []
        self._answers: dict[socket.socket, bytes] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._trickle, daemon=True)

    def __enter__(self) -> SlowBodies:
        head = (
            "POST /ru/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            f"Cookie: csrftoken={'a' * 32}\r\nContent-Length: {self.BODY_LENGTH}\r\n\r\n"
        ).encode()
        for source in self.sources:
            for _ in range(self.per_source):
                sock = socket.create_connection(("127.0.0.1", self.port), timeout=5, source_address=(source, 0))
                sock.sendall(head + b"a")
                self.sockets.append(sock)
        self._thread.start()
        return self

    def _trickle(self) -> None:
        while not self._stop.wait(1):
            for sock in self.sockets:
                try:
                    sock.send(b"a")
                except OSError:
                    pass

    def answered(self) -> list[bytes]:
        """The status lines of the connections that got an answer so far (the others are still sending)."""
        for sock in self.sockets:
            if sock in self._answers:
                continue
            sock.setblocking(False)
            try:
                self._answers[sock] = sock.recv(200).split(b"\r\n", 1)[0]
            except BlockingIOError:
                pass
            finally:
                sock.setblocking(True)
        return list(self._answers.values())

    def wait_for_answers(self, count: int, *, within: float) -> list[bytes]:
        deadline = time.monotonic() + within
        while len(self.answered()) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.answered()

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        for sock in self.sockets:
            sock.close()


def test_fifty_slow_uploads_do_not_keep_health_check_waiting(stack):
    with SlowBodies(stack.proxy_port, ATTACKERS, per_source=5) as attack:
        time.sleep(2)  # long enough for gunicorn's two workers to be stuck, were the bodies reaching them
        # Straight to gunicorn this never comes back (its workers wait on the bodies for 90 s): the 10 s timeout
        # is the failure. How fast it answers is a figure, not a test (~20 ms on an idle machine, README), since a
        # timed assertion fails on a loaded CI machine for reasons that are not this one.
        response = get(stack.proxy_port, "/healthz", timeout=10)

        # The attack is real: all fifty are still sending, none was turned away by a limit.
        assert attack.answered() == []
    assert response.status == 200


def test_one_address_cannot_hold_more_than_twenty_requests_open(stack):
    with SlowBodies(stack.proxy_port, [GREEDY], per_source=CONN_LIMIT_PER_ADDRESS + 5) as attack:
        attack.wait_for_answers(5, within=5)
        time.sleep(0.2)  # room for a wrong sixth answer to show
        answered = attack.answered()

    assert answered == [b"HTTP/1.1 429 Too Many Requests"] * 5


def test_a_body_over_the_portal_cap_is_refused_before_it_is_sent(stack):
    too_big = settings.OVERSIGHT_MAX_REQUEST_BYTES + 1
    with socket.create_connection(("127.0.0.1", stack.proxy_port), timeout=5) as sock:
        sock.sendall(
            f"POST /ru/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {too_big}\r\n\r\n".encode() + b"a" * 1000
        )
        status_line = sock.recv(200).split(b"\r\n", 1)[0]

    assert status_line == b"HTTP/1.1 413 Request Entity Too Large"


def test_proxy_serves_static_files_and_never_media(stack):
    css = get(stack.proxy_port, f"/static/{HASHED_CSS}")
    media = get(stack.proxy_port, "/media/appeals/2025/01/attachment.pdf")

    assert css.status == 200
    assert css.getheader("Cache-Control") == "public, max-age=31536000, immutable"
    assert css.getheader("X-Content-Type-Options") == "nosniff"
    assert media.status == 404
