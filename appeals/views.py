"""The citizen's side of appeals: the public form and the tracking page."""

from __future__ import annotations

import logging
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from core.files import stored_file_download
from core.limits import accepts_uploads, content_length
from core.public_forms import SubmissionLimits, public_form_refusal
from core.ratelimit import client_ip, submission_rate_limited
from councils.models import Council

from .categories import category_labels
from .deadlines import appeal_deadline_explained
from .forms import AppealFeedbackForm, CitizenMessageForm, PublicAppealForm
from .models import Appeal, AppealAttachment
from .notifications import tracking_path
from .selectors import council_taking_appeals
from .services import (
    OPEN_STATUSES,
    ApplicantData,
    SubmissionKeyReused,
    appeal_accepts_messages,
    appeal_add_citizen_message,
    appeal_answer_awaiting_feedback,
    appeal_message_allowance,
    appeal_record_feedback,
    appeal_reply_open_until,
    appeal_submit,
)

logger = logging.getLogger(__name__)


APPEAL_LIMITS = SubmissionLimits(group="appeal-submit", per_ip="APPEAL_RATE_PER_IP", per_email="APPEAL_RATE_PER_EMAIL")


def scoped_submission_key(request: HttpRequest, key: str) -> str:
    """The submission key as stored: bound to the client that sent it (an HMAC of the client's address, read
    as the rate limits read it, and the key). The same key from another client, guessed or leaked, is another
    key: it never reaches the first client's appeal. The HMAC keeps the address itself out of the database."""
    if not key:
        return ""
    client = client_ip(request)
    return salted_hmac("appeals.submission_key", f"{client}\n{key}", algorithm="sha256").hexdigest()


def submit_from_form(*, council: Council, form: PublicAppealForm, request: HttpRequest) -> tuple[Appeal, bool]:
    """Register the appeal of a valid public form (web or API). Raises SubmissionKeyReused when this client
    already used the form's key for other content."""
    data = form.cleaned_data
    return appeal_submit(
        council=council,
        applicant=ApplicantData(
            applicant_type=data["applicant_type"],
            name=data["name"],
            organisation=data["organisation"],
            bin_iin=data["bin_iin"],
            email=data["email"],
            phone=data["phone"],
            address=data["address"],
        ),
        category=data["category"],
        locality=data.get("locality"),
        subject=data["subject"],
        text=data["text"],
        place=data["place"],
        latitude=data["latitude"],
        longitude=data["longitude"],
        language=translation.get_language() or settings.LANGUAGE_CODE,
        personal_data_consent=data["personal_data_consent"],
        attachments=data["attachments"],
        submission_key=scoped_submission_key(request, data["submission_key"]),
    )


@require_http_methods(["GET", "HEAD"])
def appeal_start(request: HttpRequest) -> HttpResponse:
    """The home page's "Submit an appeal" (?council=<slug>): straight to that council's form; without a council
    it can take, to the list of councils to choose one."""
    slug = request.GET.get("council", "")
    if Council.objects.filter(slug=slug, is_published=True).exists():
        return redirect("appeals:new", slug=slug)
    return redirect("reports:councils")


@accepts_uploads
@require_http_methods(["GET", "POST"])
def appeal_new(request: HttpRequest, slug: str) -> HttpResponse:
    council = council_taking_appeals(slug)
    if council is None:
        raise Http404
    status = 200
    notice = ""
    if request.method == "POST":
        form = PublicAppealForm(request.POST, request.FILES, council=council)
        refusal = public_form_refusal(request, form, limits=APPEAL_LIMITS)
        if refusal is not None:
            notice, status = refusal.notice, refusal.status
        elif form.is_valid():
            try:
                appeal, _created = submit_from_form(council=council, form=form, request=request)
            except SubmissionKeyReused:
                # The form was sent before with other content (edited after the first send): the first version
                # is registered. What was typed stays; a fresh key lets the applicant send it as a new appeal.
                data = request.POST.copy()
                data["submission_key"] = uuid.uuid4().hex
                form = PublicAppealForm(data, council=council)
                notice, status = (
                    _(
                        "This form was already sent with other content, and that first version is registered. "
                        "To send this text as a new appeal, send the form again."
                    ),
                    422,
                )
            else:
                return redirect(tracking_path(appeal, translation.get_language()) + "?new=1")
        else:
            status = 400
    else:
        form = PublicAppealForm(council=council)
    files_lost = request.method == "POST" and bool(request.FILES)
    return render(
        request,
        "appeals/appeal_new.html",
        {
            "council": council,
            "form": form,
            "notice": notice,
            "files_lost": files_lost,
            # The optional map: shown only when a tile server is configured (OVERSIGHT_MAP_TILES_URL).
            "map_tiles_url": settings.OVERSIGHT_MAP_TILES_URL,
            "map_attribution": settings.OVERSIGHT_MAP_ATTRIBUTION,
        },
        status=status,
    )


