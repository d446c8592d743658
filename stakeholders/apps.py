from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StakeholdersConfig(AppConfig):
    name = "stakeholders"
    verbose_name = _("Stakeholders")

    def ready(self) -> None:
        # The outbox's handler for a mail-out's messages (core/outbox.py finds handlers by name).
        from . import notifications  # noqa: F401
