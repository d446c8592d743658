"""Reads of public monitoring, draft act reviews and recommendations: counts for a council's year, in a fixed
number of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypedDict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, DurationField, Exists, ExpressionWrapper, F, Model, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import ExtractMonth, ExtractYear

from core.prepared import prepared_values
from core.workdays import year_bounds
from councils.models import Council, StateBody

from .lifecycle import (
    Lifecycle,
    ResponseStats,
    WorkingDaysTerm,
    lifecycle_annotate,
    lifecycle_answered_q,
    lifecycle_is_overdue,
    lifecycle_overdue,
    lifecycle_overdue_q,
    lifecycle_response_stats,
)
from .models import (
    INFORMATION_REQUEST_LIFECYCLE,
    RECOMMENDATION_LIFECYCLE,
    RECOMMENDATION_SOURCES,
    AnswerKind,
    DraftActReview,
    DraftConclusion,
    InformationRequest,
    InformationRequestBatch,
    InformationRequestResponse,
    InformationRequestStatus,
    InformationRequestStatusChange,
    MonitoringEvent,
    MonitoringParticipant,
    PublicityLink,
    Recommendation,
    RecommendationResponse,
    RecommendationStatus,
    RefusalGround,
)

# A recommendation in one of these states has had its answer, whatever the answer was.
CLOSED_STATUSES = (
    RecommendationStatus.ANSWERED,
    RecommendationStatus.IMPLEMENTED,
    RecommendationStatus.REJECTED,
)


def empty_months() -> dict[str, int]:
    return {str(month): 0 for month in range(1, 13)}


def monitoring_by_month(*, council: Council, year: int) -> dict[str, int]:
    """Monitoring events by month of their date, {"1": n, ..., "12": n}: one query."""
    months = empty_months()
    rows = (
        MonitoringEvent.objects.filter(council=council, date__year=year)
        .annotate(month=ExtractMonth("date"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        months[str(row["month"])] = row["n"]
    return months


def draft_review_counts(*, council: Council, year: int) -> dict[str, int]:
    """Draft act reviews whose public discussion started in the year: one query.

    `approved` counts the drafts approved with remarks too (the report's «89 approved, 4 of them with remarks»);
    `pending` are reviews without a conclusion yet.
    """
    approved = (DraftConclusion.APPROVED, DraftConclusion.APPROVED_WITH_REMARKS)
    return DraftActReview.objects.filter(council=council, discussion_start__year=year).aggregate(
        reviewed=Count("id"),
        approved=Count("id", filter=Q(conclusion__in=approved)),
        with_remarks=Count("id", filter=Q(conclusion=DraftConclusion.APPROVED_WITH_REMARKS)),
        rejected=Count("id", filter=Q(conclusion=DraftConclusion.REJECTED)),
        pending=Count("id", filter=Q(conclusion="")),
    )


@dataclass(frozen=True)
class TrackedCounts:
    """The items of a year (recommendations issued, information requests sent) as they stood on `as_of`:
    how many, how many had their answer in, how many were past their response date without one, and how many
    were in each status then."""

    total: int
    answered: int
    overdue: int
    by_status: dict[str, int]


def _tracked_query(
    lifecycle: Lifecycle,
    queryset: QuerySet[Any],
    *,
    as_of: dt.date,
    groups: tuple[str, ...] = (),
    counts: dict[str, Count] | None = None,
) -> QuerySet[Any, dict[str, Any]]:
    """The items of `queryset` grouped by their status on `as_of` (and by `groups`), counted with the lifecycle's
    answered and overdue rules applied as of that day (and by `counts`)."""
    rows: QuerySet[Any, dict[str, Any]] = (
        lifecycle_annotate(lifecycle, queryset, as_of=as_of)
        .values("status_on", *groups)
        .annotate(
            n=Count("id"),
            answered=Count("id", filter=lifecycle_answered_q(lifecycle)),
            overdue=Count("id", filter=lifecycle_overdue_q(lifecycle, as_of)),
            **(counts or {}),
        )
        .order_by()
    )
    return rows


def _tracked_totals(lifecycle: Lifecycle, rows: list[dict[str, Any]]) -> TrackedCounts:
    by_status = dict.fromkeys(lifecycle.statuses.values, 0)
    total = answered = overdue = 0
    for row in rows:
        by_status[row["status_on"]] = by_status.get(row["status_on"], 0) + row["n"]
        total += row["n"]
        answered += row["answered"]
        overdue += row["overdue"]
    return TrackedCounts(total=total, answered=answered, overdue=overdue, by_status=by_status)


def _year_rows(
    name: str, build: Callable[..., QuerySet[Any, dict[str, Any]]], council: Council, year: int, as_of: dt.date
) -> list[dict[str, Any]]:
    """The rows of `build` for the council's year as of `as_of`, its statement written once (core/prepared.py)."""
    start, end = year_bounds(year)
    return prepared_values(name, build, council_id=council.pk, start=start, end=end, as_of=as_of)


def _recommendation_query(
    *, council_id: int, start: dt.date, end: dt.date, as_of: dt.date
) -> QuerySet[Any, dict[str, Any]]:
    recommendations = Recommendation.objects.filter(council_id=council_id, issued_on__range=(start, end))
    return _tracked_query(RECOMMENDATION_LIFECYCLE, recommendations, as_of=as_of)


def recommendation_counts(*, council: Council, year: int, as_of: dt.date) -> TrackedCounts:
    """Recommendations issued in the year, as they stood on `as_of` (answers received later do not count):
    total, answered (an answer on file or a settled status), overdue (past the response date with neither), by
    status. One query, written once (core/prepared.py)."""
    rows = _year_rows("monitoring.recommendation_counts", _recommendation_query, council, year, as_of)
    return _tracked_totals(RECOMMENDATION_LIFECYCLE, rows)


@dataclass(frozen=True)
class InformationRequestCounts(TrackedCounts):
    """`TrackedCounts` of the requests sent in the year, with those answered by their (extended) limit and the
    refusals by legal ground, as of the same day."""

    answered_on_time: int = 0
    refused_by_ground: dict[str, int] = field(default_factory=dict)


def _information_request_query(
    *, council_id: int, start: dt.date, end: dt.date, as_of: dt.date
) -> QuerySet[Any, dict[str, Any]]:
    answers = InformationRequestResponse.objects.filter(information_request=OuterRef("pk"), received_on__lte=as_of)
    first_answer = Subquery(answers.order_by("received_on", "id").values("received_on")[:1])
    ground = Subquery(
        answers.filter(kind=AnswerKind.REFUSED).order_by("-received_on", "-id").values("refusal_ground")[:1]
    )
    requests = InformationRequest.objects.filter(council_id=council_id, sent_on__range=(start, end)).annotate(
        first_answer_on=first_answer, ground_on=ground
    )
    on_time = Count("id", filter=Q(first_answer_on__isnull=False, first_answer_on__lte=F("effective_due_date")))
    return _tracked_query(
        INFORMATION_REQUEST_LIFECYCLE, requests, as_of=as_of, groups=("ground_on",), counts={"on_time": on_time}
    )


def information_request_counts(*, council: Council, year: int, as_of: dt.date) -> InformationRequestCounts:
    """Information requests sent in the year, as they stood on `as_of`, by the same rules as the
    recommendations' counts, with those answered by their limit and the refusals by ground (the ground of the
    latest refusal received by then): one grouped query, written once (core/prepared.py)."""
    rows = _year_rows("monitoring.information_request_counts", _information_request_query, council, year, as_of)
    counts = _tracked_totals(INFORMATION_REQUEST_LIFECYCLE, rows)
    grounds = dict.fromkeys(RefusalGround.values, 0)
    for row in rows:
        if row["ground_on"]:
            grounds[row["ground_on"]] = grounds.get(row["ground_on"], 0) + row["n"]
    return InformationRequestCounts(
        total=counts.total,
        answered=counts.answered,
        overdue=counts.overdue,
        by_status=counts.by_status,
        answered_on_time=sum(row["on_time"] for row in rows),
        refused_by_ground=grounds,
    )


def yearly_totals(*, council_ids: Iterable[int]) -> dict[tuple[int, int], dict[str, int]]:
    """{(council_id, year): {"monitoring", "draft_acts", "recommendations"}}: three queries for any number of
    councils."""
    ids = list(council_ids)
    totals: dict[tuple[int, int], dict[str, int]] = {}
    sources = (
        ("monitoring", MonitoringEvent.objects.filter(council_id__in=ids), "date"),
        ("draft_acts", DraftActReview.objects.filter(council_id__in=ids), "discussion_start"),
        ("recommendations", Recommendation.objects.filter(council_id__in=ids), "issued_on"),
    )
    for name, queryset, date_field in sources:
        rows = (
            queryset.annotate(year=ExtractYear(date_field))
            .values("council_id", "year")
            .annotate(n=Count("id"))
            .order_by()
        )
        for row in rows:
            entry = totals.setdefault(
                (row["council_id"], row["year"]), {"monitoring": 0, "draft_acts": 0, "recommendations": 0}
            )
            entry[name] = row["n"]
    return totals


def publicity_link_count(*, council: Council, year: int, as_of: dt.date | None = None) -> int:
    """The links to publications about the year's monitoring events (the council's site, Facebook, television,
    the press: `PublicityLink`), counted with the news' publications in the media (the annual report's media
    section, the stats API): one query."""
    queryset = PublicityLink.objects.filter(event__council=council, event__date__year=year)
    if as_of is not None:
        queryset = queryset.filter(event__date__lte=as_of)
    return queryset.count()


def monitoring_events_for_year(*, council: Council, year: int) -> list[MonitoringEvent]:
    """The year's monitoring events in date order, each with its commission, its participants in order (with
    the person on file, contacts not loaded) and its publicity links in order: three queries."""
    participants = MonitoringParticipant.objects.select_related("person").only(
        "id", "event_id", "position", "name", "kind", "person__id", "person__full_name"
    )
    links = PublicityLink.objects.order_by("position", "id")
    return list(
        MonitoringEvent.objects.filter(council=council, date__year=year)
        .select_related("commission")
        .prefetch_related(
            Prefetch("participants", queryset=participants.order_by("position", "id")),
            Prefetch("publicity_links", queryset=links),
        )
        .order_by("date", "id")
    )


def recommendations_for_sources(
    *, council: Council, sources: Mapping[str, Iterable[int]], as_of: dt.date | None = None
) -> dict[tuple[str, int], list[Recommendation]]:
    """The council's recommendations made on the given records, {("app_label.model", id): [recommendations]},
    each with the state body addressed and its responses in order: two queries for any number of records.

    `sources` maps "app_label.model" to record ids, e.g. {"hearings.publichearing": [1, 2]}; the source type
    is matched by name so that this app need not import the apps that own the sources. With `as_of`, each
    recommendation is as it stood that day (read-only copies, never saved): `status` is its status then and
    `responses` the answers received by then.
    """
    condition = Q()
    for label, ids in sources.items():
        app_label, model = label.split(".")
        id_list = list(ids)
        if id_list:
            condition |= Q(source_type__app_label=app_label, source_type__model=model, source_id__in=id_list)
    result: dict[tuple[str, int], list[Recommendation]] = {}
    if not condition:
        return result
    responses = RecommendationResponse.objects.order_by("received_on", "id")
    if as_of is not None:
        responses = responses.filter(received_on__lte=as_of)
    rows = lifecycle_annotate(
        RECOMMENDATION_LIFECYCLE, Recommendation.objects.filter(condition, council=council), as_of=as_of
    )
    rows = (
        rows.select_related("state_body", "source_type")
        .prefetch_related(Prefetch("responses", queryset=responses))
        .order_by("issued_on", "id")
    )
    for recommendation in rows:
        recommendation.status = recommendation.status_on
        label = f"{recommendation.source_type.app_label}.{recommendation.source_type.model}"
        result.setdefault((label, recommendation.source_id), []).append(recommendation)
    return result


class DraftReviewsNoted(TypedDict):
    noted: list[DraftActReview]
    short_discussions: int


def draft_reviews_noted(*, council: Council, year: int, min_days: int) -> DraftReviewsNoted:
    """The year's draft reviews the report names (approved with remarks or rejected, with the developer) and
    how many had a public discussion shorter than `min_days` calendar days: two queries."""
    reviews = DraftActReview.objects.filter(council=council, discussion_start__year=year)
    noted = list(
        reviews.filter(conclusion__in=[DraftConclusion.APPROVED_WITH_REMARKS, DraftConclusion.REJECTED])
        .select_related("developer")
        .order_by("discussion_start", "id")
    )
    length = ExpressionWrapper(F("discussion_end") - F("discussion_start"), output_field=DurationField())
    # Both days count: a discussion from the 1st to the 10th lasts 10 calendar days.
    short = reviews.annotate(length=length).filter(length__lt=dt.timedelta(days=min_days - 1)).count()
    return {"noted": noted, "short_discussions": short}


# ---- the workspace's lists (appended for the monitoring and draft review pages) ---------------------------


def monitoring_events_for_workspace(*, council: Council) -> QuerySet[MonitoringEvent]:
    """The council's monitoring events, newest first, with the commission, the participants in order (with
    the person on file, contacts not loaded) and the publicity links in order: three queries per page."""
    participants = (
        MonitoringParticipant.objects.select_related("person")
        .only("id", "event_id", "position", "name", "kind", "person__id", "person__full_name")
        .order_by("position", "id")
    )
    return (
        MonitoringEvent.objects.filter(council=council)
        .select_related("commission")
        .prefetch_related(
            Prefetch("participants", queryset=participants),
            Prefetch("publicity_links", queryset=PublicityLink.objects.order_by("position", "id")),
        )
        .order_by("-date", "-id")
    )


def draft_reviews_for_workspace(*, council: Council) -> QuerySet[DraftActReview]:
    """The council's draft act reviews, the latest discussion first, with the developer: one query."""
    return (
        DraftActReview.objects.filter(council=council).select_related("developer").order_by("-discussion_start", "-id")
    )


# ---- Recommendations and information requests in the workspace ----------------------------------------------
# The shared lifecycle (monitoring.lifecycle) gives the overdue condition and the response figures; these name
# them for the two kinds of tracked items.


def recommendations_for_workspace(*, council: Council) -> QuerySet[Recommendation]:
    """The council's recommendations with what a list row shows (state body, source kind, `effective_due_date`,
    `has_response`): one query for a page, whatever its length."""
    return lifecycle_annotate(
        RECOMMENDATION_LIFECYCLE,
        Recommendation.objects.filter(council=council).select_related("state_body", "source_type"),
    ).order_by("-issued_on", "-id")


def information_requests_for_workspace(*, council: Council) -> QuerySet[InformationRequest]:
    return lifecycle_annotate(
        INFORMATION_REQUEST_LIFECYCLE,
        InformationRequest.objects.filter(council=council).select_related("state_body"),
    ).order_by("-created_at", "-id")


def recommendations_overdue(*, council: Council, as_of: dt.date) -> QuerySet[Recommendation]:
    """Sent, past the response date, no answer on file, not settled: the oldest due first (one query)."""
    return lifecycle_overdue(RECOMMENDATION_LIFECYCLE, council=council, as_of=as_of).select_related("state_body")


def information_requests_overdue(*, council: Council, as_of: dt.date) -> QuerySet[InformationRequest]:
    """Sent, past the (extended) response date, no answer on file, not settled (one query)."""
    return lifecycle_overdue(INFORMATION_REQUEST_LIFECYCLE, council=council, as_of=as_of).select_related("state_body")


def state_body_response_stats(*, state_body: StateBody, council: Council | None = None) -> ResponseStats:
    """How the body answers the recommendations sent to it (by one council, or by all): sent, answered,
    response rate, on-time share, average days to the first answer. One query."""
    recommendations = Recommendation.objects.filter(state_body=state_body)
    if council is not None:
        recommendations = recommendations.filter(council=council)
    return lifecycle_response_stats(RECOMMENDATION_LIFECYCLE, recommendations)


def recommendation_send_limit(*, recommendation: Recommendation) -> dt.date:
    """The last day to send it: the council's send term in working days after the control ended (issued_on)."""
    return WorkingDaysTerm("recommendation_send_days").due(recommendation.council, recommendation.issued_on)


def recommendation_source_choices(*, council: Council) -> list[tuple[str, list[tuple[str, str]]]]:
    """The source picker's options, grouped by kind, newest first: one query per pickable kind."""
    groups = []
    for kind in RECOMMENDATION_SOURCES.values():
        if not kind.pickable:
            continue
        rows = (
            kind.model._default_manager.filter(**{kind.council_path: council})
            .order_by(f"-{kind.date_path}", "-pk")
            .values_list("pk", kind.date_path, kind.title_path)
        )
        options = [(f"{kind.key}:{pk}", f"{day:%d.%m.%Y} — {str(title)[:100]}") for pk, day, title in rows]
        if options:
            groups.append((str(kind.label), options))
    return groups


def recommendation_source_get(*, council: Council, reference: str) -> Model | None:
    """The record named by a source reference ("monitoring:12") if it belongs to the council, else None."""
    key, _sep, pk = reference.partition(":")
    kind = RECOMMENDATION_SOURCES.get(key)
    if kind is None or not pk.isdigit():
        return None
    return kind.model._default_manager.filter(pk=int(pk), **{kind.council_path: council}).first()


def recommendation_source_reference(recommendation: Recommendation) -> str:
    """The reference ("monitoring:12") of the recommendation's source, or "" (no query: types are cached)."""
    if recommendation.source_type_id is None:
        return ""
    model = ContentType.objects.get_for_id(recommendation.source_type_id).model_class()
    for kind in RECOMMENDATION_SOURCES.values():
        if kind.model is model:
            return f"{kind.key}:{recommendation.source_id}"
    return ""


def tracked_detail(item: Recommendation | InformationRequest) -> dict[str, list[Model]]:
    """An item's answers (by date received) and history (in the order it was recorded: a sending entered late
    still follows the creation), with who made each change: two queries."""
    return {
        "responses": list(item.responses.order_by("received_on", "id")),
        "history": list(item.history.select_related("changed_by").order_by("id")),
    }


# ---- the public portal's pages (appended for the monitoring, draft review and recommendation pages) ---------
# The public sees the recommendations of published councils that have left the draft; appeals are a source
# kind that is named but never read here (their pages are private).

from django.db.models import Subquery  # noqa: E402 - appended section


def monitoring_years(*, council: Council) -> list[int]:
    """The years with any monitoring event, newest first: one query."""
    rows = MonitoringEvent.objects.filter(council=council).annotate(year=ExtractYear("date"))
    return sorted(set(rows.values_list("year", flat=True).order_by()), reverse=True)


def activity_years(*, council_ids: Iterable[int]) -> set[tuple[int, int]]:
    """(council_id, year) for every year with a monitoring event, a draft review's discussion or a public
    recommendation, for any number of councils in three queries (the open-data page lists every council)."""
    ids = list(council_ids)
    sources = (
        (MonitoringEvent.objects.filter(council_id__in=ids), "date"),
        (DraftActReview.objects.filter(council_id__in=ids), "discussion_start"),
        (public_recommendations().filter(council_id__in=ids), "issued_on"),
    )
    pairs: set[tuple[int, int]] = set()
    for queryset, date_field in sources:
        rows = queryset.annotate(year=ExtractYear(date_field)).values_list("council_id", "year").distinct()
        pairs.update((council_id, int(year)) for council_id, year in rows.order_by())
    return pairs


def draft_review_years(*, council: Council) -> list[int]:
    """The years in which a reviewed draft's public discussion started, newest first: one query."""
    rows = DraftActReview.objects.filter(council=council).annotate(year=ExtractYear("discussion_start"))
    return sorted(set(rows.values_list("year", flat=True).order_by()), reverse=True)


def public_monitoring_event_get(*, council: Council, pk: int) -> MonitoringEvent | None:
    """One monitoring event with its commission, participants (names only) and publicity links: three
    queries."""
    participants = (
        MonitoringParticipant.objects.select_related("person")
        .only("id", "event_id", "position", "name", "kind", "person__id", "person__full_name")
        .order_by("position", "id")
    )
    return (
        MonitoringEvent.objects.filter(council=council, pk=pk)
        .select_related("commission")
        .prefetch_related(
            Prefetch("participants", queryset=participants),
            Prefetch("publicity_links", queryset=PublicityLink.objects.order_by("position", "id")),
        )
        .first()
    )


def draft_reviews_for_public(*, council: Council, year: int, conclusion: str = "") -> QuerySet[DraftActReview]:
    """The draft act reviews whose discussion started in the year, in date order, with the developer; of one
    conclusion ("pending": none yet) when given. One query per page."""
    reviews = DraftActReview.objects.filter(council=council, discussion_start__year=year)
    if conclusion == "pending":
        reviews = reviews.filter(conclusion="")
    elif conclusion:
        reviews = reviews.filter(conclusion=conclusion)
    return reviews.select_related("developer").order_by("discussion_start", "id")


def public_recommendations() -> QuerySet[Recommendation]:
    """Recommendations the public may see: of a published council, no longer a draft."""
    return Recommendation.objects.filter(council__is_published=True).exclude(status=RecommendationStatus.DRAFT)


def public_answer_document_get(
    *, council: Council, recommendation_id: int, answer_id: int
) -> RecommendationResponse | None:
    """An answer with a document, to a recommendation of this council that the public tracker shows (the council
    published, the recommendation past the draft), with its recommendation: one query."""
    return (
        RecommendationResponse.objects.filter(
            pk=answer_id,
            recommendation__in=public_recommendations().filter(council=council, pk=recommendation_id),
        )
        .exclude(document="")
        .select_related("recommendation")
        .first()
    )


def _source_filter(reference: str) -> Q | None:
    """The condition for a source reference ("hearing:12"), or None when it names no known kind."""
    key, _sep, pk = reference.partition(":")
    kind = RECOMMENDATION_SOURCES.get(key)
    if kind is None or not pk.isdigit():
        return None
    return Q(source_type=ContentType.objects.get_for_model(kind.model), source_id=int(pk))


def _tracker_base(
    *,
    council: Council | None = None,
    state_body: StateBody | None = None,
    year: int | None = None,
    source: str = "",
    as_of: dt.date | None = None,
) -> QuerySet[Recommendation]:
    recommendations = public_recommendations()
    if council is not None:
        recommendations = recommendations.filter(council=council)
    if state_body is not None:
        recommendations = recommendations.filter(state_body=state_body)
    if year is not None:
        recommendations = recommendations.filter(issued_on__year=year)
    if source:
        condition = _source_filter(source)
        recommendations = recommendations.filter(condition) if condition is not None else recommendations.none()
    annotated = lifecycle_annotate(RECOMMENDATION_LIFECYCLE, recommendations, as_of=as_of)
    # As of a past day, a recommendation still a draft then was not public yet.
    return annotated.exclude(status_on=RecommendationStatus.DRAFT) if as_of is not None else annotated


def recommendation_tracker(
    *,
    today: dt.date,
    council: Council | None = None,
    state_body: StateBody | None = None,
    year: int | None = None,
    status: str = "",
    source: str = "",
    as_of: dt.date | None = None,
) -> QuerySet[Recommendation]:
    """The public recommendations (of one council, or to one state body from every council), newest first,
    each with `effective_due_date`, `has_response`, `status_on`, `first_answer_on`, the state body, the council
    and the answers in order. `status` is a status or "overdue". With `as_of` (a closed year's last day; `today`
    is then the same day) the statuses, the answers that count and the overdue condition are those of the end of
    that day (`lifecycle_annotate`); without it, today's. Two queries per page, whatever its length."""
    answers = RecommendationResponse.objects.filter(recommendation=OuterRef("pk"))
    if as_of is not None:
        answers = answers.filter(received_on__lte=as_of)
    first_answer = Subquery(answers.order_by("received_on", "id").values("received_on")[:1])
    recommendations = _tracker_base(
        council=council, state_body=state_body, year=year, source=source, as_of=as_of
    ).annotate(first_answer_on=first_answer)
    if status == "overdue":
        recommendations = recommendations.filter(lifecycle_overdue_q(RECOMMENDATION_LIFECYCLE, today))
    elif status:
        # status_on is annotated in _tracker_base (lifecycle_annotate), which django-stubs cannot see through.
        recommendations = recommendations.filter(status_on=status)  # type: ignore[misc]
    return (
        recommendations.select_related("state_body", "council")
        .prefetch_related(Prefetch("responses", queryset=RecommendationResponse.objects.order_by("received_on", "id")))
        .order_by("-issued_on", "-id")
    )


class StatusSummary(TypedDict):
    total: int
    overdue: int
    by_status: dict[str, int]


def recommendation_status_summary(
    *,
    today: dt.date,
    council: Council | None = None,
    state_body: StateBody | None = None,
    year: int | None = None,
    source: str = "",
    as_of: dt.date | None = None,
) -> StatusSummary:
    """{"total", "overdue", "by_status": {status: n}} of the public recommendations so filtered (every status
    but the draft present, in the lifecycle's order), as of the end of `as_of` like `recommendation_tracker`:
    one query."""
    rows = (
        _tracker_base(council=council, state_body=state_body, year=year, source=source, as_of=as_of)
        .order_by()
        .values("status_on")  # type: ignore[misc]  # annotated in _tracker_base, unseen by django-stubs
        .annotate(n=Count("id"), overdue=Count("id", filter=lifecycle_overdue_q(RECOMMENDATION_LIFECYCLE, today)))
    )
    by_status = {value: 0 for value in RecommendationStatus.values if value != RecommendationStatus.DRAFT}
    summary: StatusSummary = {"total": 0, "overdue": 0, "by_status": by_status}
    for row in rows:
        by_status[row["status_on"]] = by_status.get(row["status_on"], 0) + row["n"]
        summary["total"] += row["n"]
        summary["overdue"] += row["overdue"]
    return summary


def recommendation_addressees(*, council: Council) -> list[StateBody]:
    """The state bodies the council's public recommendations went to, by name: one query."""
    addressed = public_recommendations().filter(council=council).values("state_body_id")
    return list(StateBody.objects.filter(id__in=addressed).order_by("name"))


def recommendation_years(*, council: Council | None = None, state_body: StateBody | None = None) -> list[int]:
    """The issue years of the public recommendations (of a council, or to a state body), newest first."""
    recommendations = public_recommendations()
    if council is not None:
        recommendations = recommendations.filter(council=council)
    if state_body is not None:
        recommendations = recommendations.filter(state_body=state_body)
    rows = recommendations.annotate(year=ExtractYear("issued_on")).values_list("year", flat=True).order_by()
    return sorted(set(rows), reverse=True)


@dataclass(frozen=True)
class SourceRef:
    """What a recommendation came from, as a public page names it. `is_public` says whether the source has a
    public page (an appeal never has; a closed meeting's agenda is not published)."""

    kind: str
    label: str
    pk: int
    title: str = ""
    date: dt.date | None = None
    meeting_id: int | None = None
    is_public: bool = False


def recommendation_sources(recommendations: Iterable[Recommendation]) -> dict[int, SourceRef]:
    """{recommendation id: SourceRef} for the recommendations that have a source: one query per kind of source
    present (at most four), none for appeals, which are named but never read."""
    by_type: dict[int, list[tuple[Recommendation, int]]] = {}
    for recommendation in recommendations:
        if recommendation.source_type_id is not None and recommendation.source_id is not None:  # both or neither
            by_type.setdefault(recommendation.source_type_id, []).append((recommendation, recommendation.source_id))
    result: dict[int, SourceRef] = {}
    for type_id, items in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        kind = next((k for k in RECOMMENDATION_SOURCES.values() if k.model is model), None)
        if kind is None or model is None:
            continue
        if kind.key == "appeal":
            for item, source_id in items:
                result[item.id] = SourceRef(kind=kind.key, label=str(kind.label), pk=source_id)
            continue
        fields = ["pk", kind.title_path, kind.date_path]
        if kind.key == "agenda_item":
            fields += ["meeting_id", "meeting__is_open"]
        rows = {
            row["pk"]: row
            for row in model._default_manager.filter(pk__in=[source_id for _item, source_id in items]).values(*fields)
        }
        for item, source_id in items:
            row = rows.get(source_id)
            if row is None:
                continue
            is_public = row.get("meeting__is_open", True)
            result[item.id] = SourceRef(
                kind=kind.key,
                label=str(kind.label),
                pk=source_id,
                # A closed meeting's agenda is not public (hearings.selectors.public_meeting): its item is
                # named by its kind and the meeting's date, never by its title.
                title=str(row[kind.title_path]) if is_public else "",
                date=row[kind.date_path],
                meeting_id=row.get("meeting_id"),
                is_public=is_public,
            )
    return result


def public_state_bodies(*, q: str = "") -> QuerySet[StateBody]:
    """State bodies that received a public recommendation, by name, each with `received` (how many): one
    query (two with a paginator's count)."""
    public = Q(recommendations__council__is_published=True) & ~Q(recommendations__status=RecommendationStatus.DRAFT)
    # A holder that only received information requests (a company, an operator) is listed too.
    asked = InformationRequest.objects.filter(state_body=OuterRef("pk"), council__is_published=True).exclude(
        status=InformationRequestStatus.DRAFT
    )
    bodies = StateBody.objects.annotate(received=Count("recommendations", filter=public)).filter(
        Q(received__gt=0) | Exists(asked)
    )
    if q:
        bodies = bodies.filter(name__icontains=q)
    return bodies.order_by("name")


def public_state_body_response_stats(*, state_body: StateBody) -> ResponseStats:
    """`state_body_response_stats` over every council, counting only what the public pages list (published
    councils), so the figures and the list beside them agree: one query."""
    return lifecycle_response_stats(RECOMMENDATION_LIFECYCLE, public_recommendations().filter(state_body=state_body))


def public_recommendation_answers(*, council: Council, limit: int = 30) -> list[RecommendationResponse]:
    """The latest answers to the council's public recommendations, newest first, with the recommendation and
    its state body: one query."""
    return list(
        RecommendationResponse.objects.filter(recommendation__in=public_recommendations().filter(council=council))
        .select_related("recommendation", "recommendation__state_body")
        .order_by("-received_on", "-id")[:limit]
    )


# ---- information requests in public ---------------------------------------------------------------------------
# The public sees the requests of published councils that have left the draft: what was asked, of whom, when,
# the limit by the request's rule, every answer (classified) with its document, and the history of states. A
# request names no person: the requester is the council.


def public_information_requests() -> QuerySet[InformationRequest]:
    """Information requests the public may see: of a published council, no longer a draft."""
    return InformationRequest.objects.filter(council__is_published=True).exclude(status=InformationRequestStatus.DRAFT)


def _request_base(
    *,
    council: Council | None = None,
    state_body: StateBody | None = None,
    year: int | None = None,
    batch_id: int | None = None,
    as_of: dt.date | None = None,
) -> QuerySet[InformationRequest]:
    requests = public_information_requests()
    if council is not None:
        requests = requests.filter(council=council)
    if state_body is not None:
        requests = requests.filter(state_body=state_body)
    if year is not None:
        requests = requests.filter(sent_on__year=year)
    if batch_id is not None:
        requests = requests.filter(batch_id=batch_id)
    annotated = lifecycle_annotate(INFORMATION_REQUEST_LIFECYCLE, requests, as_of=as_of)
    # As of a past day, a request still a draft then was not public yet.
    return annotated.exclude(status_on=InformationRequestStatus.DRAFT) if as_of is not None else annotated


def information_request_list(
    *,
    today: dt.date,
    council: Council | None = None,
    state_body: StateBody | None = None,
    year: int | None = None,
    status: str = "",
    batch_id: int | None = None,
    as_of: dt.date | None = None,
) -> QuerySet[InformationRequest]:
    """The public requests so filtered, newest sent first, each with `effective_due_date`, `has_response`,
    `status_on`, `first_answer_on` (as of `as_of`, a closed year's last day, or now), the holder, the council and
    the answers in order. `status` is a status or "overdue". Two queries per page."""
    answers = InformationRequestResponse.objects.filter(information_request=OuterRef("pk"))
    if as_of is not None:
        answers = answers.filter(received_on__lte=as_of)
    first_answer = Subquery(answers.order_by("received_on", "id").values("received_on")[:1])
    requests = _request_base(
        council=council, state_body=state_body, year=year, batch_id=batch_id, as_of=as_of
    ).annotate(first_answer_on=first_answer)
    if status == "overdue":
        requests = requests.filter(lifecycle_overdue_q(INFORMATION_REQUEST_LIFECYCLE, today))
    elif status:
        requests = requests.filter(status_on=status)  # type: ignore[misc]  # annotated in _request_base
    return (
        requests.select_related("state_body", "council", "batch")
        .prefetch_related(
            Prefetch(
                "responses",
                queryset=InformationRequestResponse.objects.select_related("transferred_to").order_by(
                    "received_on", "id"
                ),
            )
        )
        .order_by("-sent_on", "-id")
    )


def information_request_summary(
    *,
    today: dt.date,
    council: Council | None = None,
    state_body: StateBody | None = None,
    year: int | None = None,
    batch_id: int | None = None,
    as_of: dt.date | None = None,
) -> StatusSummary:
    """{"total", "overdue", "by_status"} of the public requests so filtered, as of the end of `as_of` (or now):
    one query."""
    rows = (
        _request_base(council=council, state_body=state_body, year=year, batch_id=batch_id, as_of=as_of)
        .order_by()
        .values("status_on")  # type: ignore[misc]  # annotated in _request_base
        .annotate(n=Count("id"), overdue=Count("id", filter=lifecycle_overdue_q(INFORMATION_REQUEST_LIFECYCLE, today)))
    )
    by_status = {value: 0 for value in InformationRequestStatus.values if value != InformationRequestStatus.DRAFT}
    summary: StatusSummary = {"total": 0, "overdue": 0, "by_status": by_status}
    for row in rows:
        by_status[row["status_on"]] = by_status.get(row["status_on"], 0) + row["n"]
        summary["total"] += row["n"]
        summary["overdue"] += row["overdue"]
    return summary


def information_request_addressees(*, council: Council) -> list[StateBody]:
    """The holders on file the council's public requests went to, by name: one query."""
    addressed = public_information_requests().filter(council=council).values("state_body_id")
    return list(StateBody.objects.filter(id__in=addressed).order_by("name"))


def information_request_years(*, council: Council | None = None, state_body: StateBody | None = None) -> list[int]:
    """The years the public requests (of a council, or to a holder) were sent, newest first: one query."""
    requests = public_information_requests().filter(sent_on__isnull=False)
    if council is not None:
        requests = requests.filter(council=council)
    if state_body is not None:
        requests = requests.filter(state_body=state_body)
    rows = requests.annotate(year=ExtractYear("sent_on")).values_list("year", flat=True).order_by()
    return sorted(set(rows), reverse=True)


def public_information_request_get(*, council: Council, pk: int) -> InformationRequest | None:
    """One public request with its holder, batch, answers (with the holder a transfer named) and history (without
    who made each step: staff are not named on public pages): three queries."""
    return (
        lifecycle_annotate(INFORMATION_REQUEST_LIFECYCLE, public_information_requests().filter(council=council, pk=pk))
        .select_related("state_body", "council", "batch")
        .prefetch_related(
            Prefetch(
                "responses",
                queryset=InformationRequestResponse.objects.select_related("transferred_to").order_by(
                    "received_on", "id"
                ),
            ),
            Prefetch(
                "history",
                queryset=InformationRequestStatusChange.objects.exclude(status=InformationRequestStatus.DRAFT)
                .only("id", "information_request_id", "status", "changed_on", "note")
                .order_by("id"),
            ),
        )
        .first()
    )


def public_information_request_batch_get(*, council: Council, pk: int) -> InformationRequestBatch | None:
    """A batch with at least one public request: one query."""
    public = public_information_requests().filter(council=council)
    return InformationRequestBatch.objects.filter(council=council, pk=pk, requests__in=public).distinct().first()


def public_request_answer_document_get(
    *, council: Council, request_id: int, answer_id: int
) -> InformationRequestResponse | None:
    """An answer with a document, to a public request of this council, with its request: one query."""
    return (
        InformationRequestResponse.objects.filter(
            pk=answer_id,
            information_request__in=public_information_requests().filter(council=council, pk=request_id),
        )
        .exclude(document="")
        .select_related("information_request")
        .first()
    )


@dataclass(frozen=True)
class HolderRequestStats:
    """How a holder answers information requests (from every published council), as of a day: received (sent to
    it), answered (an answer on file), answered on time (the first answer by the extended limit), refused (by
    ground) and overdue."""

    received: int
    answered: int
    answered_on_time: int
    refused: int
    overdue: int
    refused_by_ground: dict[str, int]

    @property
    def on_time_share(self) -> float | None:
        return self.answered_on_time / self.received if self.received else None


def _request_figures(
    requests: QuerySet[InformationRequest], *, as_of: dt.date
) -> tuple[dict[str, int], dict[str, int]]:
    """The figures of `requests` (sent ones), as of the end of `as_of`: two queries. Returns the counts and the
    refusals by ground."""
    lifecycle = INFORMATION_REQUEST_LIFECYCLE
    answers = InformationRequestResponse.objects.filter(information_request=OuterRef("pk"), received_on__lte=as_of)
    first_answer = Subquery(answers.order_by("received_on", "id").values("received_on")[:1])
    sent = requests.filter(sent_on__isnull=False, sent_on__lte=as_of)
    row = (
        lifecycle_annotate(lifecycle, sent, as_of=as_of)
        .annotate(first_answer_on=first_answer)
        .aggregate(
            received=Count("id"),
            answered=Count("id", filter=Q(first_answer_on__isnull=False)),
            on_time=Count("id", filter=Q(first_answer_on__isnull=False, first_answer_on__lte=F("effective_due_date"))),
            refused=Count("id", filter=Q(status_on=InformationRequestStatus.REFUSED)),
            overdue=Count("id", filter=lifecycle_overdue_q(lifecycle, as_of)),
        )
    )
    grounds = dict.fromkeys(RefusalGround.values, 0)
    refusals = (
        InformationRequestResponse.objects.filter(
            information_request__in=sent, kind=AnswerKind.REFUSED, received_on__lte=as_of
        )
        .values("refusal_ground")
        .annotate(n=Count("information_request_id", distinct=True))
        .order_by()
    )
    for refusal in refusals:
        grounds[refusal["refusal_ground"]] = refusal["n"]
    return row, grounds


def public_holder_request_stats(*, state_body: StateBody, as_of: dt.date) -> HolderRequestStats:
    """The holder's figures over every published council's public requests, as of `as_of`: two queries."""
    row, grounds = _request_figures(public_information_requests().filter(state_body=state_body), as_of=as_of)
    return HolderRequestStats(
        received=row["received"],
        answered=row["answered"],
        answered_on_time=row["on_time"],
        refused=row["refused"],
        overdue=row["overdue"],
        refused_by_ground=grounds,
    )


def public_information_request_answers(
    *, council: Council | None = None, state_body: StateBody | None = None, limit: int = 30
) -> list[InformationRequestResponse]:
    """The latest answers to public requests (of a council, or from a holder), newest first: one query."""
    requests = public_information_requests()
    if council is not None:
        requests = requests.filter(council=council)
    if state_body is not None:
        requests = requests.filter(state_body=state_body)
    return list(
        InformationRequestResponse.objects.filter(information_request__in=requests)
        .select_related("information_request", "information_request__state_body", "information_request__council")
        .order_by("-received_on", "-id")[:limit]
    )


def public_information_requests_sent(
    *, council: Council | None = None, state_body: StateBody | None = None, limit: int = 30
) -> list[InformationRequest]:
    """The latest public requests sent (of a council, or to a holder), newest first: one query."""
    requests = public_information_requests().filter(sent_on__isnull=False)
    if council is not None:
        requests = requests.filter(council=council)
    if state_body is not None:
        requests = requests.filter(state_body=state_body)
    return list(requests.select_related("state_body", "council").order_by("-sent_on", "-id")[:limit])


@dataclass(frozen=True)
class HolderYearRow:
    """One holder's line in the annual report: the council's requests sent to it in the year, as of a day."""

    holder: str
    sent: int
    answered: int
    answered_on_time: int
    refused: int
    overdue: int


def information_requests_by_holder(*, council: Council, year: int, as_of: dt.date) -> list[HolderYearRow]:
    """The requests the council sent in the year, by holder (most requests first), as they stood at the end of
    `as_of` (answers received later do not count): one query."""
    lifecycle = INFORMATION_REQUEST_LIFECYCLE
    answers = InformationRequestResponse.objects.filter(information_request=OuterRef("pk"), received_on__lte=as_of)
    first_answer = Subquery(answers.order_by("received_on", "id").values("received_on")[:1])
    requests = (
        lifecycle_annotate(
            lifecycle, InformationRequest.objects.filter(council=council, sent_on__year=year), as_of=as_of
        )
        .annotate(first_answer_on=first_answer)
        .select_related("state_body")
        .order_by("id")
    )
    rows: dict[str, dict[str, int]] = {}
    for item in requests:
        row = rows.setdefault(item.addressee, dict.fromkeys(("sent", "answered", "on_time", "refused", "overdue"), 0))
        row["sent"] += 1
        if item.first_answer_on is not None:
            row["answered"] += 1
            due = item.effective_due_date
            row["on_time"] += due is None or item.first_answer_on <= due
        row["refused"] += item.status_on == InformationRequestStatus.REFUSED
        row["overdue"] += lifecycle_is_overdue(lifecycle, item, as_of)
    return sorted(
        (
            HolderYearRow(
                holder=name,
                sent=r["sent"],
                answered=r["answered"],
                answered_on_time=r["on_time"],
                refused=r["refused"],
                overdue=r["overdue"],
            )
            for name, r in rows.items()
        ),
        key=lambda row: (-row.sent, row.holder),
    )
