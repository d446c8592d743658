"""The alert digest: what changed for a subscription's council or state body since its last digest.

"Since" is a cursor, not a date: the highest id of each kind of record the last digest covered (and the
published reports it announced). A record entered late, with an old date, is therefore still new to the next
digest, and a digest never repeats a record. What counts as a change:

1. recommendations sent (a recommendation new since the cursor, or one whose sending was recorded since);
2. answers received from state bodies;
3. meetings: recorded since (held or scheduled), and meetings scheduled earlier whose date has now come;
4. public monitoring events recorded since;
5. annual reports published since (a council's subscription only);
6. information requests sent (to the state body, for its subscribers) and the answers to them.

Only what the open API shows is told (the same public querysets: no drafts, no unpublished council), and a
meeting only as the public may know it (`hearings.selectors.public_meeting`: a closed meeting by its date, kind
and body; it is never told to the subscribers of a state body, since that would tell what its agenda concerned). Nothing
changed: nothing is sent and nothing is written. The mail goes through the outbox (core/outbox.py) with the ids
of what it tells; it is rendered when sent, so a subscriber who unsubscribed in between gets nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from core.outbox import handler, outbox_enqueue
from hearings.models import Meeting
from hearings.open_api import public_meetings
from hearings.selectors import PublicMeeting, public_agenda_items, public_meeting
from monitoring.models import (
    InformationRequest,
    InformationRequestResponse,
    InformationRequestStatus,
    InformationRequestStatusChange,
    MonitoringEvent,
    Recommendation,
    RecommendationResponse,
    RecommendationStatus,
    RecommendationStatusChange,
)
from monitoring.open_api import public_monitoring_events, public_recommendations
from monitoring.selectors import public_information_requests
from reports.models import ReportBuild
from reports.open_api import public_reports

from .models import Frequency, Subscription
from .services import unsubscribe_url

MAIL_TARGET = "alerts.send_digest"
# A digest is not sent twice within this many days (a beat restarted, a task re-delivered, a manual run).
MIN_DAYS_BETWEEN = {Frequency.DAILY: 1, Frequency.WEEKLY: 6}
ID_MODELS = {
    "recommendation": Recommendation,
    "status_change": RecommendationStatusChange,
    "response": RecommendationResponse,
    "meeting": Meeting,
    "monitoring": MonitoringEvent,
    "request": InformationRequest,
    "request_status_change": InformationRequestStatusChange,
    "request_response": InformationRequestResponse,
}


def _reports_of(subscription: Subscription) -> QuerySet[ReportBuild]:
    if not subscription.council_id:
        return ReportBuild.objects.none()
    return public_reports().filter(council_id=subscription.council_id)


def cursor_now(subscription: Subscription, *, today: dt.date) -> dict[str, Any]:
    """The cursor of "everything up to now": what a fresh subscription starts from (six queries)."""
    cursor: dict[str, Any] = {
        kind: model.objects.aggregate(top=Max("id"))["top"] or 0 for kind, model in ID_MODELS.items()
    }
    cursor["reports"] = sorted(_reports_of(subscription).values_list("id", flat=True))
    cursor["day"] = today.isoformat()
    return cursor


@dataclass
class Changes:
    sent: list[Recommendation] = field(default_factory=list)
    responses: list[RecommendationResponse] = field(default_factory=list)
    held: list[PublicMeeting] = field(default_factory=list)
    scheduled: list[PublicMeeting] = field(default_factory=list)
    monitoring: list[MonitoringEvent] = field(default_factory=list)
    reports: list[ReportBuild] = field(default_factory=list)
    requests: list[InformationRequest] = field(default_factory=list)
    request_answers: list[InformationRequestResponse] = field(default_factory=list)

    SECTIONS = ("sent", "responses", "held", "scheduled", "monitoring", "reports", "requests", "request_answers")

    def __bool__(self) -> bool:
        return any(getattr(self, name) for name in self.SECTIONS)

    def ids(self) -> dict[str, list[int]]:
        return {name: [item.pk for item in getattr(self, name)] for name in self.SECTIONS}

    @property
    def count(self) -> int:
        return sum(len(getattr(self, name)) for name in self.SECTIONS)


def _recommendations(subscription: Subscription) -> QuerySet[Recommendation]:
    qs = public_recommendations()
    if subscription.council_id:
        return qs.filter(council_id=subscription.council_id)
    return qs.filter(state_body_id=subscription.state_body_id)


def _meetings(subscription: Subscription) -> QuerySet[Meeting]:
    qs = public_meetings()
    if subscription.council_id:
        return qs.filter(council_id=subscription.council_id)
    return qs.filter(
        Exists(public_agenda_items().filter(meeting=OuterRef("pk"), state_body_id=subscription.state_body_id))
    )


def _monitoring(subscription: Subscription) -> QuerySet[MonitoringEvent]:
    if not subscription.council_id:
        return MonitoringEvent.objects.none()  # an event names no state body
    return public_monitoring_events().filter(council_id=subscription.council_id)


def _requests(subscription: Subscription) -> QuerySet[InformationRequest]:
    qs = public_information_requests()
    if subscription.council_id:
        return qs.filter(council_id=subscription.council_id)
    return qs.filter(state_body_id=subscription.state_body_id)


def _request_answers(requests: QuerySet[InformationRequest]) -> QuerySet[InformationRequestResponse]:
    return (
        InformationRequestResponse.objects.filter(information_request__in=requests.values("id"))
        .select_related("information_request__council", "information_request__state_body")
        .order_by("received_on", "id")
    )


def _responses(recommendations: QuerySet[Recommendation]) -> QuerySet[RecommendationResponse]:
    return (
        RecommendationResponse.objects.filter(recommendation__in=recommendations.values("id"))
        .select_related("recommendation__council", "recommendation__state_body")
        .order_by("received_on", "id")
    )


def _window(kind: str, old: dict[str, Any], new: dict[str, Any], prefix: str = "") -> Q:
    return Q(**{f"{prefix}id__gt": old.get(kind, 0), f"{prefix}id__lte": new[kind]})


def collect_changes(subscription: Subscription, *, new: dict[str, Any], today: dt.date) -> Changes:
    """What happened between the subscription's cursor and `new` (about seven queries)."""
    old = subscription.cursor or new
    recommendations = _recommendations(subscription)
    sent_since = RecommendationStatusChange.objects.filter(
        _window("status_change", old, new), recommendation=OuterRef("pk"), status=RecommendationStatus.SENT
    )
    meetings = _meetings(subscription)
    new_meetings = [public_meeting(m) for m in meetings.filter(_window("meeting", old, new)).order_by("date", "id")]
    since_day = dt.date.fromisoformat(old.get("day") or today.isoformat())
    came = meetings.filter(id__lte=old.get("meeting", 0), date__gt=since_day, date__lte=today).order_by("date", "id")
    announced = set(old.get("reports", []))
    requests = _requests(subscription)
    request_sent_since = InformationRequestStatusChange.objects.filter(
        _window("request_status_change", old, new),
        information_request=OuterRef("pk"),
        status=InformationRequestStatus.SENT,
    )
    return Changes(
        requests=list(
            requests.filter(_window("request", old, new) | Exists(request_sent_since))
            .select_related("state_body", "council")
            .order_by("sent_on", "id")
        ),
        request_answers=list(_request_answers(requests).filter(_window("request_response", old, new))),
        sent=list(
            recommendations.filter(_window("recommendation", old, new) | Exists(sent_since)).order_by("sent_on", "id")
        ),
        responses=list(_responses(recommendations).filter(_window("response", old, new))),
        held=[m for m in new_meetings if m.date <= today] + [public_meeting(m) for m in came],
        scheduled=[m for m in new_meetings if m.date > today],
        monitoring=list(_monitoring(subscription).filter(_window("monitoring", old, new)).order_by("date", "id")),
        reports=[r for r in _reports_of(subscription) if r.pk in set(new["reports"]) - announced],
    )


