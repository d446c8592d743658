"""Reads shared by the pages, the API, the Popolo export and the tests: the composition on a date, the tallies of a
roll call, a deputy's response figures, a body's year figures and the comparison of the 16 cities.

Every figure is computed as of one day (`as_of`): a question answered after it does not count as answered, so a
closed year's figures (as of 31 December) never change with today's date.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from core.workdays import year_span
from councils.selectors import year_as_of

from .models import (
    PROJECT_CITIES,
    Activity,
    ActivityKind,
    Answer,
    Attendance,
    BodyLevel,
    Deputy,
    Locality,
    Mandate,
    Presence,
    Promise,
    PromiseStatus,
    Question,
    QuestionStatus,
    RepresentativeBody,
    ReviewStatus,
    Session,
    VoteEvent,
    VoteOption,
)


def default_as_of(year: int, today: dt.date | None = None) -> dt.date:
    """31 December of a closed year; today while the year runs (councils.selectors.year_as_of)."""
    return year_as_of(year, today)


# ---- composition ----------------------------------------------------------------------------------------------


def mandates_on(day: dt.date) -> QuerySet[Mandate]:
    return Mandate.objects.filter(start_date__lte=day).filter(Q(end_date__isnull=True) | Q(end_date__gte=day))


def composition_on(*, body: RepresentativeBody, day: dt.date) -> list[Mandate]:
    """The deputies who held a mandate in the body on that day, with their constituency, party and committees."""
    return list(
        mandates_on(day)
        .filter(convocation__body=body)
        .select_related("deputy", "constituency", "party", "convocation")
        .prefetch_related("committees")
        .order_by("deputy__full_name")
    )


def changes_in(*, body: RepresentativeBody, start: dt.date, end: dt.date) -> list[Mandate]:
    """Mandates that ended early or began at a by-election between two dates: the year's changes."""
    return list(
        Mandate.objects.filter(convocation__body=body)
        .filter(Q(end_date__range=(start, end)) | Q(elected_by="by_election", start_date__range=(start, end)))
        .select_related("deputy", "constituency")
        .order_by("start_date")
    )


def current_mandate(deputy: Deputy, day: dt.date | None = None) -> Mandate | None:
    day = day or timezone.localdate()
    return (
        mandates_on(day)
        .filter(deputy=deputy)
        .select_related("convocation__body", "constituency", "party")
        .prefetch_related("committees")
        .first()
    )


def deputies_for_locality(*, locality: Locality, day: dt.date | None = None) -> list[Mandate]:
    """«Who is my deputy»: the mandates held on the day in the constituencies that include the locality."""
    day = day or timezone.localdate()
    return list(
        mandates_on(day)
        .filter(constituency__localities=locality)
        .select_related("deputy", "constituency", "convocation__body", "party")
        .order_by("convocation__body__level", "deputy__full_name")
    )


# ---- roll calls -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    yes: int
    no: int
    abstain: int
    absent: int

    @property
    def voted(self) -> int:
        return self.yes + self.no + self.abstain

    @property
    def passed(self) -> bool:
        """Adopted by a majority of those who voted; a body's own rule (majority of its seats) may differ, so the
        page shows the tally and states this rule."""
        return self.yes > self.voted / 2


def vote_tally(vote: VoteEvent) -> Tally:
    counts = dict(vote.ballots.values_list("option").annotate(n=Count("id")).values_list("option", "n"))
    return Tally(
        yes=counts.get(VoteOption.YES, 0),
        no=counts.get(VoteOption.NO, 0),
        abstain=counts.get(VoteOption.ABSTAIN, 0),
        absent=counts.get(VoteOption.ABSENT, 0),
    )


# ---- public records -------------------------------------------------------------------------------------------


def published_sessions() -> QuerySet[Session]:
    return (
        Session.objects.filter(status=ReviewStatus.PUBLISHED, council__is_published=True)
        .select_related("body")
        .prefetch_related(
            Prefetch("attendance", queryset=Attendance.objects.select_related("deputy")),
            Prefetch("votes", queryset=VoteEvent.objects.prefetch_related("ballots__deputy")),
        )
    )


def published_activities() -> QuerySet[Activity]:
    return Activity.objects.filter(status=ReviewStatus.PUBLISHED, council__is_published=True).select_related("deputy")


def published_promises() -> QuerySet[Promise]:
    return Promise.objects.filter(status=ReviewStatus.PUBLISHED, council__is_published=True).select_related("deputy")


def published_questions() -> QuerySet[Question]:
    """Moderated questions with their answers. Show only `subject`, `text`, dates and the answer: never the author."""
    return (
        Question.objects.filter(status=QuestionStatus.PUBLISHED)
        .select_related("deputy", "answer")
        .order_by("-published_at", "-id")
    )


# ---- response figures -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResponseStats:
    published: int
    answered: int
    median_days: float | None

    @property
    def rate(self) -> int | None:
        """Per cent of published questions answered, rounded; None when there were none."""
        if not self.published:
            return None
        return round(100 * self.answered / self.published)


