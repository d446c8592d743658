"""HTTP benchmark of public pages and the open API under gunicorn (run by hand; prints figures, changes nothing).

    .venv/bin/python benchmarks/http_pages.py [--duration 10] [--connections 16] [--workers 2] [--keep-db]

1. A throwaway PostgreSQL database `oversight_bench_http` on the DATABASE_URL server (default
   postgres://postgres@127.0.0.1:5432/): migrated, the Almaty 2019 demo loaded (`load_demo`), and a synthetic
   council-year 100 times the Almaty volume in a second council, `synthetic` (tests/reports/yeardata.py:
   76,400 appeals, 1,800 monitoring events, 8,900 draft reviews, ...), so the tables are large.
2. gunicorn with DEBUG off and test-safe settings (a random secret key, ALLOWED_HOSTS 127.0.0.1, no SSL
   redirect, static files collected to a temporary directory, the cache in Redis db 12 as in production, flushed
   before and after), `benchmarks.http_site.settings`: the portal plus a bare view at /bench/ok, the ceiling.
3. wrk (Debian's `wrk`), 16 connections for 10 s per address, after a warm-up: requests per second, the 99th
   percentile latency and the ratio to the ceiling. Goals: every page at least 25% of the ceiling, p99 under
   200 ms. The council pages are kept whole for visitors who are not signed in, and the open API keeps its
   answers for a minute, so their rows measure those caches; two rows, held to no goal, show what a miss costs:
   the same API list with its cache off (benchmarks/http_site/urls.py) and the council page rendered around its
   cached fragments (an unknown query parameter passes the whole-page cache by, as a signed-in user does).
4. gunicorn is stopped and the database dropped, whatever happened.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this file's directory comes first on the path, and this file is named like the standard
# library's `http` package, which urllib needs: the directory goes, the project root comes instead. (Hence
# urllib is imported after this, inside the functions.)
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

DATABASE = "oversight_bench_http"
REDIS_URL = "redis://127.0.0.1:6379/12"  # flushed before and after
GOAL_RATIO = 0.25
GOAL_P99_MS = 200.0


@dataclass
class Target:
    label: str
    path: str
    required: bool = True  # False: another helper's page, skipped with a note if it does not exist yet
    goal: bool = True  # False: shown for what a cache miss costs, held to no goal


TARGETS = [
    Target("ceiling: bare Django view", "/bench/ok"),
    Target("council page", "/ru/councils/almaty/"),
    Target("recommendations tracker page", "/ru/councils/almaty/recommendations/", required=False),
    Target("API recommendations ?council=almaty", "/api/v1/recommendations/?council=almaty"),
    # What a miss costs, held to no goal. The same list with the response cache off (benchmarks/http_site/urls.py),
    # and the council page asked with a parameter it does not know, which the whole-page cache passes by: the
    # page is rendered afresh around its cached fragments, as for signed-in staff.
    Target(
        "API recommendations ?council=almaty, uncached",
        "/bench/uncached/recommendations/?council=almaty",
        goal=False,
    ),
    Target("council page, not cached whole", "/ru/councils/almaty/?utm_source=bench", goal=False),
    # The other public pages a visitor reaches from the council page.
    Target("home page", "/ru/"),
    Target("list of councils", "/ru/councils/"),
    Target("state body page", "/ru/state-bodies/almaty-akimat/"),
    Target("monitoring event page", "/ru/councils/almaty/monitoring/{monitoring_event}/"),
    # The same pages against the council with 100 times the data.
    Target("council page, 100x council", "/ru/councils/synthetic/"),
    Target("API recommendations, 100x council", "/api/v1/recommendations/?council=synthetic"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _url_parts(url: str):
    from urllib.parse import urlsplit

    return urlsplit(url)


def flush_redis() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def admin_run(admin_url: str, sql: str) -> None:
    import psycopg2

    connection = psycopg2.connect(admin_url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(sql)
    connection.close()


def prepare(env: dict[str, str]) -> dict[str, str]:
    """Migrate, collect static files, load the demo and the 100x year, in a child process with `env`; returns the
    ids the addresses need ({"monitoring_event": "12"})."""
    script = """
