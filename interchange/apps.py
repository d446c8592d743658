from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterchangeConfig(AppConfig):
    name = "interchange"
    verbose_name = _("Interchange")

    def ready(self) -> None:
        from .spec import register_council_activity

        register_council_activity()
