"""Writes on public monitoring events (with participants and publicity links) and draft-act reviews.

Keyword-only, typed, one transaction each; a rule the data must keep is a ValidationError keyed by the form field
it concerns, so that the page shows it beside that field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, fields

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from councils.member_services import unique_key
from councils.models import Body, BodyKind, Council, Person, StateBody

from .models import (
    DatePrecision,
    DraftActReview,
    DraftConclusion,
    LinkKind,
    MonitoringEvent,
    MonitoringParticipant,
    ParticipantKind,
    PublicityLink,
)

_http_url = URLValidator(schemes=["http", "https"])


# ---- monitoring events -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonitoringEventData:
    """What the workspace page edits, named as the model's columns: the form takes its fields from here."""

    topic: str
    date: dt.date
    date_precision: str = DatePrecision.DAY
    commission: Body | None = None
    findings: str = ""
    recommendations_summary: str = ""
    publicity_note: str = ""
    results: str = ""


@dataclass(frozen=True)
class ParticipantData:
    """A council member or expert on file (`person`), or an outside participant by `name`."""

    kind: str
    person: Person | None = None
    name: str = ""


@dataclass(frozen=True)
class LinkData:
    url: str
    kind: str = LinkKind.OTHER


def _check_event(
    council: Council,
    data: MonitoringEventData,
    participants: Sequence[ParticipantData],
    links: Sequence[LinkData],
) -> None:
    if not data.topic.strip():
        raise ValidationError({"topic": _("Enter the topic.")})
    if data.date_precision not in DatePrecision.values:
        raise ValidationError({"date_precision": _("Choose how precise the date is.")})
    if data.commission is not None:
        if data.commission.council_id != council.id:
            raise ValidationError({"commission": _("This record belongs to another council.")})
        if data.commission.kind == BodyKind.PRESIDIUM:
            raise ValidationError({"commission": _("Choose a commission or a working group.")})
    for number, participant in enumerate(participants, 1):
        if participant.kind not in ParticipantKind.values:
            raise ValidationError(_("Participant %(n)s: choose a kind.") % {"n": number})
        if participant.person is None and not participant.name.strip():
            raise ValidationError(_("Participant %(n)s: choose a person on file or enter a name.") % {"n": number})
        if participant.person is not None and participant.person.council_id != council.id:
            raise ValidationError(_("Participant %(n)s belongs to another council.") % {"n": number})
    for link in links:
        try:
            _http_url(link.url)
        except ValidationError:
            raise ValidationError(
                _("«%(link)s» is not a web address (http:// or https://).") % {"link": link.url[:200]}
            ) from None
        if link.kind not in LinkKind.values:
            raise ValidationError(_("Choose a kind for the link %(link)s.") % {"link": link.url[:200]})


def _apply_event(event: MonitoringEvent, data: MonitoringEventData) -> None:
    """Every column the input names is the event's column of that name; the rules below adjust a few."""
    for column in fields(data):
        setattr(event, column.name, getattr(data, column.name))
    event.topic = data.topic.strip()
    # A month-only date is stored as the month's first day, so that sorting and the report's months agree.
    event.date = data.date.replace(day=1) if data.date_precision == DatePrecision.MONTH else data.date


def _replace_children(
    event: MonitoringEvent, participants: Sequence[ParticipantData], links: Sequence[LinkData]
) -> None:
    """Participants and links are the event's own lists, in the order given: written anew on each save."""
    event.participants.all().delete()
    event.publicity_links.all().delete()
    MonitoringParticipant.objects.bulk_create(
        MonitoringParticipant(
            event=event,
            position=position,
            person=p.person,
            name="" if p.person is not None else p.name.strip(),
            kind=p.kind,
        )
        for position, p in enumerate(participants)
    )
    PublicityLink.objects.bulk_create(
        PublicityLink(event=event, position=position, url=link.url.strip(), kind=link.kind)
        for position, link in enumerate(links)
    )


