"""core/rows.py: a new row written by the caller's SQL holds what Model.save would have written, the instance
ends as save leaves it, and the signals are sent."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.db.models.signals import post_save, pre_save

from core.outbox import OutboxMessage, OutboxStatus
from core.rows import RowInsert

pytestmark = pytest.mark.django_db


def _written(row: RowInsert) -> None:
    with connection.cursor() as cursor:
        cursor.execute(row.sql(), row.params)
        row.saved(cursor.fetchone())


def test_a_row_written_by_sql_equals_the_row_save_writes():
    sent = []

    def record(sender, instance, **kwargs):
        sent.append((kwargs.get("created"), instance.pk))

    by_sql = OutboxMessage(target="appeals.send_mail", kwargs={"appeal_id": 7}, status=OutboxStatus.QUEUED)
    by_save = OutboxMessage(target="appeals.send_mail", kwargs={"appeal_id": 7}, status=OutboxStatus.QUEUED)
    pre_save.connect(record, sender=OutboxMessage, dispatch_uid="test-rows-pre")
    post_save.connect(record, sender=OutboxMessage, dispatch_uid="test-rows-post")
    try:
        _written(RowInsert(by_sql))
    finally:
        pre_save.disconnect(dispatch_uid="test-rows-pre", sender=OutboxMessage)
        post_save.disconnect(dispatch_uid="test-rows-post", sender=OutboxMessage)
    by_save.save()

    assert sent == [(None, None), (True, by_sql.pk)]  # pre_save before the key, post_save with it, as save sends
    assert by_sql.pk is not None and not by_sql._state.adding
    assert by_sql.created_at is not None and by_sql.updated_at is not None  # auto_now_add and auto_now filled
    fields = [
        f.attname for f in OutboxMessage._meta.concrete_fields if f.attname not in {"id", "created_at", "updated_at"}
    ]
    stored = {row["id"]: row for row in OutboxMessage.objects.values("id", *fields)}
    assert {f: stored[by_sql.pk][f] for f in fields} == {f: stored[by_save.pk][f] for f in fields}
    assert OutboxMessage.objects.get(pk=by_sql.pk).created_at == by_sql.created_at


def test_a_model_with_its_own_save_is_refused():
    """Its save() would be skipped: User's normalises the name and hashes the password."""
    with pytest.raises(TypeError, match="needs Model.save"):
        RowInsert(User(username="someone"))


def test_the_sql_of_every_given_field_is_needed():
    row = RowInsert(OutboxMessage(target="appeals.send_mail", kwargs={}), given=("attempts",))
    with pytest.raises(ValueError, match="attempts"):
        row.sql()
    assert '"attempts"' in row.sql({"attempts": "2"})
