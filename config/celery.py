from __future__ import annotations

import os
from typing import Any

from celery import Celery
from celery.signals import task_failure, task_postrun, task_prerun, worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("oversight")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


# Celery's Django fix-up closes the database connection before and after every task unless CELERY_DB_REUSE_MAX
# is set (settings.py sets it), so a worker would open a new PostgreSQL connection for every mail. Instead each
# task gets the connection life of a Django request: CONN_MAX_AGE and CONN_HEALTH_CHECKS apply before and after
# it, and a task that failed (perhaps interrupted mid-query by its time limit) leaves no connection behind.
# Tasks run in-process (eager, no broker) share the caller's connection and transaction: they are left alone.
def _in_worker(task: Any) -> bool:
    return task is not None and not getattr(task.request, "is_eager", False)


@task_prerun.connect
@task_postrun.connect
def _close_old_connections(sender: Any = None, **kwargs: Any) -> None:
    if _in_worker(sender):
        from django.db import close_old_connections

        close_old_connections()


@task_failure.connect
def _close_connections_after_failure(sender: Any = None, **kwargs: Any) -> None:
    if _in_worker(sender):
        from django.db import connections

        connections.close_all()


# Each worker process, once forked and set up, freezes what it loaded (core/heap.py): a full garbage collection
# would otherwise walk every module, model and URL pattern again every few hundred mails.
@worker_process_init.connect
def _settle_heap(**kwargs: Any) -> None:
    from core.heap import settle_heap

    settle_heap()
