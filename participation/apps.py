from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "participation"
    verbose_name = _("Public participation")

    def ready(self) -> None:
        from core.dashboard import register_panel

        from . import (
            notifications,  # noqa: F401 - registers the outbox handlers
            open_api,  # noqa: F401 - registers the open-data lists
        )
        from .dashboard import dashboard_panel

        register_panel("participation", dashboard_panel)
