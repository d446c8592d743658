"""Public pages about councils alone (pages that combine other apps' figures live in `reports`)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .selectors import published_councils


@require_safe
def council_list(request: HttpRequest) -> HttpResponse:
    return render(request, "councils/council_list.html", {"councils": published_councils()})
