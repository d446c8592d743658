"""The inbound-mail webhook: a mail provider (or a relay of our own) POSTs one deputy's reply here.

POST /inbound/deputy-answers/ with the header `X-Oversight-Inbound-Secret: <OVERSIGHT_INBOUND_SECRET>` and the raw
RFC 822 message either as the body (Content-Type message/rfc822 or application/octet-stream) or as the form field
`message` (multipart/form-data or urlencoded; the field `recipient` may give the envelope recipient). Answers:
404 when the webhook is off (no secret set), 403 on a wrong secret, 400 without a message, 413 on a message over
the limit, otherwise 200 with `{"accepted": …, "outcome": …}`: a refusal of the message itself (a forged token,
another sender) is final, and a 2xx keeps providers from retrying it."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.crypto import constant_time_compare
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .services import answer_by_email

SECRET_HEADER = "X-Oversight-Inbound-Secret"  # noqa: S105 - the header's name
RAW_TYPES = ("message/rfc822", "application/octet-stream", "text/plain")


@csrf_exempt
@require_POST
def deputy_answer_webhook(request: HttpRequest) -> HttpResponse:
    secret = getattr(settings, "OVERSIGHT_INBOUND_SECRET", "")
    if not secret:
        raise Http404
    if not constant_time_compare(request.headers.get(SECRET_HEADER, ""), secret):
        return JsonResponse({"error": "forbidden"}, status=403)
    limit = settings.OVERSIGHT_DEPUTY_ANSWER_MAX_BYTES
    if int(request.headers.get("Content-Length") or 0) > limit + 64 * 1024:
        return JsonResponse({"accepted": False, "outcome": "too_large"}, status=413)
    content_type = request.content_type or ""
    recipient = ""
    if content_type in RAW_TYPES:
        raw = request.body
    else:
        message = request.POST.get("message", "")
        upload = request.FILES.get("message")
        raw = upload.read(limit + 1) if upload is not None else message.encode("utf-8", "surrogateescape")
        recipient = request.POST.get("recipient", "")[:320]
    if not raw:
        return JsonResponse({"error": "no message"}, status=400)
    result = answer_by_email(raw=raw, recipient=recipient)
    if result.outcome == "too_large":
        return JsonResponse({"accepted": False, "outcome": result.outcome}, status=413)
    return JsonResponse({"accepted": result.accepted, "outcome": result.outcome})
