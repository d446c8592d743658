from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self) -> None:
        from core.signals import calendar_changed

        from .services import on_calendar_changed  # registers its outbox handler too

        calendar_changed.connect(on_calendar_changed, dispatch_uid="monitoring.recompute_deadlines")

        from core.dashboard import register_panel

        from .dashboard import dashboard_panel

        register_panel("monitoring", dashboard_panel)
