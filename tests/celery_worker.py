"""A real Celery worker on Redis for the tests that prove the worker path (STYLE.md: eager everywhere else).

The worker is a separate process on the test database (so those tests use `transactional_db`, whose data is
committed) and on a queue of its own, so parallel test runs on one Redis never take each other's tasks.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import redis
from django.db import connection

from config.celery import app

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
DEAD_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
ROOT = Path(__file__).resolve().parent.parent


def redis_available() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def use_broker(url: str, queue: str | None = None) -> None:
    """Point this process's Celery producer at another broker (and queue), dropping pooled connections."""
    app.conf.update(broker_url=url, task_always_eager=False)
    if queue:
        app.conf.task_default_queue = queue
    app._after_fork()  # forget pooled connections to the old broker


def use_eager() -> None:
    app.conf.update(task_always_eager=True, broker_url="memory://", task_default_queue="celery")
    app._after_fork()


@contextmanager
def celery_worker(*, queue: str | None = None, env: dict[str, str] | None = None) -> Iterator[subprocess.Popen]:
    """Start `celery worker` against Redis and the current test database; stop it afterwards."""
    queue = queue or f"test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    worker_env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_QUEUE": queue,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        **(env or {}),
    }
    proc = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-P",
            "solo",
            "-Q",
            queue,
            "-l",
            "info",
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
            "-n",
            f"{queue}@%h",
        ],
        cwd=ROOT,
        env=worker_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def wait_for(predicate, *, timeout: float = 30.0, interval: float = 0.2, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")
