"""Writes of recommendations and information requests, and the daily reminder of what is overdue.

Both kinds of item live the one lifecycle of `monitoring.lifecycle`; the verbs here name it for each kind and add
what only that kind knows (a recommendation's source and the law's send term; a request's addressee).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, TypedDict

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMessage, get_connection
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.outbox import OutboxMessage, handler, outbox_enqueue
from councils.models import Council, StateBody
from councils.selectors import council_secretary_emails

from . import lifecycle as lc
from .access_rules import AccessRule
from .models import (
    INFORMATION_REQUEST_LIFECYCLE,
    RECOMMENDATION_LIFECYCLE,
    RECOMMENDATION_SOURCES,
    AnswerKind,
    InformationRequest,
    InformationRequestBatch,
    InformationRequestResponse,
    Recommendation,
    RecommendationResponse,
    RefusalGround,
)
from .selectors import information_requests_overdue, recommendation_send_limit, recommendations_overdue

if TYPE_CHECKING:
    from django.contrib.auth.models import User


# ---- Recommendations ---------------------------------------------------------------------------------------


def _check_source(council: Council, source: models.Model | None) -> tuple[ContentType | None, int | None]:
    """The generic reference to `source`, which must be a record of a known kind in the same council."""
    if source is None:
        return None, None
    for kind in RECOMMENDATION_SOURCES.values():
        if isinstance(source, kind.model):
            if not kind.model._default_manager.filter(pk=source.pk, **{kind.council_path: council}).exists():
                raise ValidationError({"source": _("The source belongs to another council.")})
            return ContentType.objects.get_for_model(source), source.pk
    raise ValidationError({"source": _("A recommendation cannot come from this kind of record.")})


class RecommendationInput(TypedDict):
    """`recommendation_create`'s and `recommendation_update`'s keyword arguments after the council or the
    recommendation, and before `by`: what the workspace form fills (`to_data()`)."""

    text: str
    state_body: StateBody | None
    source: models.Model | None
    issued_on: dt.date


class InformationRequestInput(TypedDict):
    """`information_request_create`'s and `information_request_update`'s keyword arguments, as above."""

    subject: str
    text: str
    state_body: StateBody | None
    organisation: str
    rule: str


@transaction.atomic
def recommendation_create(
    *,
    council: Council,
    text: str,
    state_body: StateBody | None,
    source: models.Model | None = None,
    issued_on: dt.date,
    by: User | None,
) -> Recommendation:
    """A new recommendation, as a draft; `issued_on` is the day the control that made it ended."""
    source_type, source_id = _check_source(council, source)
    result: Recommendation = lc.lifecycle_create(
        RECOMMENDATION_LIFECYCLE,
        by=by,
        council=council,
        text=text,
        state_body=state_body,
        source_type=source_type,
        source_id=source_id,
        issued_on=issued_on,
    )
    return result


@transaction.atomic
def recommendation_update(
    *,
    recommendation: Recommendation,
    text: str,
    state_body: StateBody | None,
    source: models.Model | None,
    issued_on: dt.date,
    by: User | None,
) -> Recommendation:
    """Correct what the recommendation says. Once sent, its addressee and date are a matter of record."""
    recommendation = Recommendation.objects.select_for_update().select_related("council").get(pk=recommendation.pk)
    sent = recommendation.status != RECOMMENDATION_LIFECYCLE.draft
    if sent and state_body != recommendation.state_body:
        raise ValidationError({"state_body": _("The recommendation was sent: its addressee can no longer change.")})
    if sent and recommendation.sent_on is not None and issued_on > recommendation.sent_on:
        raise ValidationError({"issued_on": _("The recommendation cannot be issued after it was sent.")})
    recommendation.source_type, recommendation.source_id = _check_source(recommendation.council, source)
    recommendation.text = text
    recommendation.state_body = state_body
    recommendation.issued_on = issued_on
    recommendation.save()
    return recommendation


@transaction.atomic
def recommendation_send(*, recommendation: Recommendation, sent_on: dt.date, by: User | None) -> Recommendation:
    """Record the sending; the answer is due the council's answer term (working days) later.

    Sending after the council's send term (working days after the control ended) is allowed, since the
    recommendation still has to go, but the lateness is written into the history.
    """
    if recommendation.state_body_id is None:
        raise ValidationError(_("Choose the state body the recommendation is addressed to before sending it."))
    if sent_on < recommendation.issued_on:
        raise ValidationError(
            {
                "sent_on": _("It cannot be sent before it was issued (%(date)s).")
                % {"date": recommendation.issued_on.strftime("%d.%m.%Y")}
            }
        )
    limit = recommendation_send_limit(recommendation=recommendation)
    note = ""
    if sent_on > limit:
        note = _("Sent after the term: %(n)s working days after the control ended, that is by %(date)s.") % {
            "n": recommendation.council.recommendation_send_days,
            "date": limit.strftime("%d.%m.%Y"),
        }
    result: Recommendation = lc.lifecycle_send(
        RECOMMENDATION_LIFECYCLE, item=recommendation, sent_on=sent_on, by=by, note=note
    )
    return result


@transaction.atomic
def recommendation_record_response(
    *,
    recommendation: Recommendation,
    received_on: dt.date,
    text: str,
    document: UploadedFile[bytes] | None = None,
    by: User | None,
) -> RecommendationResponse:
    result: RecommendationResponse = lc.lifecycle_record_response(
        RECOMMENDATION_LIFECYCLE, item=recommendation, received_on=received_on, text=text, document=document, by=by
    )
    return result


@transaction.atomic
def recommendation_set_status(
    *, recommendation: Recommendation, status: str, by: User | None, note: str = ""
) -> Recommendation:
    result: Recommendation = lc.lifecycle_set_status(
        RECOMMENDATION_LIFECYCLE, item=recommendation, status=status, by=by, note=note
    )
    return result


# ---- Information requests ----------------------------------------------------------------------------------


def _addressee(state_body: StateBody | None, organisation: str) -> tuple[StateBody | None, str]:
    organisation = organisation.strip()
    if (state_body is None) == (not organisation):
        raise ValidationError(
            {"organisation": _("Name one addressee: a state body from the list, or an organisation by name.")}
        )
    return state_body, organisation


def _rule(rule: str) -> str:
    if rule not in AccessRule.values:
        raise ValidationError({"rule": _("Choose a time limit rule from the list.")})
    return rule


@transaction.atomic
def information_request_create(
    *,
    council: Council,
    subject: str,
    text: str,
    state_body: StateBody | None = None,
    organisation: str = "",
    rule: str = AccessRule.ACCESS_LAW,
    batch: InformationRequestBatch | None = None,
    by: User | None,
) -> InformationRequest:
    """A new information request, as a draft, to a holder on file or an organisation by name, under a time limit
    rule (monitoring/access_rules.py)."""
    state_body, organisation = _addressee(state_body, organisation)
    result: InformationRequest = lc.lifecycle_create(
        INFORMATION_REQUEST_LIFECYCLE,
        by=by,
        council=council,
        subject=subject,
        text=text,
        state_body=state_body,
        organisation=organisation,
        rule=_rule(rule),
        batch=batch,
    )
    return result


@transaction.atomic
def information_request_update(
    *,
    information_request: InformationRequest,
    subject: str,
    text: str,
    state_body: StateBody | None,
    organisation: str,
    rule: str | None = None,
    by: User | None,
) -> InformationRequest:
    """Correct the request. Once sent, its addressee and its rule are a matter of record."""
    request = InformationRequest.objects.select_for_update().get(pk=information_request.pk)
    state_body, organisation = _addressee(state_body, organisation)
    rule = _rule(rule) if rule is not None else request.rule
    sent = request.status != INFORMATION_REQUEST_LIFECYCLE.draft
    if sent and (state_body != request.state_body or organisation != request.organisation):
        raise ValidationError({"organisation": _("The request was sent: its addressee can no longer change.")})
    if sent and rule != request.rule:
        raise ValidationError({"rule": _("The request was sent: its time limit rule can no longer change.")})
    request.subject, request.text, request.rule = subject, text, rule
    request.state_body, request.organisation = state_body, organisation
    request.save()
    return request


@transaction.atomic
def information_request_send(
    *, information_request: InformationRequest, sent_on: dt.date, by: User | None
) -> InformationRequest:
    """Record the sending; the answer is due by the request's rule."""
    result: InformationRequest = lc.lifecycle_send(
        INFORMATION_REQUEST_LIFECYCLE, item=information_request, sent_on=sent_on, by=by
    )
    return result


