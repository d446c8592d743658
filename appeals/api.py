"""The public appeals API: submit (the same rules as the web form) and track by number and secret token."""

from __future__ import annotations

import uuid

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import translation
from rest_framework import status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from councils.models import Council

from .deadlines import appeal_deadline_explained
from .forms import PublicAppealForm
from .notifications import tracking_url
from .views import _appeal_for_token, _rate_limited, submit_from_form


class AppealSubmitView(APIView):
    """POST an appeal. Send an `Idempotency-Key` header to make retries safe: the same key gives the same appeal."""

    authentication_classes: list = []  # public; no session, so no CSRF for API clients
    permission_classes: list = []
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def post(self, request: Request, slug: str) -> Response:
        council = get_object_or_404(Council, slug=slug, is_published=True)
        data = request.data.copy() if hasattr(request.data, "copy") else dict(request.data)
        if not isinstance(data, dict) and not hasattr(data, "getlist"):
            return Response({"non_field_errors": ["Expected a JSON object."]}, status=400)
        consent = data.get("personal_data_consent")
        # JSON true arrives as a Python bool; the form's checkbox wants a truthy string.
        data["personal_data_consent"] = "on" if consent in (True, "true", "True", "1", "on") else ""
        data["submission_key"] = (request.headers.get("Idempotency-Key") or uuid.uuid4().hex)[:64]
        language = data.get("language") or translation.get_language()
        with translation.override(language if language in ("ru", "kk", "en") else "ru"):
            form = PublicAppealForm(data=data, files=request.FILES)
            if form.is_spam():
                return Response({"non_field_errors": ["Rejected."]}, status=400)
            if _rate_limited(request._request):
                return Response(
                    {"non_field_errors": [str(translation.gettext("Too many appeals. Try again later."))]},
                    status=status.HTTP_429_TOO_MANY_REQUESTS,
                )
            if not form.is_valid():
                return Response({field: [str(e) for e in errors] for field, errors in form.errors.items()}, status=400)
            appeal, created = submit_from_form(council=council, form=form)
        return Response(
            {"number": appeal.number, "tracking_url": tracking_url(appeal)},
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class AppealTrackView(APIView):
    authentication_classes: list = []
    permission_classes: list = []

    def get(self, request: Request, number: str) -> Response:
        appeal = _appeal_for_token(number, request.query_params.get("token", ""))
        deadline = appeal_deadline_explained(appeal=appeal)
        return Response(
            {
                "number": appeal.number,
                "council": appeal.council.slug,
                "status": appeal.status,
                "status_display": appeal.get_status_display(),
                "registered_at": appeal.registered_at,
                "deadline": deadline.effective,
                "deadline_explained": {
                    "start": deadline.explanation.start,
                    "working_days": deadline.explanation.n,
                    "end": deadline.explanation.end,
                    "skipped": [{"date": d, "reason": str(r)} for d, r in deadline.explanation.skipped],
                    "extended_until": appeal.extended_until,
                },
                "forwarded_to": appeal.forwarded_to.name if appeal.forwarded_to else None,
                "history": [
                    {"status": h.status, "status_display": h.get_status_display(), "at": h.changed_at}
                    for h in appeal.history.all()
                ],
                "answer": {"text": appeal.answer_text, "date": appeal.answered_on} if appeal.answer_text else None,
            }
        )


urlpatterns = [
    path("councils/<slug:slug>/appeals/", AppealSubmitView.as_view(), name="api-appeal-submit"),
    path("appeals/track/<str:number>/", AppealTrackView.as_view(), name="api-appeal-track"),
]
