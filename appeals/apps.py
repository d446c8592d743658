from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "appeals"
    verbose_name = _("Appeals")

    def ready(self) -> None:
        from core.signals import calendar_changed

        from . import consent, digest, notifications  # noqa: F401 - register their outbox handlers
        from .services import on_calendar_changed

        calendar_changed.connect(on_calendar_changed, dispatch_uid="appeals.recompute_deadlines")

        from core.dashboard import register_panel

        from .dashboard import dashboard_panel

        register_panel("appeals", dashboard_panel)
