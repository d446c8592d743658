from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save, pre_save

        from . import checks, signals, sqlite  # noqa: F401 - core.checks registers the system checks, core.sqlite LIKE
        from .models import CalendarDay
        from .page_cache import bump_calendar

        uid = "core.calendar_changed"
        pre_save.connect(signals.remember_previous_date, sender=CalendarDay, dispatch_uid=f"{uid}.pre_save")
        post_save.connect(signals.send_on_save, sender=CalendarDay, dispatch_uid=f"{uid}.post_save")
        post_delete.connect(signals.send_on_delete, sender=CalendarDay, dispatch_uid=f"{uid}.post_delete")
        signals.calendar_changed.connect(bump_calendar, dispatch_uid="core.page_cache.bump_calendar")
        _cache_history_managers()


def _cache_history_managers() -> None:
    """django-simple-history builds a new manager class (`Manager.from_queryset`, which walks the queryset's
    members with `inspect`) on every access to `instance.history`, and it reads that attribute each time it writes
    a historical record: about 1 ms of CPU per audited save, the largest single cost of an appeal's submission.
    The class depends only on the two classes it is built from, so it is built once."""
    import functools
    from typing import Any

    from simple_history.manager import HistoryDescriptor  # type: ignore[import-untyped]

    @functools.cache
    def manager_class(manager: type, queryset: type) -> type:
        built: type = manager.from_queryset(queryset)  # type: ignore[attr-defined]
        return built

    def __get__(self: Any, instance: object, owner: type) -> object:  # noqa: N807
        return manager_class(self.manager_class, self.queryset_class)(self.model, instance)

    HistoryDescriptor.__get__ = __get__
