"""The reads of public participation: what the public may see (published comments, answers once the record is
out), the workspace's queue and lists, and the year's counts for the statistics and the report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from core.prepared import prepared_values
from core.workdays import year_span
from councils.models import Council
from hearings.models import PublicHearing
from monitoring.models import DraftActReview

from .models import CommentOutcome, CommentStatus, HearingDocument, HearingRegistration, PublicComment
from .services import Target


def published_comments(*, target: Target) -> QuerySet[PublicComment]:
    """The comments a moderator approved, oldest first. Read the answer only where `answers_public` says so."""
    return target.public_comments.filter(status=CommentStatus.PUBLISHED).order_by("number")


def answers_public(target: Target) -> bool:
    """A hearing's answers are public with its record; a draft's with the council's conclusion."""
    if isinstance(target, DraftActReview):
        return bool(target.conclusion)
    return target.record_published_on is not None


def outcome_summary(*, target: Target) -> dict[str, int]:
    """How the published comments were treated: {"accepted": n, "partly": n, "rejected": n, "unanswered": n}."""
    counts = published_comments(target=target).aggregate(
        accepted=Count("id", filter=Q(outcome=CommentOutcome.ACCEPTED)),
        partly=Count("id", filter=Q(outcome=CommentOutcome.PARTLY)),
        rejected=Count("id", filter=Q(outcome=CommentOutcome.REJECTED)),
        unanswered=Count("id", filter=Q(outcome="")),
    )
    return {key: int(value or 0) for key, value in counts.items()}


def public_hearing_documents(*, hearing: PublicHearing) -> QuerySet[HearingDocument]:
    return hearing.documents.order_by("added_at", "id")


def open_consultations(*, council: Council, today: dt.date) -> dict[str, list[Target]]:
    """Hearings and drafts whose comment window is open today, or opens later; the newest first."""
    hearings = list(
        PublicHearing.objects.filter(council=council, comments_close__gte=today).order_by("comments_close", "id")
    )
    drafts = list(
        DraftActReview.objects.filter(council=council, discussion_end__gte=today)
        .select_related("developer")
        .order_by("discussion_end", "id")
    )
    return {"hearings": hearings, "drafts": drafts}


def comments_for_workspace(*, council: Council) -> QuerySet[PublicComment]:
    return PublicComment.objects.filter(council=council).select_related("hearing", "draft").order_by("-submitted_at")


def registrations_for_workspace(*, hearing: PublicHearing) -> QuerySet[HearingRegistration]:
    return hearing.registrations.order_by("created_at", "id")


@dataclass(frozen=True)
class ParticipationStats:
    """A year's public participation, counted by the day each thing happened (received, registered)."""

    comments_received: int
    comments_published: int
    comments_accepted: int
    comments_partly: int
    comments_rejected: int
    registrations: int


def _count(queryset: QuerySet[Any], group: str) -> Coalesce:
    """The rows of `queryset` (filtered to one council) as a scalar subquery, 0 when there are none."""
    counted = queryset.order_by().values(group).annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _year_query(*, council_id: int, start: dt.date, end: dt.date, as_of: dt.date) -> QuerySet[Council, dict[str, Any]]:
    """The statement of `participation_year_stats`: received from `start` to `end`, published and answered by the
    end of `as_of` (local time)."""
    received = PublicComment.objects.filter(council_id=council_id, submitted_at__date__range=(start, end))
    published = received.filter(status=CommentStatus.PUBLISHED, moderated_at__date__lte=as_of)
    answered = published.filter(answered_at__date__lte=as_of)
    registrations = HearingRegistration.objects.filter(
        hearing__council_id=council_id, created_at__date__range=(start, end)
    )
    councils: QuerySet[Council] = QuerySet(model=Council)  # Django's own: modeltranslation's values() renames
    rows = councils.filter(pk=council_id).annotate(
        received=_count(received, "council"),
        published=_count(published, "council"),
        accepted=_count(answered.filter(outcome=CommentOutcome.ACCEPTED), "council"),
        partly=_count(answered.filter(outcome=CommentOutcome.PARTLY), "council"),
        rejected=_count(answered.filter(outcome=CommentOutcome.REJECTED), "council"),
        registrations=_count(registrations, "hearing__council"),
    )
    return rows.values("received", "published", "accepted", "partly", "rejected", "registrations")


def participation_year_stats(*, council: Council, year: int, as_of: dt.date) -> ParticipationStats:
    """Comments received in the year up to `as_of`; those published and answered as of `as_of` (a moderation or
    an answer given later does not count); registrations made in the year up to `as_of`. One query, written once
    (core/prepared.py)."""
    start, end = year_span(year, as_of)
    (row,) = prepared_values(
        "participation.participation_year_stats", _year_query, council_id=council.pk, start=start, end=end, as_of=as_of
    )
    return ParticipationStats(
        comments_received=row["received"],
        comments_published=row["published"],
        comments_accepted=row["accepted"],
        comments_partly=row["partly"],
        comments_rejected=row["rejected"],
        registrations=row["registrations"],
    )
