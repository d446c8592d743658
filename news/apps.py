from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("News")

    def ready(self) -> None:
        from core.dashboard import register_panel

        from .dashboard import dashboard_panel

        register_panel("news", dashboard_panel)
