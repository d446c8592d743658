"""The privacy notice (public) and the register of processing (staff)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import generic

from councils.workspace import CouncilScopedMixin

from .selectors import notice_summary, portal_operator, register_rows, request_form_url


def privacy_notice(request: HttpRequest) -> HttpResponse:
    context = {
        "operator": portal_operator(),
        "subjects": notice_summary(),
        "retention_years": settings.OVERSIGHT["APPEAL_RETENTION_YEARS"],
        "request_url": request_form_url(),
    }
    return render(request, "privacy/notice.html", context)


class RegisterView(CouncilScopedMixin, generic.TemplateView):
    """Every personal field the portal keeps, for the council's staff: the same declaration the retention task,
    the privacy sweep and the access export are built from."""

    template_name = "privacy/register.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["rows"] = register_rows()
        context["operator"] = portal_operator()
        return context