def _classification(
    kind: str, refusal_ground: str, transferred_to: StateBody | None, transferred_to_name: str
) -> tuple[str, str, StateBody | None, str]:
    """The classification of an answer, checked: a refusal names its ground, a transfer names the new holder, and
    nothing else carries either."""
    if kind and kind not in AnswerKind.values:
        raise ValidationError({"kind": _("Choose how the answer is classified from the list.")})
    if kind == AnswerKind.REFUSED:
        if refusal_ground not in RefusalGround.values:
            raise ValidationError({"refusal_ground": _("A refusal names its legal ground: choose it from the list.")})
    else:
        refusal_ground = ""
    transferred_to_name = transferred_to_name.strip()
    if kind == AnswerKind.TRANSFERRED:
        if transferred_to is None and not transferred_to_name:
            raise ValidationError({"transferred_to": _("Name the holder the request was transferred to.")})
    else:
        transferred_to, transferred_to_name = None, ""
    return kind, refusal_ground, transferred_to, transferred_to_name


def _apply_classification(request: InformationRequest, *, by: User | None, on: dt.date, merge: bool = False) -> None:
    """The request takes the state of its latest classified answer. The change is a step of the history; with
    `merge`, the step just recorded for the answer's arrival says it (one row for one letter)."""
    latest = request.responses.exclude(kind="").order_by("-received_on", "-id").first()
    if latest is None or request.status in INFORMATION_REQUEST_LIFECYCLE.final:
        return
    note = _("Answer classified: %(kind)s.") % {"kind": latest.get_kind_display()}
    step = request.history.order_by("-id").first() if merge else None
    if step is not None:
        step.status, step.note = latest.kind, f"{step.note} {note}".strip()
        step.save(update_fields=["status", "note"])
    elif request.status == latest.kind:
        return
    request.status = latest.kind
    request.save(update_fields=["status"])
    if step is None:
        lc.lifecycle_record(INFORMATION_REQUEST_LIFECYCLE, item=request, status=request.status, by=by, on=on, note=note)


