from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Citizens' rights over their personal data: the privacy notice, the register of processing for staff
    (built from core/personal_data.py) and, next, the requests for access, correction and erasure."""

    name = "privacy"
    verbose_name = _("Personal data")

    def ready(self) -> None:
        from core.access_log import personal_data_viewed

        from . import checks, notifications  # noqa: F401 - the deployment checks, the outbox handler
        from .access_log import record_view

        # Who looked: the staff views of appeals announce each view of personal data (core/access_log.py).
        personal_data_viewed.connect(record_view, dispatch_uid="privacy.access_log")