import time
import django
django.setup()
from django.core.management import call_command
from tests import factories as f
from tests.reports.yeardata import make_council_year
t = time.monotonic()
call_command("migrate", verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
call_command("load_demo", verbosity=0)
council = f.CouncilFactory(slug="synthetic", code="SYN", name="Synthetic council (100x Almaty 2019)")
make_council_year(council, scale=100)
# Fresh planner statistics, as a database in service has them (autovacuum would catch up only later).
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("VACUUM ANALYZE")
print(f"  data ready in {time.monotonic() - t:.0f} s")
from monitoring.models import MonitoringEvent
print("monitoring_event=%d" % MonitoringEvent.objects.filter(council__slug="almaty").order_by("pk").first().pk)
"""
    output = subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, "-c", script], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    print("\n".join(line for line in output.splitlines() if "=" not in line), flush=True)
    return dict(line.split("=", 1) for line in output.splitlines() if "=" in line)


def wait_until_up(base: str, timeout: float = 60) -> None:
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/bench/ok", timeout=2).read()  # noqa: S310 - our own local server
            return
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not start")


def status_of(url: str) -> int:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=300) as response:  # noqa: S310 - our own local server
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except TimeoutError:
        return 504


def parse_wrk(output: str) -> tuple[float, float, int]:
    """(requests per second, p99 in ms, non-2xx responses) from wrk's --latency output."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", output).groups()
    p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return rps, p99, int(errors.group(1)) if errors else 0


def wrk(url: str, duration: int, connections: int) -> tuple[float, float, int]:
    threads = min(2, connections)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", url]
    return parse_wrk(subprocess.run(command, capture_output=True, text=True, check=True).stdout)  # noqa: S603


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per address")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--keep-db", action="store_true", help="do not drop the database (to look at it)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is missing: apt-get install -y wrk", file=sys.stderr)
        return 2

    server_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    parts = _url_parts(server_url)
    admin_url = parts._replace(path="/postgres").geturl()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    workdir = tempfile.TemporaryDirectory(prefix="oversight-bench-http-")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.http_site.settings",
        "DATABASE_URL": parts._replace(path=f"/{DATABASE}").geturl(),
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "SITE_URL": base,
        "DJANGO_STATIC_ROOT": f"{workdir.name}/static",
        "DJANGO_MEDIA_ROOT": f"{workdir.name}/media",
        "DJANGO_LOG_LEVEL": "WARNING",
        "CELERY_BROKER_URL": "",  # nothing is queued by these GETs; never reach a real broker
        # The cache is Redis, as in production (an in-process cache would make a hit cheaper than it is).
        "CACHE_URL": REDIS_URL,
    }
    flush_redis()

    admin_run(admin_url, f'DROP DATABASE IF EXISTS "{DATABASE}"')
    admin_run(admin_url, f'CREATE DATABASE "{DATABASE}"')
    server: subprocess.Popen | None = None
    try:
        print(f"Preparing {DATABASE} (demo + 100x synthetic year) ...", flush=True)
        ids = prepare(env)
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        server = subprocess.Popen(  # noqa: S603 - fixed argv
            [gunicorn, "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(args.workers), "--log-level", "warning"],
            env=env,
            cwd=ROOT,
            start_new_session=True,
        )
        wait_until_up(base)
        print(
            f"gunicorn: {args.workers} sync workers, DEBUG off; wrk: {args.connections} connections, "
            f"{args.duration} s per address\n"
        )
        rows = []
        ceiling = None
        for target in TARGETS:
            url = base + target.path.format(**ids)
            started = time.monotonic()
            status = status_of(url)
            took = (time.monotonic() - started) * 1000
            print(f"  {url.removeprefix(base)}: {status} in {took:.0f} ms (first request)", flush=True)
            if status != 200:
                note = "not built yet" if not target.required and status == 404 else "FAILED"
                rows.append((target, None, None, None, f"skipped: {status} ({note})"))
                continue
            for _ in range(20):  # warm-up: connections, caches, the first template loads
                status_of(url)
            rps, p99, errors = wrk(url, args.duration, args.connections)
            ceiling = ceiling or rps
            rows.append((target, rps, p99, errors, ""))
        print(f"{'address':<42} {'req/s':>8} {'p99 ms':>8} {'of ceiling':>11}  verdict")
        for target, rps, p99, errors, note in rows:
            if rps is None:
                print(f"{target.label:<42} {'':>8} {'':>8} {'':>11}  {note}")
                continue
            ratio = rps / ceiling
            goals = []
            if not target.goal:
                goals.append("a miss, no goal")
            else:
                if target.path != "/bench/ok":
                    goals.append("ok" if ratio >= GOAL_RATIO else f"below {GOAL_RATIO:.0%}")
                goals.append("p99 ok" if p99 < GOAL_P99_MS else f"p99 over {GOAL_P99_MS:.0f} ms")
            if errors:
                goals.append(f"{errors} non-2xx")
            print(f"{target.label:<42} {rps:>8.0f} {p99:>8.1f} {ratio:>10.0%}  {', '.join(goals)}")
            print(f"{'':<2}{target.path.format(**ids)}")
        return 0
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        flush_redis()
        if not args.keep_db:
            admin_run(admin_url, f'DROP DATABASE IF EXISTS "{DATABASE}"')
        workdir.cleanup()


if __name__ == "__main__":
    sys.exit(main())