@transaction.atomic
def information_request_record_response(
    *,
    information_request: InformationRequest,
    received_on: dt.date,
    text: str,
    document: UploadedFile[bytes] | None = None,
    kind: str = "",
    refusal_ground: str = "",
    transferred_to: StateBody | None = None,
    transferred_to_name: str = "",
    by: User | None,
) -> InformationRequestResponse:
    """Store an answer and, when classified (answered in full, partially, refused with its ground, not held,
    transferred to whom), move the request to that state."""
    classification = _classification(kind, refusal_ground, transferred_to, transferred_to_name)
    result: InformationRequestResponse = lc.lifecycle_record_response(
        INFORMATION_REQUEST_LIFECYCLE,
        item=information_request,
        received_on=received_on,
        text=text,
        document=document,
        by=by,
    )
    result.kind, result.refusal_ground, result.transferred_to, result.transferred_to_name = classification
    result.save(update_fields=["kind", "refusal_ground", "transferred_to", "transferred_to_name"])
    if kind:
        request = InformationRequest.objects.get(pk=result.information_request_id)
        _apply_classification(request, by=by, on=received_on, merge=True)
    return result


@transaction.atomic
def information_request_classify_answer(
    *,
    information_request: InformationRequest,
    answer: InformationRequestResponse | int,
    kind: str,
    refusal_ground: str = "",
    transferred_to: StateBody | None = None,
    transferred_to_name: str = "",
    by: User | None,
) -> InformationRequestResponse:
    """A council member classifies (or reclassifies) an answer on file; the request takes the state of its latest
    classified answer."""
    request = InformationRequest.objects.select_for_update().get(pk=information_request.pk)
    answer_id = answer if isinstance(answer, int) else answer.pk
    found = request.responses.filter(pk=answer_id).first()
    if found is None:
        raise ValidationError({"answer": _("Choose an answer of this request.")})
    if not kind:
        raise ValidationError({"kind": _("Choose how the answer is classified from the list.")})
    if request.status in INFORMATION_REQUEST_LIFECYCLE.final:
        raise ValidationError(
            _("The request is «%(status)s»: its answers can no longer be classified.")
            % {"status": request.get_status_display()}
        )
    found.kind, found.refusal_ground, found.transferred_to, found.transferred_to_name = _classification(
        kind, refusal_ground, transferred_to, transferred_to_name
    )
    found.save(update_fields=["kind", "refusal_ground", "transferred_to", "transferred_to_name"])
    _apply_classification(request, by=by, on=timezone.localdate())
    return found


