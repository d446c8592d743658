from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from core.dashboard import register_panel

        from .dashboard import figures_panel

        register_panel("reports", figures_panel)

        from core.page_cache import register_council_years

        from .selectors import council_year_set

        # The home page's year switcher lists every council's years: an edit that changes a council's years
        # leaves the lists of councils behind (core/page_cache.py).
        register_council_years(council_year_set)
