"""The public pages of participation: the council's open consultations, a hearing's or a draft's consultation
page (the documents, the window, the published comments and, once out, the council's answers; the comment form
while the window is open), the registration to attend a hearing and its cancel link.

Nothing a citizen sends is public before a moderator approves it; the author's name and e-mail never are (the
page signs a comment «a participant» or with the pseudonym its author chose). The forms are limited per client
and per address (core/ratelimit.py), carry a honeypot and ask for consent, as the appeal form does. The pages
with a form are not kept in the page cache (the form carries its CSRF token)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.files import stored_file_download
from core.public_forms import SubmissionLimits, public_form_refusal
from councils.views import public_council_or_404
from councils.workspace import add_service_errors
from hearings.models import PublicHearing
from monitoring.models import DraftActReview

from . import selectors, services
from .forms import PublicCommentForm, RegistrationForm
from .models import HearingDocument, HearingRegistration

LIMITS = SubmissionLimits(
    group="participation", per_ip="PARTICIPATION_RATE_PER_IP", per_email="PARTICIPATION_RATE_PER_EMAIL"
)


def _language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def _take_comment(request: HttpRequest, target: services.Target) -> tuple[PublicCommentForm, str, int]:
    """Validate and submit the comment form: (form, notice, status); status 302 when it was taken."""
    form = PublicCommentForm(request.POST)
    refusal = public_form_refusal(request, form, limits=LIMITS)
    if refusal is not None:
        return form, refusal.notice, refusal.status
    if not form.is_valid():
        return form, "", 400
    try:
        services.comment_submit(target=target, data=form.to_data(_language()))
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            add_service_errors(form, exc)
            return form, "", 400
        return form, " ".join(exc.messages), 400
    return form, "", 302


def _consultation_page(
    request: HttpRequest, *, council: Any, target: services.Target, template: str, section: str
) -> HttpResponse:
    today = timezone.localdate()
    refusal = services.window_refusal(target, today)
    status, notice = 200, ""
    form = PublicCommentForm()
    if request.method == "POST":
        if refusal:
            # The window closed while the page was open (or a stale tab): say so, keep what was typed.
            form, notice, status = PublicCommentForm(request.POST), refusal, 400
        else:
            form, notice, status = _take_comment(request, target)
            if status == 302:
                return redirect(request.path + "?sent=1#comment-form")
    context = {
        "council": council,
        "section": section,
        "target": target,
        "window": services.comment_window(target),
        "refusal": refusal,
        "form": form,
        "notice": notice,
        "sent": request.GET.get("sent") == "1",
        "comments": list(selectors.published_comments(target=target)),
        "answers_public": selectors.answers_public(target),
        "summary": selectors.outcome_summary(target=target),
    }
    if isinstance(target, PublicHearing):
        context["documents"] = list(selectors.public_hearing_documents(hearing=target))
        context["registration_open"] = services.registration_open(target, today)
    return render(request, template, context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def hearing_consultation(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    council = public_council_or_404(slug)
    hearing = get_object_or_404(PublicHearing, council=council, pk=pk)
    return _consultation_page(
        request,
        council=council,
        target=hearing,
        template="participation/public/hearing_consultation.html",
        section="hearings",
    )


@require_http_methods(["GET", "HEAD", "POST"])
def draft_consultation(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    council = public_council_or_404(slug)
    draft = get_object_or_404(DraftActReview.objects.select_related("developer"), council=council, pk=pk)
    return _consultation_page(
        request,
        council=council,
        target=draft,
        template="participation/public/draft_consultation.html",
        section="drafts",
    )


@require_safe
def hearing_document(request: HttpRequest, slug: str, pk: int, document_id: int) -> HttpResponse:
    council = public_council_or_404(slug)
    document = get_object_or_404(HearingDocument, hearing__council=council, hearing_id=pk, pk=document_id)
    if not document.file:
        if document.url:
            return redirect(document.url)
        raise Http404
    return stored_file_download(document.file, stem=f"{council.slug}-hearing-{pk}-{document.pk}", private=False)


@require_safe
def draft_text(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    council = public_council_or_404(slug)
    draft = get_object_or_404(DraftActReview, council=council, pk=pk)
    return stored_file_download(draft.draft_file, stem=f"{council.slug}-draft-{pk}", private=False)


@require_safe
def consultations(request: HttpRequest, slug: str) -> HttpResponse:
    council = public_council_or_404(slug)
    today = timezone.localdate()
    found = selectors.open_consultations(council=council, today=today)
    context = {
        "council": council,
        "section": "consultations",
        "today": today,
        "hearings": [(h, services.comment_window(h)) for h in found["hearings"]],
        "drafts": [(d, services.comment_window(d)) for d in found["drafts"]],
    }
    return render(request, "participation/public/consultations.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def hearing_register(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    council = public_council_or_404(slug)
    hearing = get_object_or_404(PublicHearing, council=council, pk=pk)
    today = timezone.localdate()
    is_open = services.registration_open(hearing, today)
    status, notice = 200, ""
    form = RegistrationForm()
    if request.method == "POST":
        form = RegistrationForm(request.POST)
        status = 400
        refusal = None if not is_open else public_form_refusal(request, form, limits=LIMITS)
        if not is_open:
            notice = _("Registration for this hearing is closed.")
        elif refusal is not None:
            notice, status = refusal.notice, refusal.status
        elif form.is_valid():
            try:
                services.registration_submit(hearing=hearing, data=form.to_data(_language()), today=today)
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    add_service_errors(form, exc)
                else:
                    notice = " ".join(exc.messages)
            else:
                return redirect(reverse("reports:hearing_register", kwargs={"slug": slug, "pk": pk}) + "?done=1")
    context = {
        "council": council,
        "section": "hearings",
        "hearing": hearing,
        "form": form,
        "notice": notice,
        "is_open": is_open,
        "done": request.GET.get("done") == "1",
    }
    return render(request, "participation/public/hearing_register.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def registration_cancel(request: HttpRequest, token: str) -> HttpResponse:
    """The cancel link of the confirmation and reminder mails: GET asks, POST cancels (a mail scanner that
    follows links cancels nothing). The page names the hearing, never the person."""
    registration = (
        HearingRegistration.objects.select_related("hearing__council")
        .filter(token=token, hearing__council__is_published=True)
        .first()
    )
    if registration is None:
        raise Http404
    if request.method == "POST":
        services.registration_cancel(registration=registration)
    context = {"hearing": registration.hearing, "council": registration.hearing.council, "registration": registration}
    return render(request, "participation/public/registration_cancel.html", context)