def _appeal_for_token(number: str, token: str) -> Appeal:
    appeal = Appeal.objects.select_related("council", "forwarded_to").filter(number=number).first()
    # compare_digest: the answer time must not tell how much of a guessed token was right.
    if appeal is None or not appeal.tracking_token or not secrets.compare_digest(appeal.tracking_token, token):
        raise Http404
    return appeal


# Room, beyond the attachments, for the message's text (20 000 characters of up to 4 bytes each in UTF-8) and the
# multipart framing: a body larger than the appeal's storage left plus this cannot fit, and is refused unread.
MESSAGE_FIELDS_ALLOWANCE = 256 * 1024


@csrf_exempt  # checked by _track_page, after the limits that must refuse a message before its body is read
@accepts_uploads
@require_http_methods(["GET", "POST"])
def appeal_track(request: HttpRequest, number: str, token: str) -> HttpResponse:
    """The applicant's page: status, history, answer, and a form for messages and documents.

    A message is refused before its body is read (so its files never reach the disk) when the client or the
    appeal has sent too many in a short time (429), when the appeal holds as many messages as it may (403), or
    when the body cannot fit in the appeal's storage left (413). Only then do the CSRF check and the form read it.
    """
    appeal = _appeal_for_token(number, token)
    response = None
    if request.method == "POST":
        response = _message_refused_unread(request, appeal)
    if response is None:
        response = _track_page(request, appeal)
    if response.status_code >= 400:
        # Django would log "<reason>: <path>", and the path holds the token: log the view's name instead.
        logger.warning("%s: appeals:track", response.reason_phrase)
        response._has_been_logged = True  # type: ignore[attr-defined]
    return response


def _message_refused_unread(request: HttpRequest, appeal: Appeal) -> HttpResponse | None:
    if not appeal_accepts_messages(appeal=appeal):
        return None  # the form is not shown; the service refuses, and such a post is small or capped anyway
    limits = settings.OVERSIGHT
    # The helper's second key is meant for an e-mail address; here it is the appeal, so one appeal's messages
    # are limited whatever addresses they come from.
    if submission_rate_limited(
        request,
        group="appeal-message",
        email=f"appeal-{appeal.pk}",
        per_ip=limits["APPEAL_MESSAGE_RATE_PER_IP"],
        per_email=limits["APPEAL_MESSAGE_RATE_PER_APPEAL"],
    ):
        notice = _("Too many messages were sent in a short time. Please try again in an hour.")
        return _render_track(request, appeal, CitizenMessageForm(), status=429, notice=_unsent(notice))
    allowance = appeal_message_allowance(appeal=appeal)
    if allowance.messages_left < 1:
        notice = _("This appeal has received as many messages as it can take. The council will contact you.")
        return _render_track(request, appeal, CitizenMessageForm(), status=403, notice=notice)
    if content_length(request) > allowance.bytes_left + MESSAGE_FIELDS_ALLOWANCE:
        notice = _(
            "The documents are larger than the room left for this appeal (%(left)s). Send fewer or smaller files."
        ) % {"left": filesizeformat(allowance.bytes_left)}
        return _render_track(request, appeal, CitizenMessageForm(), status=413, notice=_unsent(notice))
    return None


def _unsent(notice: str) -> str:
    return _("%(notice)s Your message was not sent: your browser's Back button brings back what you typed.") % {
        "notice": notice
    }


