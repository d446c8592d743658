"""The public pages of a council's education and justice work: the year's trainings, seminars and campaigns; one
training with its materials and partners; and the consultation log as counts only (by month, topic, kind,
channel and outcome: `selectors.consultation_counts`), never a row of it."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.dates import MONTHS
from django.views.decorators.http import require_safe

from councils.views import lazy, parse_year, pick_year, public_council_or_404

from .models import Audience, ConsultationChannel, ConsultationKind, ConsultationOutcome, ConsultationTopic
from .selectors import (
    consultation_counts,
    consultation_years,
    public_training_get,
    public_trainings_for_year,
    training_counts,
    training_years,
)


def labelled(counts: dict[str, int], choices: Any) -> list[tuple[str, int]]:
    """(label, count) in the choices' order, zero rows left out."""
    return [(str(label), counts.get(value, 0)) for value, label in choices.choices if counts.get(value, 0)]


@require_safe
def training_list(request: HttpRequest, slug: str) -> HttpResponse:
    council = public_council_or_404(slug)
    requested = parse_year(request.GET.get("year"))

    def build() -> dict[str, Any]:
        year, years = pick_year(requested, training_years(council=council))
        counts = training_counts(council=council, year=year)
        return {
            "year": year,
            "years": years,
            "trainings": public_trainings_for_year(council=council, year=year),
            "counts": counts,
            "audiences": [
                (label, counts.by_audience.get(value, 0), counts.participants_by_audience.get(value, 0))
                for value, label in Audience.choices
                if counts.by_audience.get(value, 0)
            ],
        }

    context = {
        "council": council,
        "section": "trainings",
        "cache_vary": f"year={requested or 'default'}",
        "page": lazy(build),
    }
    return render(request, "outreach/public/training_list.html", context)


@require_safe
def training_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    council = public_council_or_404(slug)
    training = public_training_get(council=council, pk=pk)
    if training is None:
        raise Http404
    context = {"council": council, "section": "trainings", "training": training}
    return render(request, "outreach/public/training_detail.html", context)


@require_safe
def consultation_figures(request: HttpRequest, slug: str) -> HttpResponse:
    council = public_council_or_404(slug)
    requested = parse_year(request.GET.get("year"))

    def build() -> dict[str, Any]:
        year, years = pick_year(requested, consultation_years(council=council))
        counts = consultation_counts(council=council, year=year)
        return {
            "year": year,
            "years": years,
            "counts": counts,
            "months": [(MONTHS[m], counts.by_month[str(m)]) for m in range(1, 13)],
            "topics": labelled(counts.by_topic, ConsultationTopic),
            "outcomes": labelled(counts.by_outcome, ConsultationOutcome),
            "kinds": labelled(counts.by_kind, ConsultationKind),
            "channels": labelled(counts.by_channel, ConsultationChannel),
        }

    context = {
        "council": council,
        "section": "legal_advice",
        "cache_vary": f"year={requested or 'default'}",
        "page": lazy(build),
    }
    return render(request, "outreach/public/consultations.html", context)
