from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save, pre_save

        from . import checks, signals  # noqa: F401 - importing core.checks registers the system checks
        from .models import CalendarDay

        uid = "core.calendar_changed"
        pre_save.connect(signals.remember_previous_date, sender=CalendarDay, dispatch_uid=f"{uid}.pre_save")
        post_save.connect(signals.send_on_save, sender=CalendarDay, dispatch_uid=f"{uid}.post_save")
        post_delete.connect(signals.send_on_delete, sender=CalendarDay, dispatch_uid=f"{uid}.post_delete")
