from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = _("E-mail alerts")

    def ready(self) -> None:
        from core.follow import followable_deleted

        from . import digest, follow, notifications  # noqa: F401 - register their outbox handlers
        from .services import followers_delete

        # A followed item's followers go with it, as a foreign key's cascade would take them.
        followable_deleted.connect(followers_delete, dispatch_uid="alerts.followers_delete")
