"""The Almaty demo's experts as the 2019 report describes them (`manage.py load_demo`, a step registered in
`CouncilsConfig` for the "almaty" demo, core/demo.py).

The council-activity file carries the three demo experts' appointments (the report names none: «Собеседование
и утверждение кандидатов в эксперты» at the council's meeting of 16 May 2019 approved them). This step gives
them what the registry keeps and the file does not: the areas of their commissions, languages, region, the
registry's steps (candidate, interviewed and approved at that meeting, with its decision), and their part in the
monitoring events and hearings of their commissions from their approval on. Nothing personal is invented beyond
the file's demo names: no CV, no address. Running it again changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from .models import (
    EXPERT_SERVED,
    Council,
    ExpertAppointment,
    ExpertDecision,
    ExpertEngagement,
    ExpertiseArea,
    ExpertStatus,
)
from .plan import plan_record_kinds

# The areas of expertise of each commission the file's demo experts sit on (com-3: entrepreneurship, ecology and
# urban mobility; com-4: social welfare; com-7: legality and law and order).
COMMISSION_AREAS = {
    "com-3": ("ecology", "transport", "business"),
    "com-4": ("social", "education", "health"),
    "com-7": ("law", "anticorruption"),
}
APPROVING_MEETING = "m-council-05"
DECISION = "Собеседование и утверждение кандидатов в эксперты Общественного совета г. Алматы (заседание совета)"
ROLE = "эксперт комиссии"


def _commission_of(data: dict[str, Any], person_key: str) -> str | None:
    for person in data.get("people", []):
        if person.get("key") == person_key:
            bodies = [seat["body"] for seat in person.get("bodies", []) if seat.get("body") in COMMISSION_AREAS]
            return bodies[0] if bodies else None
    return None


def _records_of(data: dict[str, Any], commission: str) -> list[tuple[str, str]]:
    """(kind, key) of the file's monitoring events carried out by the commission and hearings it organised."""
    records = [("monitoring_event", m["key"]) for m in data.get("monitoring", []) if m.get("commission") == commission]
    records += [("hearing", h["key"]) for h in data.get("hearings", []) if h.get("organiser") == commission]
    return records


@transaction.atomic
def load_almaty_experts(*, council: Council, year: int, data: dict[str, Any]) -> None:
    kinds = plan_record_kinds()
    areas = {area.key: area for area in ExpertiseArea.objects.all()}
    appointments = ExpertAppointment.objects.filter(
        council=council, status__in=EXPERT_SERVED, person__key__startswith="p-demo-expert-"
    ).select_related("person")
    for expert in appointments:
        commission = _commission_of(data, expert.person.key)
        if commission is None:
            continue
        # Written once: a second run writes nothing (the file's own fields, the decision among them, stay the
        # import's).
        if not expert.areas.exists():
            expert.areas.add(*[areas[key] for key in COMMISSION_AREAS[commission] if key in areas])
        if not expert.region:
            ExpertAppointment.objects.filter(pk=expert.pk).update(region="Алматы", speaks_ru=True, speaks_kk=True)
        if not expert.decisions.exists():
            approved = expert.start_date
            ExpertDecision.objects.bulk_create(
                [
                    ExpertDecision(
                        appointment=expert,
                        status=ExpertStatus.CANDIDATE,
                        date=approved - dt.timedelta(days=30),
                        text="Кандидатура внесена комиссией",
                    ),
                    ExpertDecision(appointment=expert, status=ExpertStatus.INTERVIEWED, date=approved, text=DECISION),
                    ExpertDecision(appointment=expert, status=ExpertStatus.APPROVED, date=approved, text=DECISION),
                ]
            )
        for kind, key in _records_of(data, commission):
            if kind not in kinds:
                continue
            # Only what the expert could take part in: from the day of approval.
            records = (
                kinds[kind]
                .council_records(council)
                .filter(**{"key": key, f"{kinds[kind].date_path}__gte": expert.start_date})
            )
            record = records.values_list("pk", flat=True).first()
            if record is not None:
                ExpertEngagement.objects.get_or_create(
                    appointment=expert, kind=kind, object_id=record, defaults={"role": ROLE}
                )
