"""The public appeals API: submit (the same rules as the web form) and track by number and secret token."""

from __future__ import annotations

import re
import uuid
from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core import languages
from core.languages import LanguageField
from core.parsers import DepthLimitedJSONParser
from core.public_forms import public_form_refusal
from councils.models import Council

from .categories import category_choices, council_categories, council_localities
from .deadlines import appeal_deadline_explained
from .forms import MAX_ATTACHMENTS, PublicAppealForm
from .models import LATITUDE_RANGE, LONGITUDE_RANGE, ApplicantType, Category
from .notifications import tracking_url
from .selectors import council_taking_appeals
from .services import SubmissionKeyReused
from .views import APPEAL_LIMITS, _appeal_for_token, submit_from_form


# For the OpenAPI schema only: the views validate with the web form's rules and build their answers by hand.
# One schema per media type the endpoint takes, each a component of its own: with one schema for all three, a
# generated client cannot tell which body it holds and labels a multipart body as form-urlencoded.
class AppealSubmitSerializer(serializers.Serializer):
    """An appeal as JSON (`application/json`): no files."""

    applicant_type = serializers.ChoiceField(choices=ApplicantType.choices)
    name = serializers.CharField(required=False, max_length=255, help_text="Required for an individual.")
    organisation = serializers.CharField(required=False, max_length=255, help_text="Required for a legal entity.")
    bin_iin = serializers.CharField(required=False, max_length=12)
    email = serializers.EmailField(required=False, help_text="An e-mail or a phone is required.")
    phone = serializers.CharField(required=False, max_length=32)
    address = serializers.CharField(required=False, max_length=500)
    category = serializers.CharField(
        max_length=16,
        help_text="The code of one of the council's categories (`/api/v1/councils/{slug}/appeal-categories/`); "
        "a council without its own list takes the national one: " + ", ".join(Category.values) + ".",
    )
    locality = serializers.CharField(
        required=False,
        max_length=32,
        help_text="Optional: the code of one of the council's districts or towns (same address as the categories).",
    )
    subject = serializers.CharField(max_length=255)
    text = serializers.CharField(max_length=20000)
    place = serializers.CharField(required=False, max_length=500)
    latitude = serializers.DecimalField(
        max_digits=8,
        decimal_places=6,
        min_value=LATITUDE_RANGE[0],
        max_value=LATITUDE_RANGE[1],
        required=False,
        allow_null=True,
        coerce_to_string=False,
        help_text="Where the problem is (WGS 84 degrees), with `longitude` or not at all; rounded to 6 places. "
        "Seen by the council only, never published.",
    )
    longitude = serializers.DecimalField(
        max_digits=9,
        decimal_places=6,
        min_value=LONGITUDE_RANGE[0],
        max_value=LONGITUDE_RANGE[1],
        required=False,
        allow_null=True,
        coerce_to_string=False,
        help_text="With `latitude`.",
    )
    personal_data_consent = serializers.BooleanField(help_text="Must be true.")
    language = LanguageField(required=False)


class AppealSubmitMultipartSerializer(AppealSubmitSerializer):
    """An appeal as `multipart/form-data`: the same fields, and up to five files in `attachments`."""

    attachments = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        max_length=MAX_ATTACHMENTS,
        help_text="Up to 5 files (the field repeated), PDF, JPEG, PNG or DOCX by their content, at most 10 MB each.",
    )


class AppealSubmitFormSerializer(AppealSubmitSerializer):
    """An appeal as `application/x-www-form-urlencoded`: the JSON fields, as text; no files."""


APPEAL_SUBMIT_REQUEST = {
    "application/json": AppealSubmitSerializer,
    "multipart/form-data": AppealSubmitMultipartSerializer,
    "application/x-www-form-urlencoded": AppealSubmitFormSerializer,
}


SUBMITTED_SCHEMA = inline_serializer(
    "AppealSubmitted", {"number": serializers.CharField(), "tracking_url": serializers.URLField()}
)
# {"field": ["message", ...]}
ERRORS_SCHEMA = OpenApiTypes.OBJECT
TRACK_SCHEMA = inline_serializer(
    "AppealTracking",
    {
        "number": serializers.CharField(),
        "council": serializers.CharField(),
        "status": serializers.CharField(),
        "status_display": serializers.CharField(),
        "registered_at": serializers.DateTimeField(),
        "deadline": serializers.DateField(allow_null=True),
        "deadline_explained": serializers.JSONField(),
        "forwarded_to": serializers.CharField(allow_null=True),
        "history": serializers.JSONField(),
        "answer": inline_serializer(
            "AppealAnswer",
            {"text": serializers.CharField(), "date": serializers.DateField(allow_null=True)},
            allow_null=True,
        ),
    },
)


# A UTF-16 surrogate on its own: JSON may write one ("\ud800"), UTF-8 cannot encode it, so no database takes it.
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _form_data(request: Request) -> tuple[Any, dict[str, list[str]]]:
    """The posted fields as the form reads them, or the errors that refuse the body before the form runs.

    1. A form post gives its fields only: its files reach the form separately (copying `request.data` would
       deep-copy them too, which fails for an upload spooled to a temporary file).
    2. A JSON body must be an object whose values are text (or true/false): a list or an object would reach the
       form as its Python repr, and a lone surrogate would fail only when the database encodes it.
    """
    if hasattr(request.data, "getlist"):
        return request.POST.copy(), {}
    if not isinstance(request.data, dict):
        return None, {"non_field_errors": ["Expected a JSON object."]}
    errors = {}
    for name, value in request.data.items():
        if isinstance(value, list | dict):
            errors[name] = ["Expected a text value, not a list or an object."]
        elif isinstance(value, str) and LONE_SURROGATE.search(value):
            errors[name] = ["The text is not valid Unicode (a lone surrogate)."]
    return dict(request.data), errors


