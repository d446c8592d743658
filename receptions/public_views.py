"""The citizen's side of receptions: the schedule, the booking form and the cancel link. Not cached whole: the
free slots change with every booking."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.views.decorators.http import require_http_methods, require_safe

from core.public_forms import SubmissionLimits, public_form_refusal
from councils.models import Council
from councils.workspace import add_service_errors

from .forms import BookingForm
from .models import Booking, BookingStatus, Reception
from .selectors import free_slots, upcoming_receptions
from .services import booking_cancel, reception_book


def _council(slug: str) -> Council:
    return get_object_or_404(Council, slug=slug, is_published=True)


@require_safe
def reception_list(request: HttpRequest, slug: str) -> HttpResponse:
    council = _council(slug)
    receptions = list(upcoming_receptions(council=council)[:50])
    return render(
        request,
        "receptions/list.html",
        {"council": council, "receptions": receptions, "section": "receptions"},
    )


# The appeal form's limits, counted in a group of their own.
BOOKING_LIMITS = SubmissionLimits(
    group="reception-book", per_ip="APPEAL_RATE_PER_IP", per_email="APPEAL_RATE_PER_EMAIL"
)


@require_http_methods(["GET", "POST"])
def reception_book_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    council = _council(slug)
    reception = get_object_or_404(
        Reception.objects.select_related("host", "council"), council=council, pk=pk, is_cancelled=False
    )
    if reception.starts_at <= timezone.now():
        raise Http404
    status, notice = 200, ""
    if request.method == "POST":
        form = BookingForm(request.POST, reception=reception)
        refusal = public_form_refusal(request, form, limits=BOOKING_LIMITS)
        if refusal is not None:
            notice, status = refusal.notice, refusal.status
        elif form.is_valid():
            try:
                booking = reception_book(
                    reception=reception,
                    slot=form.cleaned_data["slot"],
                    visitor=form.visitor(),
                    personal_data_consent=form.cleaned_data["personal_data_consent"],
                    language=translation.get_language() or "ru",
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
                form = _rebound(form, reception)
                status = 400
            else:
                return redirect("receptions:booked", cancel_token=booking.cancel_token)
        else:
            status = 400
    else:
        form = BookingForm(reception=reception)
    return render(
        request,
        "receptions/book.html",
        {
            "council": council,
            "reception": reception,
            "form": form,
            "notice": notice,
            "free": free_slots(reception=reception),
            "section": "receptions",
        },
        status=status,
    )


def _rebound(form: BookingForm, reception: Reception) -> BookingForm:
    """The same form with the free times read again (the one chosen may just have gone), errors kept."""
    fresh = BookingForm(form.data, reception=reception)
    fresh.is_valid()
    for field, errors in form.errors.items():
        for error in errors:
            if error not in fresh.errors.get(field, []):
                fresh.add_error(field if field != "__all__" else None, error)
    return fresh


def _booking(token: str) -> Booking:
    booking = Booking.objects.select_related("reception__council", "reception__host").filter(cancel_token=token).first()
    if booking is None or not token:
        raise Http404
    return booking


@require_safe
def booking_done(request: HttpRequest, cancel_token: str) -> HttpResponse:
    """After booking: what was booked, and that the mail is on its way. Names no one but the member."""
    booking = _booking(cancel_token)
    return render(
        request,
        "receptions/booked.html",
        {"booking": booking, "reception": booking.reception, "council": booking.reception.council},
    )


@require_http_methods(["GET", "POST"])
def booking_cancel_view(request: HttpRequest, cancel_token: str) -> HttpResponse:
    """The cancel link of the mails: a page that asks, and a button (a GET never cancels: mail scanners open
    links)."""
    booking = _booking(cancel_token)
    if request.method == "POST" and booking.status == BookingStatus.BOOKED:
        booking = booking_cancel(booking=booking)
    return render(
        request,
        "receptions/cancel.html",
        {"booking": booking, "reception": booking.reception, "council": booking.reception.council},
    )
