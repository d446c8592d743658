from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilsConfig(AppConfig):
    name = "councils"
    verbose_name = _("Councils")

    def ready(self) -> None:
        from . import invitations  # noqa: F401 - registers its outbox handler
        from .audit import register_history

        register_history()
