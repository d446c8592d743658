"""The staff workspace's entry: which councils the user works in. Each council's dashboard, which shows every
app's work, lives on the read side (reports/dashboard.py), its panels registered by the apps (core/dashboard.py)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .access import councils_for_user


@login_required
def workspace_home(request: HttpRequest) -> HttpResponse:
    councils = list(councils_for_user(request.user))
    if len(councils) == 1:
        return redirect("workspace:dashboard", slug=councils[0].slug)
    return render(request, "workspace/home.html", {"councils": councils})
