from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReceptionsConfig(AppConfig):
    name = "receptions"
    verbose_name = _("Receptions of citizens")

    def ready(self) -> None:
        from . import (
            notifications,  # noqa: F401 - registers its outbox handler
            open_api,  # noqa: F401 - registers the open-data list
        )
