"""The demo Aarhus centre's information requests (`manage.py load_demo_aarhus`, core/demo.py): a year of requests
to the region's akimats, the ecology department, the hydrometeorological service and two extractive operators,
answered in full, partially, refused with the ground, not held, transferred, extended, overdue and still
awaiting, and a batch to the district akimats. The data is the demo file's `information_requests`
(demo/zhaik_caspian_2019.json).

Every step goes through the services with its own date, so each request's history (and so the year's figures,
read as of 31 December) is what the dates say. The demo requests are replaced whole on every run: running the
loader again gives the same records."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from councils.models import Council, StateBody

from . import services
from .models import InformationRequest, InformationRequestBatch

DEMO_PREFIX = "demo-"


def _date(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def _holders(spec: list[dict[str, Any]]) -> dict[str, StateBody]:
    holders = {}
    for item in spec:
        names = {f"name_{language}": text for language, text in item["name"].items()}
        holders[item["slug"]], _created = StateBody.objects.update_or_create(
            slug=item["slug"],
            defaults={"kind": item["kind"], "city": item["city"], "name": item["name"]["ru"], **names},
        )
    return holders


def _answer(request: InformationRequest, answer: dict[str, Any]) -> None:
    services.information_request_record_response(
        information_request=request,
        received_on=_date(answer["received_on"]),
        text=answer["text"],
        kind=answer["kind"],
        refusal_ground=answer.get("refusal_ground", ""),
        transferred_to_name=answer.get("transferred_to_name", ""),
        by=None,
    )


def _mark(request: InformationRequest, key: str, sent_on: dt.date) -> None:
    """Demo, under a stable key, created on the day it was sent (not the day the loader ran)."""
    created = timezone.make_aware(dt.datetime.combine(sent_on, dt.time(10, 0)))
    InformationRequest.objects.filter(pk=request.pk).update(key=key[:64], is_demo=True, created_at=created)


@transaction.atomic
def load_demo_requests(*, council: Council, year: int, data: dict[str, Any]) -> None:
    spec = data.get("information_requests")
    if not spec:
        return
    InformationRequest.objects.filter(council=council, is_demo=True).delete()
    InformationRequestBatch.objects.filter(council=council, key__startswith=DEMO_PREFIX).delete()
    holders = _holders(spec["holders"])

    for item in spec["requests"]:
        request = services.information_request_create(
            council=council,
            subject=item["subject"],
            text=item["text"],
            state_body=holders[item["holder"]],
            rule=item["rule"],
            by=None,
        )
        sent_on = _date(item["sent_on"])
        request = services.information_request_send(information_request=request, sent_on=sent_on, by=None)
        if extension := item.get("extension"):
            request = services.information_request_extend(
                information_request=request,
                reasons=extension["reasons"],
                notice_on=_date(extension["notice_on"]),
                by=None,
            )
        for answer in item["answers"]:
            _answer(request, answer)
        _mark(request, f"{DEMO_PREFIX}{item['key']}", sent_on)

    batch_spec = spec["batch"]
    bodies = [holder for slug, holder in holders.items() if slug.endswith("-district-akimat")]
    batch = services.information_request_batch_create(
        council=council,
        subject=batch_spec["subject"],
        text=batch_spec["text"],
        state_bodies=bodies,
        rule=batch_spec["rule"],
        by=None,
    )
    InformationRequestBatch.objects.filter(pk=batch.pk).update(key=f"{DEMO_PREFIX}{batch_spec['key']}")
    sent_on = _date(batch_spec["sent_on"])
    for request in services.information_request_batch_send(batch=batch, sent_on=sent_on, by=None):
        slug = request.state_body.slug if request.state_body else ""
        if answer := batch_spec["answers"].get(slug):
            _answer(request, answer)
        _mark(request, f"{DEMO_PREFIX}{batch_spec['key']}-{slug}", sent_on)
