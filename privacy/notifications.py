"""Mail to the person who asked, in the language they wrote in. Run by the outbox after commit, never inline.

The links are made here, at sending time, from the row's id (signed), so no secret is stored in the outbox."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from core.outbox import handler

from .models import DataRequest, RequestConfirmation
from .requests_selectors import request_deadlines
from .services import confirmation_token, download_token

EVENTS = ("confirm", "registered", "nothing_held", "file_ready", "answered")


def _url(name: str, language: str, token: str) -> str:
    with translation.override(language):
        return settings.SITE_URL.rstrip("/") + reverse(name, kwargs={"token": token})


@handler("privacy.send_mail")
def privacy_send_mail(*, event: str, confirmation_id: int | None = None, request_id: int | None = None) -> None:
    if event not in EVENTS:
        return
    context: dict[str, Any] = {"event": event}
    if confirmation_id is not None:
        confirmation = RequestConfirmation.objects.filter(pk=confirmation_id, used_at__isnull=True).first()
        if confirmation is None:
            return  # followed or purged meanwhile: nothing to send
        email, language = confirmation.email, confirmation.language
        context.update(
            confirmation=confirmation,
            link=_url("privacy:confirm", language, confirmation_token(confirmation)),
            hours=settings.OVERSIGHT["PRIVACY_LINK_HOURS"],
        )
    else:
        request = DataRequest.objects.select_related("council").get(pk=request_id)
        email, language = request.email, request.language
        context.update(request=request, deadline=request_deadlines([request])[request.pk])
        if event == "file_ready":
            context.update(
                link=_url("privacy:download", language, download_token(request)),
                expires=timezone.localtime(request.export_expires_at),
            )
    with translation.override(language):
        subject = render_to_string("privacy/email/subject.txt", context).strip()
        body = render_to_string("privacy/email/body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