@extend_schema(
    summary="Submit an appeal (the web form's rules, rate-limited)",
    tags=["appeals"],
    request=APPEAL_SUBMIT_REQUEST,
    parameters=[
        OpenApiParameter(
            "Idempotency-Key",
            OpenApiTypes.STR,
            OpenApiParameter.HEADER,
            description="The same key with the same body from the same client gives the same appeal (200); "
            "the same key with another body is refused (422); another client's key is its own.",
        )
    ],
    responses={
        201: SUBMITTED_SCHEMA,
        200: SUBMITTED_SCHEMA,
        400: ERRORS_SCHEMA,
        404: OpenApiTypes.OBJECT,
        413: OpenApiTypes.OBJECT,
        422: ERRORS_SCHEMA,
        429: ERRORS_SCHEMA,
    },
)
class AppealSubmitView(APIView):
    """POST an appeal. Send an `Idempotency-Key` header to make retries safe: the same key with the same body
    gives the same appeal; with another body, 422."""

    authentication_classes: list = []  # public; no session, so no CSRF for API clients
    permission_classes: list = []
    parser_classes = [DepthLimitedJSONParser, MultiPartParser, FormParser]
    accepts_uploads = True  # its requests may carry the form's files (core/limits.py)

    def post(self, request: Request, slug: str) -> Response:
        council = council_taking_appeals(slug)
        if council is None:
            raise Http404
        data, errors = _form_data(request)
        if errors:
            return Response(errors, status=400)
        consent = data.get("personal_data_consent")
        # JSON true arrives as a Python bool; the form's checkbox wants a truthy string.
        data["personal_data_consent"] = "on" if consent in (True, "true", "True", "1", "on") else ""
        data["submission_key"] = (request.headers.get("Idempotency-Key") or uuid.uuid4().hex)[:64]
        # An appeal in a language the portal does not have is refused: its mail would otherwise go out in Russian.
        language = data.get("language") or translation.get_language() or languages.default()
        if not languages.is_supported(language):
            # The value is not echoed: whatever a client sent (markup included) stays out of the answer.
            message = translation.gettext("This language is not available; the languages are: %(codes)s.")
            return Response({"language": [message % {"codes": ", ".join(languages.codes())}]}, status=400)
        with translation.override(language):
            form = PublicAppealForm(data=data, files=request.FILES, council=council)
            refusal = public_form_refusal(
                request._request, form, limits=APPEAL_LIMITS, email=str(data.get("email") or "")
            )
            if refusal is not None:
                return Response({"non_field_errors": [refusal.notice]}, status=refusal.status)
            if not form.is_valid():
                return Response({field: [str(e) for e in errors] for field, errors in form.errors.items()}, status=400)
            try:
                appeal, created = submit_from_form(council=council, form=form, request=request._request)
            except SubmissionKeyReused:
                # The same key with another body: refused, and nothing of the appeal that holds the key is told.
                return Response(
                    {
                        "non_field_errors": [
                            translation.gettext(
                                "This Idempotency-Key was already used for a different request. "
                                "Send a new key for a new appeal."
                            )
                        ]
                    },
                    status=status.HTTP_422_UNPROCESSABLE_ENTITY,
                )
        return Response(
            {"number": appeal.number, "tracking_url": tracking_url(appeal)},
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


@extend_schema(
    summary="Follow an appeal by its number and secret token",
    tags=["appeals"],
    parameters=[OpenApiParameter("token", OpenApiTypes.STR, required=True, description="From the tracking link.")],
    responses={200: TRACK_SCHEMA, 404: OpenApiTypes.OBJECT},
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


def _place_entry(code: str, record: Any | None, fallback: str) -> dict[str, Any]:
    return {
        "code": code,
        "name": record.name if record is not None else fallback,
        "name_ru": record.name_ru if record is not None else None,
        "name_kk": record.name_kk if record is not None else None,
        "name_en": record.name_en if record is not None else None,
    }


PLACES_SCHEMA = inline_serializer(
    "AppealPlaces",
    {
        "categories": serializers.JSONField(help_text="[{code, name, name_ru, name_kk, name_en}] the form takes"),
        "localities": serializers.JSONField(help_text="[{code, kind, name, name_ru, name_kk, name_en}]; may be empty"),
    },
)


@extend_schema(
    summary="The categories and districts/towns a council's appeal form takes",
    tags=["appeals"],
    responses={200: PLACES_SCHEMA, 404: OpenApiTypes.OBJECT},
)
class AppealPlacesView(APIView):
    """GET /api/v1/councils/<slug>/appeal-categories/: the codes `category` and `locality` take, with their names
    (`name` in the reader's language, the three official columns beside it)."""

    authentication_classes: list = []
    permission_classes: list = []

    def get(self, request: Request, slug: str) -> Response:
        council = get_object_or_404(Council, slug=slug, is_published=True)
        own = {c.code: c for c in council_categories(council=council)}
        categories = [_place_entry(code, own.get(code), name) for code, name in category_choices(council=council)]
        localities = [
            {**_place_entry(loc.code, loc, loc.name), "kind": loc.kind}
            for loc in council_localities(council=council, active_only=True)
        ]
        return Response({"categories": categories, "localities": localities})


urlpatterns = [
    path("councils/<slug:slug>/appeal-categories/", AppealPlacesView.as_view(), name="api-appeal-places"),
    path("councils/<slug:slug>/appeals/", AppealSubmitView.as_view(), name="api-appeal-submit"),
    path("appeals/track/<str:number>/", AppealTrackView.as_view(), name="api-appeal-track"),
]
