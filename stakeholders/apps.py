from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StakeholdersConfig(AppConfig):
    name = "stakeholders"
    verbose_name = _("Stakeholders")

    def ready(self) -> None:
        from core.demo import ALMATY, register_demo_step
        from core.press import register_press_office

        # The outbox's handler for a mail-out's messages (core/outbox.py finds handlers by name).
        from . import notifications  # noqa: F401
        from .demo import load_almaty_stakeholders, load_demo_stakeholders
        from .press import OFFICE

        register_demo_step("stakeholders", load_demo_stakeholders)
        register_demo_step("stakeholders", load_almaty_stakeholders, demo=ALMATY)
        register_press_office(OFFICE)

        from core.dashboard import register_panel

        from .dashboard import dashboard_panel

        register_panel("stakeholders", dashboard_panel)
