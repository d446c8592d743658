"""The public side of e-mail alerts: the subscription form, the form to follow one item, the confirmation link,
the unsubscribe link."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from core.follow import followable
from core.public_forms import SubmissionLimits, public_form_refusal
from councils.models import Council, StateBody
from councils.selectors import published_council_get

from .follow import public_item
from .forms import FollowForm, SubscribeForm
from .models import Subscription
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


# A confirmation mail is the one mail anybody can make the portal send to anybody, so both limits are tight.
SUBSCRIBE_LIMITS = SubmissionLimits(
    group="alert-subscribe", per_ip="ALERTS_RATE_PER_IP", per_email="ALERTS_RATE_PER_EMAIL"
)


@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    council, state_body = _target(request)
    status = 200
    notice = ""
    if request.method == "POST":
        form = SubscribeForm(request.POST)
        refusal = public_form_refusal(request, form, limits=SUBSCRIBE_LIMITS)
        if refusal is not None:
            notice, status = refusal.notice, refusal.status
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
        refusal = public_form_refusal(request, form, limits=SUBSCRIBE_LIMITS)
        if refusal is not None:
            notice, status = refusal.notice, refusal.status
        elif form.is_valid():
            follow_subscribe(
                email=form.cleaned_data["email"],
                item=item,
                language=translation.get_language() or settings.LANGUAGE_CODE,
            )
            return redirect(reverse("alerts:sent"))
        else:
            status = 400
    else:
        form = FollowForm()
    registered = followable(kind)
    context = {
        "form": form,
        "kind": registered.label,
        "item": item,
        "official_name": registered.official_name,
        "about": registered.about,
        "title": registered.title(item),
        "item_url": registered.path(item),
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
        "item_url": _item_url(subscription),
    }
    return render(request, "alerts/confirmed.html", context)


def _item_url(subscription: Subscription) -> str:
    """The followed item's public page, or "" for a council's or state body's news (or an item gone)."""
    item = subscription.item
    return followable(subscription.item_kind).path(item) if item is not None else ""


# The link in every alert works in one click (GET), and mail programs' "Unsubscribe" button POSTs to it without
# a CSRF token (RFC 8058): the token in the address is the proof.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    subscription = subscription_unsubscribe(token=token)
    if subscription is None:
        return render(request, "alerts/link_invalid.html", {"reason": "unsubscribed"}, status=404)
    target = subscription.target
    if subscription.item_kind:
        again = reverse(f"alerts:follow_{subscription.item_kind}", kwargs={"pk": subscription.item_id})
    elif isinstance(target, Council):
        again = reverse("alerts:subscribe") + f"?council={target.slug}"
    else:
        again = reverse("alerts:subscribe") + f"?state_body={target.slug}"
    context = {"target": target, "target_name": subscription.target_name, "again_url": again}
    return render(request, "alerts/unsubscribed.html", context)
