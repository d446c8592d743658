from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = _("E-mail alerts")

    def ready(self) -> None:
        from . import digest, follow, notifications  # noqa: F401 - register their outbox handlers
