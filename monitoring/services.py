"""Writes of recommendations and information requests, and the daily reminder of what is overdue.

Both kinds of item live the one lifecycle of `monitoring.lifecycle`; the verbs here name it for each kind and add
what only that kind knows (a recommendation's source and the law's send term; a request's addressee).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, TypedDict

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMessage, get_connection
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from core.outbox import OutboxMessage, handler, outbox_enqueue
from councils.models import Council, StateBody
from councils.selectors import council_secretary_emails

from . import lifecycle as lc
from .models import (
    INFORMATION_REQUEST_LIFECYCLE,
    RECOMMENDATION_LIFECYCLE,
    RECOMMENDATION_SOURCES,
    InformationRequest,
    InformationRequestResponse,
    Recommendation,
    RecommendationResponse,
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


@transaction.atomic
def information_request_create(
    *,
    council: Council,
    subject: str,
    text: str,
    state_body: StateBody | None = None,
    organisation: str = "",
    by: User | None,
) -> InformationRequest:
    """A new information request, as a draft, to a state body or an organisation."""
    state_body, organisation = _addressee(state_body, organisation)
    result: InformationRequest = lc.lifecycle_create(
        INFORMATION_REQUEST_LIFECYCLE,
        by=by,
        council=council,
        subject=subject,
        text=text,
        state_body=state_body,
        organisation=organisation,
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
    by: User | None,
) -> InformationRequest:
    """Correct the request. Once sent, its addressee is a matter of record."""
    request = InformationRequest.objects.select_for_update().get(pk=information_request.pk)
    state_body, organisation = _addressee(state_body, organisation)
    if request.status != INFORMATION_REQUEST_LIFECYCLE.draft and (
        state_body != request.state_body or organisation != request.organisation
    ):
        raise ValidationError({"organisation": _("The request was sent: its addressee can no longer change.")})
    request.subject, request.text = subject, text
    request.state_body, request.organisation = state_body, organisation
    request.save()
    return request


@transaction.atomic
def information_request_send(
    *, information_request: InformationRequest, sent_on: dt.date, by: User | None
) -> InformationRequest:
    """Record the sending; the answer is due the council's term in months later."""
    result: InformationRequest = lc.lifecycle_send(
        INFORMATION_REQUEST_LIFECYCLE, item=information_request, sent_on=sent_on, by=by
    )
    return result


@transaction.atomic
def information_request_record_response(
    *,
    information_request: InformationRequest,
    received_on: dt.date,
    text: str,
    document: UploadedFile[bytes] | None = None,
    by: User | None,
) -> InformationRequestResponse:
    result: InformationRequestResponse = lc.lifecycle_record_response(
        INFORMATION_REQUEST_LIFECYCLE,
        item=information_request,
        received_on=received_on,
        text=text,
        document=document,
        by=by,
    )
    return result


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
    *, information_request: InformationRequest, reasons: str, by: User | None
) -> InformationRequest:
    """Extend the term once, by the council's extension (a month by default), for the reasons given."""
    result: InformationRequest = lc.lifecycle_extend(
        INFORMATION_REQUEST_LIFECYCLE, item=information_request, reasons=reasons, by=by
    )
    return result


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
