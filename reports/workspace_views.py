"""The workspace page of a council's annual reports, mounted at workspace/<slug>/reports/: the builds with their
status, a form to request a build for a year (a PDF, or a Word document to edit), and for the chair the button
that publishes a finished PDF build.

The recipe of every workspace view (STYLE.md): the council through the tenant gate (404 for outsiders, 403 for
read-only staff on writes, `councils.workspace.CouncilScopedMixin`), the build looked up inside that council, the
form validated, a service writes (`reports.services`), and the view redirects.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from core import languages
from councils.workspace import CouncilScopedMixin, ServiceDataForm, WorkspaceActionView

from .models import BuildStatus, ReportBuild, ReportFormat
from .services import (
    FIRST_YEAR,
    BuildRequestInput,
    can_publish,
    report_build_request,
    report_build_retry,
    report_publish,
)

BUILDS_SHOWN = 50


class BuildRequestForm(ServiceDataForm, forms.Form):
    data_class = BuildRequestInput

    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=FIRST_YEAR)
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=languages.choices)
    format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=ReportFormat.choices,
        initial=ReportFormat.PDF,
        required=False,  # a post without it (an older page, a script) asks for the PDF, as the API does
        help_text=gettext_lazy("The PDF is the report the chair publishes; the Word document is for editing."),
    )

    def clean_format(self) -> str:
        return self.cleaned_data["format"] or ReportFormat.PDF

    def __init__(self, *args: Any, council: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].max_value = timezone.localdate().year
        self.fields["year"].widget.attrs.update({"max": timezone.localdate().year, "inputmode": "numeric"})


def _builds_context(view: CouncilScopedMixin) -> dict[str, Any]:
    """The reports page around the request form: the council's latest builds and what the user may do."""
    return {
        "builds": list(
            ReportBuild.objects.filter(council=view.council)
            .select_related("requested_by")
            .order_by("-created_at", "-id")[:BUILDS_SHOWN]
        ),
        "can_publish": can_publish(user=view.request.user, council=view.council),  # type: ignore[attr-defined]
        "done": BuildStatus.DONE,
        "failed": BuildStatus.FAILED,
        "queued": BuildStatus.QUEUED,
        "running": BuildStatus.RUNNING,
        "pdf": ReportFormat.PDF,
    }


class ReportBuildListView(CouncilScopedMixin, generic.TemplateView):
    template_name = "workspace/reports/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["form"] = BuildRequestForm(
            initial={
                "year": timezone.localdate().year - 1,
                "language": self.request.LANGUAGE_CODE,
                "format": ReportFormat.PDF,
            }
        )
        context.update(_builds_context(self))
        return context


class ReportBuildRequestView(WorkspaceActionView):
    """POST: queue a build of the year's report; a refused year is shown beside the form (400)."""

    http_method_names = ["post"]
    form_class = BuildRequestForm
    template_name = "workspace/reports/list.html"
    success_url_name = "reports_ws:builds"

    def perform(self, form: BuildRequestForm) -> ReportBuild:
        data = form.to_data()
        self.success_message = _("The report for %(year)s is queued: this page shows when it is ready.") % {
            "year": data["year"]
        }
        return report_build_request(council=self.council, **data, by=self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(_builds_context(self))
        return context


class _BuildActionView(CouncilScopedMixin, generic.View):
    http_method_names = ["post"]
    model = ReportBuild  # the `pk` of the address (the scope test of every workspace URL reads it)

    def build(self) -> ReportBuild:
        return get_object_or_404(
            ReportBuild.objects.select_related("council"), pk=self.kwargs["pk"], council=self.council
        )

    def done(self) -> HttpResponse:
        return redirect("reports_ws:builds", slug=self.council.slug)


class ReportBuildPublishView(_BuildActionView):
    """POST: the chair publishes a finished build (it replaces the published one of the same year and
    language)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        build = self.build()
        if not can_publish(user=request.user, council=self.council):
            raise PermissionDenied(_("Only the council's chair publishes its report."))
        try:
            report_publish(build=build, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The report for %(year)s is published.") % {"year": build.year})
        return self.done()


class ReportBuildRetryView(_BuildActionView):
    """POST: a failed build, queued again."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        build = self.build()
        try:
            report_build_retry(build=build, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The build is queued again."))
        return self.done()


# The states a build leaves on its own: the page keeps asking while a build is in one of them.
PENDING = (BuildStatus.QUEUED, BuildStatus.RUNNING)


def build_status(build: ReportBuild) -> dict[str, Any]:
    """What the reports page shows of a build while it waits: its state, in words, and the file once done."""
    done = build.status == BuildStatus.DONE
    return {
        "id": build.pk,
        "status": build.status,
        "label": build.get_status_display(),
        "pending": build.status in PENDING,
        "download_url": reverse("report_builds:build-download", args=[build.pk]) if done else None,
        "download_label": (_("Download PDF") if build.format == ReportFormat.PDF else _("Download DOCX"))
        if done
        else "",
        "error": build.error[:160] if build.status == BuildStatus.FAILED else "",
    }


class ReportBuildStatusView(CouncilScopedMixin, generic.View):
    """GET: one build's state as JSON (read-only staff may ask too); a build of another council is a 404, as on
    every workspace address. Never cached: the answer changes while the build runs."""

    http_method_names = ["get"]
    model = ReportBuild

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        build = get_object_or_404(ReportBuild, pk=self.kwargs["pk"], council=self.council)
        response = JsonResponse(build_status(build))
        response["Cache-Control"] = "no-store"
        return response
