"""The public side of e-mail alerts: the subscription form, the form to follow one item, the confirmation link,
the unsubscribe link."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from core.ratelimit import submission_rate_limited
from councils.models import Council, StateBody
from councils.selectors import published_council_get

from .follow import KINDS, public_item
from .forms import FollowForm, SubscribeForm
from .models import ITEM_TITLES
from .services import (
    InvalidLink,
    LinkUsed,
    follow_subscribe,
    subscription_confirm,
    subscription_subscribe,
    subscription_unsubscribe,
)


def _target(request: HttpRequest) -> tuple[Council | None, StateBody | None]:
    """The council (`?council=<slug>`) or state body (`?state_body=<slug>`) asked for, or 404."""
    council_slug = request.GET.get("council", "").strip()
    body_slug = request.GET.get("state_body", "").strip()
    if council_slug and not body_slug:
        council = published_council_get(slug=council_slug)
        if council is not None:
            return council, None
    elif body_slug and not council_slug:
        state_body = StateBody.objects.filter(slug=body_slug).first()
        if state_body is not None:
            return None, state_body
    raise Http404


def _rate_limited(request: HttpRequest) -> bool:
    """A confirmation mail is the one mail anybody can make the portal send to anybody, so both limits are tight."""
    return submission_rate_limited(
        request,
        group="alert-subscribe",
        email=request.POST.get("email", ""),
        per_ip=settings.ALERTS_RATE_PER_IP,
        per_email=settings.ALERTS_RATE_PER_EMAIL,
    )


@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    council, state_body = _target(request)
    status = 200
    notice = ""
    if request.method == "POST":
        form = SubscribeForm(request.POST)
        if form.is_spam():
            notice, status = _("The request could not be accepted."), 400
        elif _rate_limited(request):
            notice, status = _("Too many requests were sent from here in a short time. Please try again later."), 429
        elif form.is_valid():
            subscription_subscribe(
                email=form.cleaned_data["email"],
                council=council,
                state_body=state_body,
                frequency=form.cleaned_data["frequency"],
                language=translation.get_language() or settings.LANGUAGE_CODE,
            )
            return redirect(reverse("alerts:sent"))
        else:
            status = 400
    else:
        form = SubscribeForm()
    context = {"form": form, "target": council or state_body, "notice": notice}
    return render(request, "alerts/subscribe.html", context, status=status)


@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Follow one item the public may see: the same double opt-in, rate limit and honeypot as `subscribe`."""
    item = public_item(kind, pk)
    if item is None:
        raise Http404
    status = 200
    notice = ""
    if request.method == "POST":
        form = FollowForm(request.POST)
        if form.is_spam():
            notice, status = _("The request could not be accepted."), 400
        elif _rate_limited(request):
            notice, status = _("Too many requests were sent from here in a short time. Please try again later."), 429
        elif form.is_valid():
            follow_subscribe(
                email=form.cleaned_data["email"],
                item=item,  # type: ignore[arg-type]
                language=translation.get_language() or settings.LANGUAGE_CODE,
            )
            return redirect(reverse("alerts:sent"))
        else:
            status = 400
    else:
        form = FollowForm()
    context = {
        "form": form,
        "kind": KINDS[kind].label,
        "title": getattr(item, ITEM_TITLES[kind]),
        "item_url": KINDS[kind].path(item),
        "notice": notice,
    }
    return render(request, "alerts/follow.html", context, status=status)


@require_GET
def sent(request: HttpRequest) -> HttpResponse:
    return render(request, "alerts/sent.html")


@require_GET
def confirm(request: HttpRequest, signed: str) -> HttpResponse:
    try:
        subscription = subscription_confirm(signed=signed)
    except InvalidLink:
        return render(request, "alerts/link_invalid.html", {"reason": "invalid"}, status=400)
    except LinkUsed:
        return render(request, "alerts/link_invalid.html", {"reason": "used"}, status=404)
    context = {
        "subscription": subscription,
        "target": subscription.target,
        "target_name": subscription.target_name,
        "item_url": KINDS[subscription.item_field].path(subscription.item) if subscription.item_field else "",
    }
    return render(request, "alerts/confirmed.html", context)


# The link in every alert works in one click (GET), and mail programs' "Unsubscribe" button POSTs to it without
# a CSRF token (RFC 8058): the token in the address is the proof.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    subscription = subscription_unsubscribe(token=token)
    if subscription is None:
        return render(request, "alerts/link_invalid.html", {"reason": "unsubscribed"}, status=404)
    target = subscription.target
    if subscription.item_field:
        again = reverse(f"alerts:follow_{subscription.item_field}", kwargs={"pk": target.pk})
    elif isinstance(target, Council):
        again = reverse("alerts:subscribe") + f"?council={target.slug}"
    else:
        again = reverse("alerts:subscribe") + f"?state_body={target.slug}"
    context = {"target": target, "target_name": subscription.target_name, "again_url": again}
    return render(request, "alerts/unsubscribed.html", context)
