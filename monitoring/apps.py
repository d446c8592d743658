from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self) -> None:
        from core.signals import calendar_changed

        from .services import on_calendar_changed  # registers its outbox handler too

        calendar_changed.connect(on_calendar_changed, dispatch_uid="monitoring.recompute_deadlines")

        from core.demo import register_demo_step

        from .demo import load_demo_requests

        register_demo_step("information_requests", load_demo_requests)

        from core.dashboard import register_panel

        from .dashboard import dashboard_panel

        register_panel("monitoring", dashboard_panel)

        from councils.plan import PlanRecordKind, register_plan_record_kind

        # The records that fulfil a work plan item (councils/plan.py).
        for kind in (
            PlanRecordKind(
                "monitoring_event",
                _("Public monitoring"),
                "monitoring.MonitoringEvent",
                "date",
                "topic",
                "reports:monitoring_event",
            ),
            PlanRecordKind(
                "draft_review", _("Draft act review"), "monitoring.DraftActReview", "discussion_end", "title"
            ),
            PlanRecordKind(
                "information_request", _("Information request"), "monitoring.InformationRequest", "sent_on", "subject"
            ),
            PlanRecordKind("recommendation", _("Recommendation"), "monitoring.Recommendation", "issued_on", "text"),
        ):
            register_plan_record_kind(kind)

        from .follow import register as register_followables

        # What a citizen can follow by e-mail (core/follow.py).
        register_followables()
