from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Citizens' rights over their personal data: the privacy notice, the register of processing for staff
    (built from core/personal_data.py) and, next, the requests for access, correction and erasure."""

    name = "privacy"
    verbose_name = _("Personal data")

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the deployment checks
