"""Building blocks for data retention that know no domain: the cut-off date, scrubbing audit-history copies,
and deleting stored files once the deleting transaction has committed.

The services that decide what expires live with their data (`appeals/retention.py`): core imports no app.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.core.files.storage import Storage
from django.db import models, transaction

logger = logging.getLogger(__name__)


def retention_cutoff(*, years: int, now: dt.datetime) -> dt.datetime:
    """`now` minus whole calendar years; 29 February becomes 28 February in a common year."""
    try:
        return now.replace(year=now.year - years)
    except ValueError:
        return now.replace(year=now.year - years, day=28)


def history_scrub(*, model: type[models.Model], filters: dict[str, object], values: dict[str, object]) -> int:
    """Overwrite `values` in the audit-history copies of `model`'s rows, when the model keeps history.

    django-simple-history keeps every earlier version of a registered model in its own table, so clearing
    the live row alone would leave the personal data there. A model without history is left alone.
    """
    manager_name = getattr(model._meta, "simple_history_manager_attribute", None)
    if not manager_name:
        return 0
    historical = getattr(model, manager_name).model
    fields = {field.name for field in historical._meta.get_fields()}
    scrubbed: int = historical.objects.filter(**filters).update(**{k: v for k, v in values.items() if k in fields})
    return scrubbed


def storage_delete_on_commit(*, storage: Storage, names: Iterable[str]) -> None:
    """Delete these files from the storage once the current transaction commits (never for a rolled-back one)."""
    names = [name for name in names if name]

    def delete() -> None:
        for name in names:
            try:
                storage.delete(name)
            except Exception:  # one missing or locked file must not keep the others
                logger.exception("retention: could not delete %s", name)

    if names:
        transaction.on_commit(delete)
