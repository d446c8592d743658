from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "participation"
    verbose_name = _("Public participation")

    def ready(self) -> None:
        from core.dashboard import register_panel
        from core.demo import register_demo_step

        from . import (
            notifications,  # noqa: F401 - registers the outbox handlers
            open_api,  # noqa: F401 - registers the open-data lists
        )
        from .dashboard import dashboard_panel

        register_panel("participation", dashboard_panel)

        from .demo import load_demo_eia_hearing

        register_demo_step("eia_hearing", load_demo_eia_hearing)
