"""Which records keep an audit trail, and how each one finds its council.

django-simple-history (settings: why) writes a snapshot row with the user and the time for every save and delete
through the ORM. The models are registered here, once, from `CouncilsConfig.ready`, by their labels: the councils
app does not import the other apps. Each historical model lives in its own app (its migrations are there) and is
reached as `Model.audit_history` (not the library's default `history`: recommendations already use that name for
their status history).

Status-change rows (`*StatusChange`) are not registered: they are an append-only history themselves.
Bulk writes (`bulk_create`, `QuerySet.update`, the council-activity importer) leave no trail, by the library's
design: the importer's runs are recorded by the file it imported.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db.models import Model

HISTORY_MANAGER = "audit_history"


@dataclass(frozen=True)
class Audited:
    label: str  # "app_label.ModelName"
    council_path: str | None  # lookup from the record to its council; None: shared by all councils
    excluded_fields: tuple[str, ...] = ()

    @property
    def model(self) -> type[Model]:
        return apps.get_model(self.label)


AUDITED: tuple[Audited, ...] = (
    Audited("councils.Council", "id"),
    Audited("councils.Convocation", "council"),
    Audited("councils.Body", "council"),
    Audited("councils.Person", "council"),
    Audited("councils.Membership", "convocation__council"),
    Audited("councils.BodyMembership", "body__council"),
    Audited("councils.Partner", "council"),
    Audited("councils.Memorandum", "council"),
    Audited("councils.WorkPlanItem", "council"),
    Audited("councils.ConsultativeSeat", "council"),
    Audited("councils.ExpertAppointment", "council"),
    Audited("councils.CouncilStaff", "council"),
    Audited("councils.StateBody", None),
    Audited("hearings.Meeting", "council"),
    Audited("hearings.AgendaItem", "meeting__council"),
    Audited("hearings.PublicHearing", "council"),
    Audited("monitoring.MonitoringEvent", "council"),
    Audited("monitoring.MonitoringParticipant", "event__council"),
    Audited("monitoring.PublicityLink", "event__council"),
    Audited("monitoring.DraftActReview", "council"),
    Audited("monitoring.Recommendation", "council"),
    Audited("monitoring.RecommendationResponse", "recommendation__council"),
    Audited("monitoring.InformationRequest", "council"),
    Audited("monitoring.InformationRequestResponse", "information_request__council"),
    # The tracking secret and the form's submission key are credentials, not data: never copied.
    Audited(
        "appeals.Appeal",
        "council",
        # The token and key are credentials; the generated columns are kept by the database from the others.
        excluded_fields=("tracking_token", "submission_key", "search_document", "inbox_rank", "open_deadline"),
    ),
)


def register_history() -> None:
    """Give every audited model its historical twin (idempotent: a second call does nothing)."""
    import simple_history

    for audited in AUDITED:
        model = audited.model
        if hasattr(model, HISTORY_MANAGER):
            continue
        simple_history.register(
            model, manager_name=HISTORY_MANAGER, excluded_fields=list(audited.excluded_fields) or None
        )


def history_model(audited: Audited) -> type[Model]:
    return getattr(audited.model, HISTORY_MANAGER).model
