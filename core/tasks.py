from __future__ import annotations

from celery import shared_task

from .outbox import outbox_drain, outbox_flush, outbox_run


@shared_task(acks_late=True)
def run_outbox_message(message_id: int) -> None:
    outbox_run(message_id=message_id)


@shared_task(acks_late=True)
def drain_outbox() -> int:
    return outbox_drain()


@shared_task
def flush_outbox() -> int:
    return outbox_flush()
