"""`{% engaged_experts council "hearing" hearing.pk %}`: the experts who took part in a record, on its public page,
by name only while they consent to be published (councils/expert_selectors.py). A tag, so that the pages of the
apps above (hearings, monitoring, participation) show them without this app importing theirs."""

from __future__ import annotations

from typing import Any

from django import template

from councils.expert_selectors import public_engaged_experts
from councils.models import Council

register = template.Library()


@register.inclusion_tag("councils/_engaged_experts.html")
def engaged_experts(council: Council, kind: str, object_id: int) -> dict[str, Any]:
    return {"experts": public_engaged_experts(council_id=council.pk, kind=kind, object_id=object_id)}
