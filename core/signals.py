"""`calendar_changed`: the working-day calendar changed, so deadlines computed from it may be stale.

Sent with `dates` (a frozenset of the dates whose kind changed: the saved or deleted day, and the old date
when an edit moved a day) whenever a `CalendarDay` is saved or deleted through the ORM, from inside the saving
transaction. The appeals app listens and recomputes open deadlines, so core never imports it. Bulk operations
(`bulk_create`, `QuerySet.update`) and the data migrations do not send it.
"""

from __future__ import annotations

import datetime as dt

from django.dispatch import Signal

from .models import CalendarDay

calendar_changed = Signal()

_PREVIOUS_DATE = "_calendar_previous_date"


def remember_previous_date(
    sender: type[CalendarDay], instance: CalendarDay, raw: bool = False, **kwargs: object
) -> None:
    """An edit may move a day to another date: both dates change, so remember the old one before saving."""
    previous = None
    if not raw and instance.pk is not None:
        previous = sender.objects.filter(pk=instance.pk).values_list("date", flat=True).first()
    setattr(instance, _PREVIOUS_DATE, previous)


def send_on_save(sender: type[CalendarDay], instance: CalendarDay, raw: bool = False, **kwargs: object) -> None:
    if raw:  # loaddata: other tables may not be loaded yet
        return
    dates: set[dt.date] = {instance.date}
    if (previous := getattr(instance, _PREVIOUS_DATE, None)) is not None:
        dates.add(previous)
    calendar_changed.send(sender=CalendarDay, dates=frozenset(dates))


def send_on_delete(sender: type[CalendarDay], instance: CalendarDay, **kwargs: object) -> None:
    calendar_changed.send(sender=CalendarDay, dates=frozenset({instance.date}))