def _due(subscription: Subscription, today: dt.date) -> bool:
    last = subscription.last_digest_on
    return last is None or (today - last).days >= MIN_DAYS_BETWEEN[subscription.frequency]


@transaction.atomic
def subscription_digest_queue(*, subscription_id: int, today: dt.date | None = None) -> bool:
    """Queue one subscriber's digest if anything changed; returns whether one was queued.

    1. The subscription row is locked, so two runs at once queue one digest; a digest sent within the
       frequency's period stops the run (re-runs are harmless).
    2. The changes between the cursor and now are collected; none: nothing is written.
    3. The cursor moves to now and the mail is queued in the same transaction.
    """
    today = today or timezone.localdate()
    subscription = Subscription.objects.select_for_update().filter(pk=subscription_id).first()
    if subscription is None or subscription.confirmed_at is None or subscription.item_field:
        return False  # a followed item's news are alerts/follow.py's
    if not _due(subscription, today):
        return False
    new = cursor_now(subscription, today=today)
    changes = collect_changes(subscription, new=new, today=today)
    if not changes:
        return False
    since = (subscription.cursor or {}).get("day") or today.isoformat()
    subscription.cursor = new
    subscription.last_digest_on = today
    subscription.save(update_fields=["cursor", "last_digest_on"])
    outbox_enqueue(
        handler=MAIL_TARGET,
        kwargs={
            "subscription_id": subscription.pk,
            "items": changes.ids(),
            "since": since,
            "until": today.isoformat(),
        },
    )
    return True


