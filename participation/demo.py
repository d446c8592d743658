"""The demo Aarhus centre's EIA public hearing (`manage.py load_demo_aarhus`, core/demo.py): the project and its
operator, the notice and the comment window (checked against the EIA rule, participation/rules.py), the documents
put to the public, the registrations to attend and the written comments, moderated (two kept off the portal, with
the reason) and answered with the council's decision: taken into account, partly, or not with the reason, published
with the record. The data is the demo file's `eia_hearing` (demo/zhaik_caspian_2019.json).

Comments go through the services on the day they were sent (the window is checked on that day); the times the
services stamp as "now" are then set to the demo's days, so the year's figures count them in the demo year. The
registrants are demo people (demo-participant-N@example.org), created without the confirmation mail, and their
record counts as sent: the loader sends no mail. The hearing's comments, registrations and documents are replaced
whole on every run."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from councils.models import Council
from hearings.models import HearingKind, PublicHearing

from . import services
from .models import CommentStatus, HearingDocument, HearingRegistration, PublicComment


def _date(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def _at(day: dt.date, hour: int = 11) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _registrations(hearing: PublicHearing, spec: dict[str, Any], record_sent: dt.datetime) -> None:
    first, last = _date(spec["first"]), _date(spec["last"])
    span = max((last - first).days, 1)
    organisations = spec["organisations"]
    for n in range(spec["count"]):
        day = first + dt.timedelta(days=span * n // max(spec["count"] - 1, 1))
        registration = HearingRegistration.objects.create(
            hearing=hearing,
            name=f"Участник слушаний {n + 1} (демо)",
            email=f"demo-participant-{n + 1}@example.org",
            organisation=organisations[n % len(organisations)],
            language="kk" if n % 3 == 2 else "ru",
            personal_data_consent=True,
            token=secrets.token_urlsafe(32),
        )
        HearingRegistration.objects.filter(pk=registration.pk).update(created_at=_at(day), record_sent_at=record_sent)


def _comment(hearing: PublicHearing, n: int, item: dict[str, Any], answered: dt.datetime) -> None:
    submitted = _date(item["submitted"])
    comment = services.comment_submit(
        target=hearing,
        data=services.CommentData(
            name=f"Автор замечания {n} (демо)",
            email=f"demo-commenter-{n}@example.org",
            text=item["text"],
            kind=item["kind"],
            pseudonym=item["pseudonym"],
            language=item["language"],
            personal_data_consent=True,
        ),
        today=submitted,
    )
    publish = item["status"] == CommentStatus.PUBLISHED
    comment = services.comment_moderate(
        comment=comment, publish=publish, user=None, reason=item.get("rejection_reason", "")
    )
    stamps: dict[str, Any] = {"submitted_at": _at(submitted), "moderated_at": _at(submitted + dt.timedelta(days=2))}
    if publish and item.get("outcome"):
        services.comment_answer(comment=comment, outcome=item["outcome"], answer=item["answer"])
        stamps["answered_at"] = answered
    PublicComment.objects.filter(pk=comment.pk).update(**stamps)


@transaction.atomic
def load_demo_eia_hearing(*, council: Council, year: int, data: dict[str, Any]) -> None:
    spec = data.get("eia_hearing")
    if not spec:
        return
    hearing, _created = PublicHearing.objects.update_or_create(
        council=council,
        key=f"demo-{spec['key']}",
        defaults={
            "number": spec["number"],
            "topic": spec["topic"],
            "date": _date(spec["date"]),
            "participants": spec["participants"],
            "resolution": spec["resolution"],
            "record_published_on": None,
            "is_demo": True,
        },
    )
    PublicComment.objects.filter(hearing=hearing).delete()
    HearingRegistration.objects.filter(hearing=hearing).delete()
    HearingDocument.objects.filter(hearing=hearing).delete()
    hearing = services.hearing_consultation_update(
        hearing=hearing,
        data=services.ConsultationData(
            kind=HearingKind.EIA,
            project=spec["project"],
            operator=spec["operator"],
            notice_date=_date(spec["notice_date"]),
            comments_open=_date(spec["comments_open"]),
            comments_close=_date(spec["comments_close"]),
        ),
    )
    for document in spec["documents"]:
        services.hearing_document_add(hearing=hearing, title=document["title"], url=document["url"])
    record_day = _date(spec["record_published_on"])
    HearingDocument.objects.filter(hearing=hearing).update(added_at=_at(_date(spec["notice_date"])))
    _registrations(hearing, spec["registrations"], _at(record_day, 15))
    answered = _at(record_day - dt.timedelta(days=5))
    for n, item in enumerate(spec["comments"], 1):
        _comment(hearing, n, item, answered)
    # The record is out (every published comment answered); its mails count as sent, so the loader sends none.
    PublicHearing.objects.filter(pk=hearing.pk).update(record_published_on=record_day)
