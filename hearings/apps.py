from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HearingsConfig(AppConfig):
    name = "hearings"
    verbose_name = _("Hearings")

    def ready(self) -> None:
        from core.dashboard import register_panel

        from .dashboard import dashboard_panel

        register_panel("hearings", dashboard_panel)
