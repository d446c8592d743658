from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from core.dashboard import register_panel

        from .dashboard import figures_panel

        register_panel("reports", figures_panel)