@transaction.atomic
def information_request_set_status(
    *, information_request: InformationRequest, status: str, by: User | None, note: str = ""
) -> InformationRequest:
    result: InformationRequest = lc.lifecycle_set_status(
        INFORMATION_REQUEST_LIFECYCLE, item=information_request, status=status, by=by, note=note
    )
    return result


@transaction.atomic
def information_request_extend(
    *,
    information_request: InformationRequest,
    reasons: str,
    notice_on: dt.date | None = None,
    by: User | None,
) -> InformationRequest:
    """The holder extended the term (once), by the rule's extension, for the reasons its notice gives;
    `notice_on` is the day the notice arrived."""
    if notice_on is not None:
        if information_request.sent_on is not None and notice_on < information_request.sent_on:
            raise ValidationError({"notice_on": _("The notice cannot arrive before the request was sent.")})
        if notice_on > timezone.localdate():
            raise ValidationError({"notice_on": _("The date cannot be in the future.")})
    result: InformationRequest = lc.lifecycle_extend(
        INFORMATION_REQUEST_LIFECYCLE, item=information_request, reasons=reasons, by=by, on=notice_on
    )
    if notice_on is not None:
        result.extension_notice_on = notice_on
        result.save(update_fields=["extension_notice_on"])
    return result


# ---- Batch requests ----------------------------------------------------------------------------------------


@transaction.atomic
def information_request_batch_create(
    *,
    council: Council,
    subject: str,
    text: str,
    state_bodies: Sequence[StateBody] = (),
    organisations: Sequence[str] = (),
    rule: str = AccessRule.ACCESS_LAW,
    by: User | None,
) -> InformationRequestBatch:
    """One request to several holders at once: a draft request per recipient (each tracked on its own), and the
    batch that has one page. At least two recipients, each named once."""
    names = [name.strip() for name in organisations if name.strip()]
    bodies = list(dict.fromkeys(state_bodies))
    if len(set(names)) != len(names):
        raise ValidationError({"organisations": _("Name each organisation once.")})
    if len(bodies) + len(names) < 2:
        raise ValidationError(
            {"state_bodies": _("A batch goes to two recipients at least; for one, write a single request.")}
        )
    if not subject.strip():
        raise ValidationError({"subject": _("Give the subject of the request.")})
    batch = InformationRequestBatch.objects.create(
        council=council, key=f"batch-{uuid.uuid4().hex[:12]}", subject=subject, text=text
    )
    rule = _rule(rule)
    for body in bodies:
        information_request_create(
            council=council, subject=subject, text=text, state_body=body, rule=rule, batch=batch, by=by
        )
    for name in names:
        information_request_create(
            council=council, subject=subject, text=text, organisation=name, rule=rule, batch=batch, by=by
        )
    return batch


