"""The legal minimums of public participation, as data: one row per kind of hearing (hearings.HearingKind).

The draft review's minimum is monitoring's (`monitoring.event_services.discussion_min_days`, a setting); a
hearing's is here, with its source, and `docs/public-participation.md` states how far the source was verified.
"""

from __future__ import annotations

from dataclasses import dataclass

from hearings.models import HearingKind


@dataclass(frozen=True)
class HearingRule:
    kind: str
    # The notice is published at least this many working days before the hearing (0: no minimum).
    notice_working_days: int
    # Where the minimum comes from; shown to the organiser beside the error and in the docs.
    source: str


RULES: dict[str, HearingRule] = {
    HearingKind.GENERAL: HearingRule(kind=HearingKind.GENERAL, notice_working_days=0, source=""),
    HearingKind.EIA: HearingRule(
        kind=HearingKind.EIA,
        notice_working_days=20,
        source=(
            "Экологический кодекс РК № 400-VI от 02.01.2021, ст. 73; Правила проведения общественных слушаний "
            "(приказ и.о. Министра экологии, геологии и природных ресурсов РК от 03.08.2021 № 286)"
        ),
    ),
}


def rule_for(kind: str) -> HearingRule:
    return RULES.get(kind, RULES[HearingKind.GENERAL])
