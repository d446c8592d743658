"""The council staff's side: the personal data requests routed to the council, and the chair's access log.

One recipe (STYLE.md): the council through the tenant gate (`council_for_user`), the request inside that
council, a small form, the service, a redirect. Requests hold the person's address, so only those who answer them
(the secretary, the chair, the portal's administrator: `write=True`) see them; a member gets 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from councils.access import council_for_user, is_chair
from councils.models import Council

from . import services
from .forms import AssembleForm, CorrectedForm, EraseForm, RefuseForm
from .models import DataRequest, RequestKind, RequestStatus
from .requests_selectors import access_log_for, request_deadlines, requests_for_council

PAGE_SIZE = 50


@dataclass(frozen=True)
class Action:
    name: str
    title: Promise
    form_class: type[forms.Form]
    kinds: tuple[str, ...]
    run: Callable[..., Any]  # the service: called with the request, the user and the form's `to_data()`
    done: Promise
    button: Promise


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action(
            name="assemble",
            title=gettext_lazy("Assemble the file and send the download link"),
            form_class=AssembleForm,
            kinds=(RequestKind.ACCESS,),
            run=services.request_assemble,
            done=gettext_lazy("The file is assembled; the person has the download link."),
            button=gettext_lazy("Assemble and send"),
        ),
        Action(
            name="corrected",
            title=gettext_lazy("The data are corrected"),
            form_class=CorrectedForm,
            kinds=(RequestKind.CORRECTION,),
            run=services.request_mark_corrected,
            done=gettext_lazy("The person is told what was corrected."),
            button=gettext_lazy("Mark as corrected"),
        ),
        Action(
            name="erase",
            title=gettext_lazy("Erase the data"),
            form_class=EraseForm,
            kinds=(RequestKind.ERASURE,),
            run=services.request_erase,
            done=gettext_lazy("The data are erased where the law allows; the person is told."),
            button=gettext_lazy("Erase"),
        ),
        Action(
            name="refuse",
            title=gettext_lazy("Refuse on a legal ground"),
            form_class=RefuseForm,
            kinds=tuple(RequestKind.values),
            run=services.request_refuse,
            done=gettext_lazy("The refusal and its ground are sent to the person."),
            button=gettext_lazy("Refuse"),
        ),
    )
}


def _request_in(council: Council, request_id: int) -> DataRequest:
    return get_object_or_404(
        DataRequest.objects.select_related("council", "handled_by"), pk=request_id, council=council
    )


@login_required
@require_GET
def request_list(request: HttpRequest, slug: str) -> HttpResponse:
    council = council_for_user(request.user, slug, write=True)
    page = Paginator(requests_for_council(council), PAGE_SIZE).get_page(request.GET.get("page"))
    deadlines = request_deadlines(page)
    rows = [(r, deadlines[r.pk]) for r in page]
    return render(request, "privacy/staff/list.html", {"council": council, "page": page, "rows": rows})


def _detail_context(council: Council, data_request: DataRequest, bound: tuple[Action, forms.Form] | None = None):
    actions: list[tuple[Action, forms.Form]] = []
    if data_request.status == RequestStatus.OPEN:
        for action in ACTIONS.values():
            if data_request.kind in action.kinds:
                form = bound[1] if bound and bound[0] is action else action.form_class(prefix=action.name)
                actions.append((action, form))
    return {
        "council": council,
        "data_request": data_request,
        "deadline": request_deadlines([data_request])[data_request.pk],
        "actions": actions,
        "failed_action": bound[0].name if bound else "",
        "Status": RequestStatus,
    }


@login_required
@require_GET
def request_detail(request: HttpRequest, slug: str, request_id: int) -> HttpResponse:
    council = council_for_user(request.user, slug, write=True)
    data_request = _request_in(council, request_id)
    return render(request, "privacy/staff/detail.html", _detail_context(council, data_request))


@login_required
@require_POST
def request_action(request: HttpRequest, slug: str, request_id: int, action: str) -> HttpResponse:
    council = council_for_user(request.user, slug, write=True)
    data_request = _request_in(council, request_id)
    step = ACTIONS[action]
    form = step.form_class(request.POST, prefix=step.name)
    if form.is_valid():
        try:
            step.run(request=data_request, by=request.user, **form.to_data())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, str(step.done))
            return redirect("privacy_staff:detail", slug=council.slug, request_id=data_request.pk)
    data_request = _request_in(council, request_id)
    context = _detail_context(council, data_request, bound=(step, form))
    if step.name not in [a.name for a, _f in context["actions"]]:
        context["actions"].insert(0, (step, form))
    return render(request, "privacy/staff/detail.html", context, status=400)


@login_required
@require_GET
def access_log(request: HttpRequest, slug: str) -> HttpResponse:
    """Who opened appeals' personal data: the whole council's log for the chair, one's own entries for others."""
    council = council_for_user(request.user, slug, write=True)
    page = Paginator(access_log_for(request.user, council), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "privacy/staff/access_log.html",
        {"council": council, "page": page, "whole_council": is_chair(request.user, council), "now": timezone.now()},
    )