@transaction.atomic
def information_request_batch_send(
    *, batch: InformationRequestBatch, sent_on: dt.date, by: User | None
) -> list[InformationRequest]:
    """Record the sending of every request of the batch still a draft, on one day. Returns those sent."""
    drafts = list(batch.requests.filter(status=INFORMATION_REQUEST_LIFECYCLE.draft).order_by("id"))
    if not drafts:
        raise ValidationError(_("Every request of this batch was already sent."))
    return [information_request_send(information_request=r, sent_on=sent_on, by=by) for r in drafts]


# ---- After a change of the holiday calendar ----------------------------------------------------------------


def tracked_recompute_deadlines() -> int:
    """Recompute the response dates of every recommendation and request still awaiting an answer."""
    return sum(
        lc.lifecycle_recompute_due(lifecycle) for lifecycle in (RECOMMENDATION_LIFECYCLE, INFORMATION_REQUEST_LIFECYCLE)
    )


def on_calendar_changed(sender: object, **kwargs: object) -> None:
    """Receiver of `core.signals.calendar_changed`: recompute once the calendar change is committed."""
    transaction.on_commit(tracked_recompute_deadlines)


# ---- The daily reminder ------------------------------------------------------------------------------------
# The beat task queues one reminder per council and day through the transactional outbox, not by sending mail
# inside the task: an SMTP failure then leaves the outbox row pending for `outbox_flush` to retry (instead of the
# reminder being lost until tomorrow), and the row records that the day's reminder was queued, so a second run on
# the same day (beat restarted, a task delivered twice) queues nothing.

REMINDER_TARGET = "monitoring.send_overdue_reminder"


@transaction.atomic
def overdue_reminder_queue(*, council_id: int, day: dt.date) -> bool:
    """Queue the day's overdue reminder for one council, at most once a day. Returns whether one was queued."""
    council = Council.objects.select_for_update().get(pk=council_id)
    already = OutboxMessage.objects.filter(
        target=REMINDER_TARGET, kwargs__council_id=council.pk, kwargs__day=day.isoformat()
    )
    if already.exists() or not council_secretary_emails(council=council):
        return False
    anything = (
        recommendations_overdue(council=council, as_of=day).exists()
        or information_requests_overdue(council=council, as_of=day).exists()
    )
    if not anything:
        return False
    outbox_enqueue(handler=REMINDER_TARGET, kwargs={"council_id": council.pk, "day": day.isoformat()})
    return True


def _absolute(name: str, **kwargs: object) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return settings.SITE_URL.rstrip("/") + reverse(name, kwargs=kwargs)


@handler(REMINDER_TARGET)
def overdue_reminder_send(*, council_id: int, day: str) -> int:
    """The outbox handler: list what is overdue now and mail it to each secretary. Returns the mails sent.

    Built when sent, so a reminder delayed by an outage lists what is still overdue.
    """
    council = Council.objects.get(pk=council_id)
    today = dt.date.fromisoformat(day)
    recommendations = list(recommendations_overdue(council=council, as_of=today))
    requests = list(information_requests_overdue(council=council, as_of=today))
    recipients = council_secretary_emails(council=council)
    if not recipients or not (recommendations or requests):
        return 0
    slug = council.slug
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "council": council,
            "day": today,
            "recommendations": [
                (r, _absolute("monitoring_ws:recommendation_detail", slug=slug, pk=r.pk)) for r in recommendations
            ],
            "requests": [(r, _absolute("monitoring_ws:request_detail", slug=slug, pk=r.pk)) for r in requests],
            "total": len(recommendations) + len(requests),
            "list_url": _absolute("monitoring_ws:recommendations", slug=slug) + "?overdue=1",
        }
        subject = render_to_string("workspace/recommendations/email/overdue_subject.txt", context).strip()
        body = render_to_string("workspace/recommendations/email/overdue_body.txt", context)
    # One message per secretary, so that nobody's address is shown to the others.
    messages = [EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [to]) for to in recipients]
    return get_connection().send_messages(messages) or 0
