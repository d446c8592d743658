"""The public pages of the expert registry: a council's experts (search by area, language and words), one expert's
profile and CV, and the search across councils. Only approved experts who consent to be published are shown
(`councils.expert_selectors.public_experts`); a withdrawn consent makes each of these pages 404 for the person.
Free-text search is never cached (core/page_cache.py); the pages without it are."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from core.files import stored_file_download

from .expert_selectors import expertise_areas, public_experts, search_experts
from .models import Council, ExpertAppointment
from .views import page_number, paginate, public_council_or_404

PER_PAGE = 25
LANGUAGE_FILTERS = (
    ("", _("Any language")),
    ("ru", _("Russian")),
    ("kk", _("Kazakh")),
    ("en", _("English")),
    ("other", _("Other languages")),
)


class PublicExpertFilterForm(forms.Form):
    """The public registry's filters (GET): an unknown value is ignored, never an error page."""

    q = forms.CharField(label=_("Area or words"), max_length=200, required=False)
    area = forms.ChoiceField(label=_("Area of expertise"), required=False)
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_FILTERS, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, Any]] = [("", _("All areas"))]
        choices += [(area.key, area.name) for area in expertise_areas()]
        self.fields["area"].choices = choices  # type: ignore[attr-defined]


def filter_public_experts(
    queryset: QuerySet[ExpertAppointment], form: PublicExpertFilterForm
) -> QuerySet[ExpertAppointment]:
    if not form.is_bound or not form.is_valid():
        return queryset
    data = form.cleaned_data
    if data.get("area"):
        queryset = queryset.filter(areas__key=data["area"])
    language = data.get("language")
    if language in ("ru", "kk", "en"):
        queryset = queryset.filter(**{f"speaks_{language}": True})
    elif language == "other":
        queryset = queryset.exclude(other_languages="")
    if data.get("q"):
        queryset = search_experts(queryset, data["q"])
    return queryset


def _registry_page(request: HttpRequest, queryset: QuerySet[ExpertAppointment]) -> dict[str, Any]:
    form = PublicExpertFilterForm(request.GET or None)
    experts = filter_public_experts(queryset, form)
    page = paginate(experts, page_number(request), PER_PAGE)
    return {
        "form": form,
        "page_obj": page,
        "experts": page.object_list,
        "searching": any(request.GET.get(name) for name in ("q", "area", "language")),
    }


@require_safe
def council_experts(request: HttpRequest, slug: str) -> HttpResponse:
    """The council's approved experts who consent to be published: areas, languages, region; ?q=, ?area=,
    ?language=, ?page=."""
    council = public_council_or_404(slug)
    context = {"council": council, "section": "composition", **_registry_page(request, public_experts(council=council))}
    return render(request, "councils/experts.html", context)


def _public_expert_or_404(council: Council, pk: int) -> ExpertAppointment:
    expert = public_experts(council=council).filter(pk=pk).first()
    if expert is None:
        raise Http404
    return expert


@require_safe
def council_expert(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One expert's public profile (404 once the consent is withdrawn or the expert is no longer approved)."""
    council = public_council_or_404(slug)
    expert = _public_expert_or_404(council, pk)
    context = {"council": council, "section": "composition", "expert": expert}
    return render(request, "councils/expert.html", context)


@require_safe
def council_expert_cv(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    """The CV, only where the expert agreed to publish it (and still consents)."""
    council = public_council_or_404(slug)
    expert = _public_expert_or_404(council, pk)
    if not expert.cv_public or not expert.cv:
        raise Http404
    return stored_file_download(expert.cv, stem=f"{council.slug}-expert-{expert.pk}-cv", private=True)


@require_safe
def expert_search(request: HttpRequest) -> HttpResponse:
    """Search across every published council's public registry: «эколог», «градостроитель»."""
    context = _registry_page(request, public_experts())
    return render(request, "councils/expert_search.html", context)
