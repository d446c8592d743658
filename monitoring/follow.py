"""What the public sees of monitoring's records that a citizen can follow by e-mail (core/follow.py): a
recommendation, a draft act review, an information request, and a state body (the recommendations addressed to
it). Registered in `MonitoringConfig.ready()`; the states hold codes, ids, dates and digests, never a text."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.follow import Followable, State, iso_day, register_followable, text_digest
from councils.models import StateBody

from .models import (
    DraftActReview,
    DraftConclusion,
    InformationRequest,
    InformationRequestStatus,
    Recommendation,
    RecommendationResponse,
    RecommendationStatus,
)
from .open_api import public_draft_reviews
from .selectors import public_information_requests, public_recommendations


def _answers(item: Recommendation | InformationRequest) -> State:
    answers = list(item.responses.order_by("id").values_list("id", "document"))
    return {"answers": [pk for pk, _document in answers], "documents": [pk for pk, document in answers if document]}


def recommendation_state(item: Recommendation) -> State:
    return {"status": item.status, **_answers(item)}


def information_request_state(item: InformationRequest) -> State:
    return {"status": item.status, **_answers(item), "extended_until": iso_day(item.extended_until)}


def draft_review_state(item: DraftActReview) -> State:
    return {
        "conclusion": item.conclusion,
        "remarks": text_digest(item.remarks),
        "window": [iso_day(item.discussion_start), iso_day(item.discussion_end)],
        "draft": text_digest(item.draft_url or item.draft_file.name or ""),
    }


def state_body_state(body: StateBody) -> State:
    """The recommendations the public sees addressed to the body (of every published council): which there are,
    the status of each, and their answers. Two queries."""
    recommendations = public_recommendations().filter(state_body=body)
    statuses = dict(recommendations.order_by("id").values_list("id", "status"))
    answers = RecommendationResponse.objects.filter(recommendation__in=recommendations).order_by("id")
    return {
        "recommendations": list(statuses),
        "statuses": {str(pk): status for pk, status in statuses.items()},
        "answers": list(answers.values_list("id", flat=True)),
    }


def recommendation_path(item: Recommendation) -> str:
    """A recommendation has no page of its own: its card on the tracker, in the year it was issued."""
    return reverse("reports:recommendations", args=[item.council.slug]) + f"?year={item.issued_on.year}#rec-{item.pk}"


def _state_bodies() -> QuerySet[StateBody]:
    return StateBody.objects.all()


def register() -> None:
    kinds: tuple[Followable, ...] = (
        Followable(
            "recommendation",
            _("Recommendation"),
            "monitoring.Recommendation",
            public=lambda: public_recommendations().select_related("council"),
            state=recommendation_state,
            path=recommendation_path,
            title=lambda item: item.text,
            council=lambda item: item.council,
            segment="recommendations",
            statuses=RecommendationStatus,
        ),
        Followable(
            "draft_review",
            _("Draft act review"),
            "monitoring.DraftActReview",
            public=public_draft_reviews,
            state=draft_review_state,
            path=lambda item: reverse("reports:draft_consultation", args=[item.council.slug, item.pk]),
            title=lambda item: item.title,
            council=lambda item: item.council,
            segment="draft-reviews",
            statuses=DraftConclusion,
        ),
        Followable(
            "information_request",
            _("Information request"),
            "monitoring.InformationRequest",
            public=lambda: public_information_requests().select_related("council"),
            state=information_request_state,
            path=lambda item: reverse("reports:information_request", args=[item.council.slug, item.pk]),
            title=lambda item: item.subject,
            council=lambda item: item.council,
            segment="information-requests",
            statuses=InformationRequestStatus,
        ),
        # A state body is a record of the whole portal: its follow is kept under no council.
        Followable(
            "state_body",
            _("State body"),
            "councils.StateBody",
            public=_state_bodies,
            state=state_body_state,
            path=lambda body: reverse("reports:state_body", args=[body.slug]),
            title=lambda body: body.name,
            council=lambda body: None,
            segment="state-bodies",
            statuses=RecommendationStatus,
            about=_(
                "Get an e-mail when a public council makes a recommendation to this state body, when the body "
                "answers one, or when a recommendation's status changes. Changes close together come in one message."
            ),
            official_name=True,
        ),
    )
    for kind in kinds:
        register_followable(kind)