def response_stats(*, deputy: Deputy, as_of: dt.date | None = None) -> ResponseStats:
    """Of the questions published by `as_of`, how many the office answered by then, and the median number of days
    from publication to answer."""
    as_of = as_of or timezone.localdate()
    questions = list(
        Question.objects.filter(deputy=deputy, status=QuestionStatus.PUBLISHED, published_at__date__lte=as_of)
        .select_related("answer")
        .only("published_at", "answer__answered_at")
    )
    delays = []
    for question in questions:
        answer: Answer | None = getattr(question, "answer", None) if hasattr(question, "answer") else None
        if answer is not None and question.published_at is not None and answer.answered_at.date() <= as_of:
            delays.append((answer.answered_at - question.published_at).total_seconds() / 86400)
    median = round(statistics.median(delays), 1) if delays else None
    return ResponseStats(published=len(questions), answered=len(delays), median_days=median)


# ---- a body's year and the comparison ----------------------------------------------------------------------------


@dataclass(frozen=True)
class BodyFigures:
    body: RepresentativeBody | None
    city: str
    city_name: str
    sessions: int
    attendance_rate: int | None  # per cent of deputy-session places present
    inquiries: int
    inquiries_answered: int
    receptions: int
    reports_to_voters: int
    questions_published: int
    questions_answered: int
    promises: dict[str, int]

    @property
    def questions_answered_rate(self) -> int | None:
        if not self.questions_published:
            return None
        return round(100 * self.questions_answered / self.questions_published)


def body_year_figures(*, body: RepresentativeBody, year: int, as_of: dt.date | None = None) -> BodyFigures:
    as_of = as_of or default_as_of(year)
    start, end = year_span(year, as_of)
    sessions = published_sessions().filter(body=body, date__range=(start, end))
    marks = Attendance.objects.filter(session__in=sessions.values("pk")).values_list("presence", flat=True)
    marks_list = list(marks)
    present = sum(1 for m in marks_list if m == Presence.PRESENT)
    deputy_ids = Mandate.objects.filter(convocation__body=body).values("deputy_id")
    activities = published_activities().filter(deputy_id__in=deputy_ids, date__range=(start, end))
    kinds = dict(activities.values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    answered = activities.filter(kind=ActivityKind.INQUIRY, answered_on__lte=end).count()
    questions = Question.objects.filter(
        deputy_id__in=deputy_ids, status=QuestionStatus.PUBLISHED, published_at__date__range=(start, end)
    )
    q_answered = questions.filter(answer__answered_at__date__lte=end).count()
    promise_counts = dict(
        published_promises()
        .filter(deputy_id__in=deputy_ids, published_at__date__lte=end)
        .values_list("rating")
        .annotate(n=Count("id"))
        .values_list("rating", "n")
    )
    city_names = dict(PROJECT_CITIES)
    return BodyFigures(
        body=body,
        city=body.city,
        city_name=city_names.get(body.city, body.city),
        sessions=sessions.count(),
        attendance_rate=round(100 * present / len(marks_list)) if marks_list else None,
        inquiries=kinds.get(ActivityKind.INQUIRY, 0),
        inquiries_answered=answered,
        receptions=kinds.get(ActivityKind.RECEPTION, 0),
        reports_to_voters=kinds.get(ActivityKind.REPORT, 0),
        questions_published=questions.count(),
        questions_answered=q_answered,
        promises={status: promise_counts.get(status, 0) for status in PromiseStatus.values},
    )


def city_comparison(*, year: int, as_of: dt.date | None = None) -> list[BodyFigures]:
    """One row per project city: the figures of its city maslikhat (of a city of republican significance for
    Almaty, Astana and Shymkent), or an empty row where no body is on the portal yet. No composite score."""
    levels = (BodyLevel.CITY, BodyLevel.REPUBLICAN_CITY)
    bodies = {b.city: b for b in RepresentativeBody.objects.filter(level__in=levels).order_by("id")}
    rows = []
    for slug, name in PROJECT_CITIES:
        body = bodies.get(slug)
        if body is not None:
            rows.append(body_year_figures(body=body, year=year, as_of=as_of))
        else:
            rows.append(
                BodyFigures(
                    body=None,
                    city=slug,
                    city_name=name,
                    sessions=0,
                    attendance_rate=None,
                    inquiries=0,
                    inquiries_answered=0,
                    receptions=0,
                    reports_to_voters=0,
                    questions_published=0,
                    questions_answered=0,
                    promises={status: 0 for status in PromiseStatus.values},
                )
            )
    return rows


def deputy_attendance(*, deputy: Deputy, year: int) -> tuple[int, int]:
    """(present, sessions marked) in published sessions of the year."""
    marks = list(
        Attendance.objects.filter(
            deputy=deputy, session__status=ReviewStatus.PUBLISHED, session__date__year=year
        ).values_list("presence", flat=True)
    )
    return sum(1 for m in marks if m == Presence.PRESENT), len(marks)
