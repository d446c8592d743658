"""The applicant withdraws consent from the tracking page: an explanation, a confirmation, the service."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from .services import OPEN_STATUSES, appeal_consent_withdraw
from .views import _appeal_for_token


class ConsentWithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand what withdrawing consent does, and I withdraw it"),
        error_messages={"required": _("Tick the box to confirm that you withdraw your consent.")},
    )


@require_http_methods(["GET", "POST"])
def appeal_consent_withdraw_view(request: HttpRequest, number: str, token: str) -> HttpResponse:
    appeal = _appeal_for_token(number, token)
    track = reverse("appeals:track", kwargs={"number": number, "token": token})
    if appeal.consent_withdrawn_at is not None:
        return redirect(track)  # withdrawn already: nothing more to confirm
    status = 200
    if request.method == "POST":
        form = ConsentWithdrawForm(request.POST)
        if form.is_valid():
            appeal_consent_withdraw(appeal_id=appeal.pk)
            return redirect(track + "?withdrawn=1")
        status = 400
    else:
        form = ConsentWithdrawForm()
    context = {"appeal": appeal, "form": form, "is_open": appeal.status in OPEN_STATUSES, "track_url": track}
    return render(request, "appeals/consent_withdraw.html", context, status=status)
