from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilsConfig(AppConfig):
    name = "councils"
    verbose_name = _("Councils")

    def ready(self) -> None:
        from core.page_cache import register_council_lookup

        from . import invitations  # noqa: F401 - registers its outbox handler
        from .audit import register_history
        from .ownership import connect_page_cache
        from .selectors import published_council_id

        register_history()
        # Edits of a council's records leave its cached public pages behind, and the page cache finds a council's
        # id by its slug (core/page_cache.py).
        connect_page_cache()
        register_council_lookup(published_council_id)

        from core.dashboard import register_panel

        from .dashboard import dashboard_panel

        register_panel("councils", dashboard_panel)

        from core.demo import ALMATY, register_demo_step

        from .expert_demo import load_almaty_experts

        register_demo_step("experts", load_almaty_experts, demo=ALMATY)