def changes_from_ids(subscription: Subscription, items: dict[str, list[int]]) -> Changes:
    """The changes a queued digest names, read again through the public querysets (so what became private in
    between is left out)."""
    recommendations = _recommendations(subscription)
    meetings = _meetings(subscription)
    requests = _requests(subscription)
    return Changes(
        requests=list(
            requests.filter(id__in=items.get("requests", []))
            .select_related("state_body", "council")
            .order_by("sent_on", "id")
        ),
        request_answers=list(_request_answers(requests).filter(id__in=items.get("request_answers", []))),
        sent=list(recommendations.filter(id__in=items.get("sent", [])).order_by("sent_on", "id")),
        responses=list(_responses(recommendations).filter(id__in=items.get("responses", []))),
        held=[public_meeting(m) for m in meetings.filter(id__in=items.get("held", [])).order_by("date", "id")],
        scheduled=[
            public_meeting(m) for m in meetings.filter(id__in=items.get("scheduled", [])).order_by("date", "id")
        ],
        monitoring=list(_monitoring(subscription).filter(id__in=items.get("monitoring", [])).order_by("date", "id")),
        reports=list(_reports_of(subscription).filter(id__in=items.get("reports", []))),
    )


def _site(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


@handler(MAIL_TARGET)
def send_digest_mail(*, subscription_id: int, items: dict[str, list[int]], since: str, until: str) -> int:
    """The outbox handler: render the digest in the subscriber's language and send it. Returns mails sent."""
    subscription = (
        Subscription.objects.select_related("council", "state_body")
        .filter(pk=subscription_id, confirmed_at__isnull=False)
        .first()
    )
    if subscription is None:
        return 0  # unsubscribed since the digest was queued
    changes = changes_from_ids(subscription, items)
    if not changes:
        return 0
    link = unsubscribe_url(subscription)
    with translation.override(subscription.language):
        council_url = (
            _site(reverse("reports:council", kwargs={"slug": subscription.council.slug}))
            if subscription.council_id
            else ""
        )
        context = {
            "subscription": subscription,
            "target": subscription.target,
            "changes": changes,
            "since": dt.date.fromisoformat(since),
            "until": dt.date.fromisoformat(until),
            "council_url": council_url,
            "reports": [(r, _site(reverse("report_builds:build-download", args=[r.pk]))) for r in changes.reports],
            "unsubscribe_url": link,
        }
        subject = render_to_string("alerts/email/digest_subject.txt", context).strip()
        body = render_to_string("alerts/email/digest_body.txt", context)
    mail = EmailMessage(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [subscription.email],
        headers={
            # RFC 2369 and RFC 8058: mail programs show an "Unsubscribe" button that POSTs to the link.
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    return get_connection().send_messages([mail]) or 0
