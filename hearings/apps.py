from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HearingsConfig(AppConfig):
    name = "hearings"
    verbose_name = _("Hearings")

    def ready(self) -> None:
        from core.dashboard import register_panel

        from .dashboard import dashboard_panel

        register_panel("hearings", dashboard_panel)

        from councils.plan import PlanRecordKind, register_plan_record_kind

        # The records that fulfil a work plan item (councils/plan.py); a closed meeting's page shows no agenda, so
        # its title stays in the workspace.
        register_plan_record_kind(
            PlanRecordKind(
                "meeting",
                _("Meeting"),
                "hearings.Meeting",
                "date",
                "title",
                public_url_name="reports:meeting",
                public_filter=(("is_open", True),),
            )
        )
        register_plan_record_kind(
            PlanRecordKind("hearing", _("Public hearing"), "hearings.PublicHearing", "date", "topic", "reports:hearing")
        )

        from .follow import register as register_followables

        # What a citizen can follow by e-mail (core/follow.py).
        register_followables()
