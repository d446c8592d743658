"""The person's side: the request form, the one-time confirmation link and the one-time download link.

Both links show a page with a button rather than act on GET: mail scanners open links, and must not spend them.
"""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from core.public_forms import SubmissionLimits, public_form_refusal

from .forms import DataRequestForm
from .requests_selectors import request_deadlines
from .services import confirmation_for_token, export_claim, export_for_token, request_confirm, request_submit

REQUEST_LIMITS = SubmissionLimits(
    group="privacy-request", per_ip="PRIVACY_RATE_PER_IP", per_email="PRIVACY_RATE_PER_EMAIL"
)


@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    status, notice = 200, ""
    if request.method == "POST":
        form = DataRequestForm(request.POST)
        refusal = public_form_refusal(request, form, limits=REQUEST_LIMITS)
        if refusal is not None:
            notice, status = refusal.notice, refusal.status
        elif form.is_valid():
            data = form.cleaned_data
            request_submit(
                email=data["email"],
                kind=data["kind"],
                details=data["details"],
                council=data["council"],
                language=translation.get_language() or settings.LANGUAGE_CODE,
            )
            return redirect("privacy:request_sent")
        else:
            status = 400
    else:
        form = DataRequestForm()
    return render(request, "privacy/request.html", {"form": form, "notice": notice}, status=status)


@require_GET
def request_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/request_sent.html", {"hours": settings.OVERSIGHT["PRIVACY_LINK_HOURS"]})


def _link_gone(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/link_gone.html", status=404)


@never_cache
@require_http_methods(["GET", "POST"])
def request_confirm_view(request: HttpRequest, token: str) -> HttpResponse:
    confirmation = confirmation_for_token(token)
    if confirmation is None:
        return _link_gone(request)
    if request.method == "GET":
        return render(request, "privacy/confirm.html", {"confirmation": confirmation})
    registered = request_confirm(token=token)
    if not registered:
        return _link_gone(request)
    deadlines = request_deadlines(registered)
    rows = [(r, deadlines[r.pk]) for r in registered]
    return render(request, "privacy/confirmed.html", {"rows": rows})


@never_cache
@require_http_methods(["GET", "POST"])
def download(request: HttpRequest, token: str) -> HttpResponse:
    data_request = export_for_token(token)
    if data_request is None:
        return _link_gone(request)
    if request.method == "GET":
        return render(request, "privacy/download.html", {"data_request": data_request})
    if not export_claim(request=data_request):
        raise Http404
    try:
        handle = data_request.export_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle, as_attachment=True, filename=f"{data_request.number}.zip", content_type="application/zip"
    )
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True)
    return response