@csrf_protect
def _track_page(request: HttpRequest, appeal: Appeal) -> HttpResponse:
    status = 200
    if request.method == "POST":
        form = CitizenMessageForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                appeal_add_citizen_message(
                    appeal=appeal,
                    text=form.cleaned_data["text"],
                    attachments=form.cleaned_data["attachments"],
                )
            except ValidationError as exc:
                # The text stays in the form; over the quota the status says why (413: too large, 403: full).
                form.add_error(None, exc)
                status = QUOTA_STATUS.get(getattr(exc, "code", None) or "", 400)
            else:
                return redirect(request.path + "?sent=1")
        else:
            status = 400
    else:
        form = CitizenMessageForm()
    return _render_track(request, appeal, form, status=status)


QUOTA_STATUS = {"quota_storage": 413, "quota_messages": 403}


def _render_track(
    request: HttpRequest,
    appeal: Appeal,
    form: CitizenMessageForm,
    *,
    status: int,
    notice: str = "",
    feedback_form: AppealFeedbackForm | None = None,
) -> HttpResponse:
    awaiting_feedback = appeal_answer_awaiting_feedback(appeal=appeal)
    context = {
        "appeal": appeal,
        "history": appeal.history.all(),
        "messages_list": appeal.messages.prefetch_related("attachments"),
        # What the applicant sent: the appeal's own documents (a message's are shown with the message).
        "sent_attachments": appeal.attachments.filter(message__isnull=True).order_by("id"),
        "deadline": appeal_deadline_explained(appeal=appeal),
        "is_open": appeal.status in OPEN_STATUSES,
        "can_write": appeal_accepts_messages(appeal=appeal),
        "reply_until": appeal_reply_open_until(appeal=appeal) if appeal.status not in OPEN_STATUSES else None,
        "feedback_form": (feedback_form or AppealFeedbackForm()) if awaiting_feedback else None,
        "feedback_given": request.GET.get("feedback")
        if request.GET.get("feedback") in ("resolved", "reopened")
        else "",
        "form": form,
        "notice": notice,
        "files_lost": form.is_bound and bool(request.FILES),
        "is_new": request.GET.get("new") == "1",
        "sent": request.GET.get("sent") == "1",
        "withdrawn": request.GET.get("withdrawn") == "1",
        "category_label": category_labels(council=appeal.council).get(appeal.category, appeal.category),
    }
    return render(request, "appeals/appeal_track.html", context, status=status)


@csrf_protect
@require_http_methods(["POST"])
def appeal_feedback(request: HttpRequest, number: str, token: str) -> HttpResponse:
    """The applicant's word on the answer: resolved, or not resolved with a reason (which reopens the appeal)."""
    appeal = _appeal_for_token(number, token)
    track = tracking_path(appeal, translation.get_language())
    form = AppealFeedbackForm(request.POST)
    if form.is_valid():
        try:
            appeal_record_feedback(
                appeal=appeal, resolved=form.cleaned_data["resolved"], reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            outcome = "resolved" if form.cleaned_data["resolved"] else "reopened"
            return redirect(f"{track}?feedback={outcome}#feedback-result")
    response = _render_track(request, appeal, CitizenMessageForm(), status=400, feedback_form=form)
    return _quiet(response)


@require_http_methods(["GET", "HEAD"])
def appeal_attachment(request: HttpRequest, number: str, token: str, attachment_id: int) -> HttpResponse:
    """A document of the appeal, for the holder of its tracking link: the files are never on a public address."""
    try:
        appeal = _appeal_for_token(number, token)
        attachment = AppealAttachment.objects.filter(pk=attachment_id, appeal=appeal).first()
        if attachment is None:
            raise Http404
        stem = attachment.original_name.rsplit(".", 1)[0] or appeal.number
        response: FileResponse = stored_file_download(attachment.file, stem=stem, private=True)
    except Http404:
        body = render_to_string("404.html", request=request)
        return _quiet(HttpResponse(body, status=404))
    return response


def _quiet(response: HttpResponse) -> HttpResponse:
    """Log a refusal by the view's name: Django would log the path, and the path holds the token."""
    if response.status_code >= 400:
        logger.warning("%s: appeals:track", response.reason_phrase)
        response._has_been_logged = True  # type: ignore[attr-defined]
    return response
