"""The staff workspace's entry: which councils the user works in, and each council's dashboard."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .access import council_for_user, councils_for_user


@login_required
def workspace_home(request: HttpRequest) -> HttpResponse:
    councils = list(councils_for_user(request.user))
    if len(councils) == 1:
        return redirect("workspace:dashboard", slug=councils[0].slug)
    return render(request, "workspace/home.html", {"councils": councils})


@login_required
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    council = council_for_user(request.user, slug)
    return render(request, "workspace/dashboard.html", {"council": council})
