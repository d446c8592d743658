"""The citizen's side of appeals: the public form and the tracking page."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.ratelimit import submission_rate_limited
from councils.models import Council

from .deadlines import appeal_deadline_explained
from .forms import CitizenMessageForm, PublicAppealForm
from .models import Appeal
from .notifications import tracking_path
from .services import OPEN_STATUSES, ApplicantData, appeal_add_citizen_message, appeal_submit


def _rate_limited(request: HttpRequest, email: str) -> bool:
    limits = settings.OVERSIGHT
    return submission_rate_limited(
        request,
        group="appeal-submit",
        email=email,
        per_ip=limits["APPEAL_RATE_PER_IP"],
        per_email=limits["APPEAL_RATE_PER_EMAIL"],
    )


def submit_from_form(*, council: Council, form: PublicAppealForm) -> tuple[Appeal, bool]:
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
        subject=data["subject"],
        text=data["text"],
        place=data["place"],
        latitude=data["latitude"],
        longitude=data["longitude"],
        language=translation.get_language() or settings.LANGUAGE_CODE,
        personal_data_consent=data["personal_data_consent"],
        attachments=data["attachments"],
        submission_key=data["submission_key"],
    )


@require_http_methods(["GET", "POST"])
def appeal_new(request: HttpRequest, slug: str) -> HttpResponse:
    council = get_object_or_404(Council, slug=slug, is_published=True)
    status = 200
    notice = ""
    if request.method == "POST":
        form = PublicAppealForm(request.POST, request.FILES)
        if form.is_spam():
            notice, status = _("The appeal could not be accepted."), 400
        elif _rate_limited(request, request.POST.get("email", "")):
            notice, status = (
                _("Too many appeals were sent from here in a short time. Please try again in an hour."),
                429,
            )
        elif form.is_valid():
            appeal, _created = submit_from_form(council=council, form=form)
            return redirect(tracking_path(appeal, translation.get_language()) + "?new=1")
        else:
            status = 400
    else:
        form = PublicAppealForm()
    files_lost = request.method == "POST" and bool(request.FILES)
    return render(
        request,
        "appeals/appeal_new.html",
        {"council": council, "form": form, "notice": notice, "files_lost": files_lost},
        status=status,
    )


def _appeal_for_token(number: str, token: str) -> Appeal:
    appeal = Appeal.objects.select_related("council", "forwarded_to").filter(number=number).first()
    # compare_digest: the answer time must not tell how much of a guessed token was right.
    if appeal is None or not appeal.tracking_token or not secrets.compare_digest(appeal.tracking_token, token):
        raise Http404
    return appeal


@require_http_methods(["GET", "POST"])
def appeal_track(request: HttpRequest, number: str, token: str) -> HttpResponse:
    appeal = _appeal_for_token(number, token)
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
                form.add_error(None, exc)
            else:
                return redirect(request.path + "?sent=1")
        status = 400
    else:
        form = CitizenMessageForm()
    context = {
        "appeal": appeal,
        "history": appeal.history.all(),
        "messages_list": appeal.messages.prefetch_related("attachments"),
        "deadline": appeal_deadline_explained(appeal=appeal),
        "is_open": appeal.status in OPEN_STATUSES,
        "form": form,
        "is_new": request.GET.get("new") == "1",
        "sent": request.GET.get("sent") == "1",
        "withdrawn": request.GET.get("withdrawn") == "1",
    }
    return render(request, "appeals/appeal_track.html", context, status=status)