@transaction.atomic
def monitoring_event_create(
    *,
    council: Council,
    data: MonitoringEventData,
    participants: Sequence[ParticipantData] = (),
    links: Sequence[LinkData] = (),
) -> MonitoringEvent:
    _check_event(council, data, participants, links)
    event = MonitoringEvent(council=council)
    _apply_event(event, data)
    event.key = unique_key(MonitoringEvent.objects.filter(council=council), f"mon-{event.date:%Y-%m-%d}")
    event.save()
    _replace_children(event, participants, links)
    return event


@transaction.atomic
def monitoring_event_update(
    *,
    event: MonitoringEvent,
    data: MonitoringEventData,
    participants: Sequence[ParticipantData],
    links: Sequence[LinkData],
) -> MonitoringEvent:
    _check_event(event.council, data, participants, links)
    _apply_event(event, data)
    event.save()
    _replace_children(event, participants, links)
    return event


# ---- draft-act reviews -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DraftReviewData:
    title: str
    discussion_start: dt.date
    discussion_end: dt.date
    developer: StateBody | None = None
    conclusion: str = ""
    remarks: str = ""


def discussion_min_days() -> int:
    """The legal minimum of public discussion, in calendar days (DOMAIN.md: at least 10; a setting)."""
    return int(settings.OVERSIGHT["DRAFT_REVIEW_MIN_DAYS"])


def discussion_days(start: dt.date, end: dt.date) -> int:
    """Calendar days of discussion, both ends included: from the 1st to the 10th is 10 days."""
    return (end - start).days + 1


def _check_period(data: DraftReviewData) -> None:
    if data.discussion_end < data.discussion_start:
        raise ValidationError({"discussion_end": _("The discussion cannot end before it starts.")})
    minimum = discussion_min_days()
    days = discussion_days(data.discussion_start, data.discussion_end)
    if days < minimum:
        earliest = data.discussion_start + dt.timedelta(days=minimum - 1)
        raise ValidationError(
            {
                "discussion_end": ngettext(
                    "The public discussion must last at least %(min)s calendar day; this period lasts %(days)s. "
                    "The earliest end date is %(earliest)s.",
                    "The public discussion must last at least %(min)s calendar days; this period lasts %(days)s. "
                    "The earliest end date is %(earliest)s.",
                    minimum,
                )
                % {"min": minimum, "days": days, "earliest": f"{earliest:%d.%m.%Y}"}
            },
            code="discussion_too_short",
        )


def _check_review(data: DraftReviewData) -> None:
    if not data.title.strip():
        raise ValidationError({"title": _("Enter the title of the draft act.")})
    if data.conclusion and data.conclusion not in DraftConclusion.values:
        raise ValidationError({"conclusion": _("Choose a conclusion.")})
    if data.conclusion == DraftConclusion.APPROVED_WITH_REMARKS and not data.remarks.strip():
        raise ValidationError({"remarks": _("Write down the remarks the draft was approved with.")})


def _apply_review(review: DraftActReview, data: DraftReviewData) -> None:
    review.title = data.title.strip()
    review.developer = data.developer
    review.discussion_start = data.discussion_start
    review.discussion_end = data.discussion_end
    review.conclusion = data.conclusion
    review.remarks = data.remarks


@transaction.atomic
def draft_review_create(*, council: Council, data: DraftReviewData) -> DraftActReview:
    """Record a draft act put to public review; its discussion must last the legal minimum."""
    _check_review(data)
    _check_period(data)
    review = DraftActReview(council=council)
    _apply_review(review, data)
    review.key = unique_key(DraftActReview.objects.filter(council=council), f"draft-{data.discussion_start:%Y-%m-%d}")
    review.save()
    return review


@transaction.atomic
def draft_review_update(*, review: DraftActReview, data: DraftReviewData) -> DraftActReview:
    """Change a review. The minimum period is checked when the dates change: a review on file from before the
    rule (an import of old records) can still get its conclusion."""
    _check_review(data)
    if (data.discussion_start, data.discussion_end) != (review.discussion_start, review.discussion_end):
        _check_period(data)
    _apply_review(review, data)
    review.save()
    return review
