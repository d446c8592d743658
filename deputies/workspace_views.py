"""The NGO monitor's workspace, mounted at workspace/<slug:slug>/deputies/: sessions with attendance and roll
calls, deputies' activities, promises, the second person's review, question moderation and the import of a body's
deputy list. Every view goes through `councils.workspace` (the tenant gate, the object inside the council, the
form, the service, the redirect)."""

from __future__ import annotations

import csv
import io
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from councils.workspace import (
    CouncilObjectMixin,
    CouncilScopedMixin,
    WorkspaceActionView,
    WorkspaceListView,
)

from . import selectors, services
from .forms import ActivityForm, ImportForm, InboundModerationForm, ModerationForm, PromiseForm, SessionForm
from .models import Activity, InboundAnswer, InboundStatus, Presence, Promise, Question, Session, VoteOption


class SessionListView(WorkspaceListView):
    model = Session
    template_name = "deputies/workspace/sessions.html"
    export_name = "sessions"
    export_columns = (
        (gettext_lazy("Date"), lambda s: s.date),
        (gettext_lazy("Number"), lambda s: s.number),
        (gettext_lazy("Representative body"), lambda s: s.body.name),
        (gettext_lazy("Status"), lambda s: s.get_status_display()),
        (gettext_lazy("Source (link)"), lambda s: s.source_url),
    )

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("body").order_by("-date", "-id")


class SessionCreateView(WorkspaceActionView):
    form_class = SessionForm
    template_name = "workspace/_form_page.html"
    page_title = gettext_lazy("New session")
    cancel_url_name = "deputies_ws:sessions"
    success_message = gettext_lazy("The session was saved as a draft: another person reviews it before publication.")
    success_url_name = "deputies_ws:session"
    success_url_pk = "pk"

    def perform(self, form: SessionForm) -> Session:
        return services.session_record(monitor=self.council, user=self.request.user, data=form.to_data(), attendance={})


class SessionDetailView(CouncilObjectMixin, generic.DetailView):
    model = Session
    template_name = "deputies/workspace/session.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        session = self.object
        context["attendance"] = session.attendance.select_related("deputy").order_by("deputy__full_name")
        context["votes"] = [(vote, selectors.vote_tally(vote)) for vote in session.votes.all()]
        return context


def _roll_form(session: Session, *, with_motion: bool, choices: Any, data: Any = None) -> forms.Form:
    """A field per deputy who held a mandate on the session's date."""
    fields: dict[str, forms.Field] = {}
    if with_motion:
        fields["motion"] = forms.CharField(label=_("Motion"), max_length=500)
    for mandate in selectors.composition_on(body=session.body, day=session.date):
        fields[f"d{mandate.deputy_id}"] = forms.ChoiceField(
            label=mandate.deputy.full_name, choices=[("", "—"), *choices], required=False
        )
    form_class = type("RollForm", (forms.Form,), fields)
    return form_class(data)


class _RollView(CouncilObjectMixin, generic.DetailView):
    model = Session
    template_name = "deputies/workspace/roll.html"
    write_required = True
    with_motion = False
    choices: Any = ()
    title: Any = ""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return self._page(_roll_form(self.object, with_motion=self.with_motion, choices=self.choices))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        form = _roll_form(self.object, with_motion=self.with_motion, choices=self.choices, data=request.POST)
        if form.is_valid():
            marks = {
                int(name[1:]): value for name, value in form.cleaned_data.items() if name.startswith("d") and value
            }
            try:
                self.save(form, marks)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("deputies_ws:session", slug=self.council.slug, pk=self.object.pk)
        return self._page(form, status=400)

    def _page(self, form: forms.Form, status: int = 200) -> HttpResponse:
        context = self.get_context_data(object=self.object, form=form, page_title=self.title)
        return render(self.request, self.template_name, context, status=status)

    def save(self, form: forms.Form, marks: dict[int, str]) -> None:  # pragma: no cover - each view saves its own
        raise NotImplementedError


class SessionAttendanceView(_RollView):
    choices = Presence.choices
    title = gettext_lazy("Attendance")

    def save(self, form: forms.Form, marks: dict[int, str]) -> None:
        services.session_attendance_set(session=self.object, attendance=marks)


class VoteCreateView(_RollView):
    with_motion = True
    choices = VoteOption.choices
    title = gettext_lazy("Roll-call vote")

    def save(self, form: forms.Form, marks: dict[int, str]) -> None:
        services.vote_record(session=self.object, motion=form.cleaned_data["motion"], ballots=marks)


class _PublishView(CouncilObjectMixin, generic.View):
    """The second person's review: POST publishes the record, citing its source."""

    write_required = True
    list_url = ""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        record = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        try:
            services.record_publish(record=record, reviewer=request.user)  # type: ignore[arg-type]
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Published."))
        return redirect(self.list_url, slug=self.council.slug)


class SessionPublishView(_PublishView):
    model = Session
    list_url = "deputies_ws:sessions"


class ActivityListView(WorkspaceListView):
    model = Activity
    template_name = "deputies/workspace/activities.html"
    export_name = "activities"
    export_columns = (
        (gettext_lazy("Date"), lambda a: a.date),
        (gettext_lazy("Kind"), lambda a: a.get_kind_display()),
        (gettext_lazy("Deputy"), lambda a: a.deputy.full_name),
        (gettext_lazy("Title"), lambda a: a.title),
        (gettext_lazy("Answered on"), lambda a: a.answered_on),
        (gettext_lazy("Status"), lambda a: a.get_status_display()),
        (gettext_lazy("Source (link)"), lambda a: a.source_url),
    )

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("deputy").order_by("-date", "-id")


class ActivityCreateView(WorkspaceActionView):
    form_class = ActivityForm
    template_name = "workspace/_form_page.html"
    page_title = gettext_lazy("New record of a deputy's work")
    cancel_url_name = "deputies_ws:activities"
    success_message = gettext_lazy("Saved as a draft: another person reviews it before publication.")
    success_url_name = "deputies_ws:activities"

    def perform(self, form: ActivityForm) -> Activity:
        return services.activity_record(monitor=self.council, user=self.request.user, data=form.to_data())


class ActivityPublishView(_PublishView):
    model = Activity
    list_url = "deputies_ws:activities"


class PromiseListView(WorkspaceListView):
    model = Promise
    template_name = "deputies/workspace/promises.html"
    export_name = "promises"
    export_columns = (
        (gettext_lazy("Deputy"), lambda p: p.deputy.full_name),
        (gettext_lazy("Promise"), lambda p: p.text),
        (gettext_lazy("Status"), lambda p: p.get_rating_display()),
        (gettext_lazy("Evidence"), lambda p: p.evidence),
        (gettext_lazy("Source (link)"), lambda p: p.source_url),
    )

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("deputy").order_by("deputy__full_name", "id")


class PromiseCreateView(WorkspaceActionView):
    form_class = PromiseForm
    template_name = "workspace/_form_page.html"
    page_title = gettext_lazy("New election promise")
    cancel_url_name = "deputies_ws:promises"
    success_message = gettext_lazy("Saved as a draft: another person reviews it before publication.")
    success_url_name = "deputies_ws:promises"

    def perform(self, form: PromiseForm) -> Promise:
        return services.promise_record(monitor=self.council, user=self.request.user, data=form.to_data())


class PromisePublishView(_PublishView):
    model = Promise
    list_url = "deputies_ws:promises"


class QuestionListView(WorkspaceListView):
    """Questions to moderate. The author's name and e-mail are shown here, to the moderators only."""

    model = Question
    template_name = "deputies/workspace/questions.html"

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("deputy").order_by("status", "-asked_at")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["held_answers"] = (
            InboundAnswer.objects.filter(question__council=self.council, status=InboundStatus.HELD)
            .select_related("question__deputy")
            .order_by("received_at")
        )
        return context


class InboundAnswerModerateView(WorkspaceActionView):
    """An answer received by e-mail, held for the moderators: publish it as the deputy's answer, or discard it."""

    model = InboundAnswer
    form_class = InboundModerationForm
    template_name = "deputies/workspace/inbound_answer.html"
    page_title = gettext_lazy("An answer received by e-mail")
    success_message = gettext_lazy("The decision was saved.")
    success_url_name = "deputies_ws:questions"

    def get_queryset(self) -> Any:
        return super().get_queryset().filter(status=InboundStatus.HELD).select_related("question__deputy")

    def perform(self, form: InboundModerationForm) -> InboundAnswer:
        return services.inbound_answer_moderate(record=self.object, user=self.request.user, **form.to_data())  # type: ignore[arg-type]


class QuestionModerateView(CouncilObjectMixin, generic.DetailView):
    model = Question
    template_name = "deputies/workspace/moderate.html"
    write_required = True
    page_title = gettext_lazy("Moderate a question")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("page_title", self.page_title)
        return context

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return render(request, self.template_name, self.get_context_data(object=self.object, form=ModerationForm()))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        form = ModerationForm(request.POST)
        if form.is_valid():
            try:
                services.question_moderate(
                    question=self.object,
                    user=request.user,  # type: ignore[arg-type]
                    publish=form.cleaned_data["decision"] == "publish",
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errors in exc.error_dict.items():
                        form.add_error("reason" if field == "rejection_reason" else None, errors)
                else:
                    form.add_error(None, exc)
            else:
                messages.success(request, _("The decision was saved."))
                return redirect("deputies_ws:questions", slug=self.council.slug)
        context = self.get_context_data(object=self.object, form=form)
        return render(request, self.template_name, context, status=400)


def _rows(upload: Any) -> list[dict[str, str]]:
    """The uploaded list's rows, keyed by the header's column names (CSV in UTF-8, or the first sheet of XLSX)."""
    if upload.name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(upload, read_only=True, data_only=True).worksheets[0]
        except Exception as exc:  # noqa: BLE001 - any unreadable workbook is the user's file, not our error
            raise ValueError("unreadable workbook") from exc
        table = [[("" if c is None else str(c)) for c in row] for row in sheet.iter_rows(values_only=True)]
    else:
        text = upload.read().decode("utf-8-sig")
        table = list(csv.reader(io.StringIO(text)))
    if not table:
        return []
    header = [h.strip().lower() for h in table[0]]
    return [dict(zip(header, (cell.strip() for cell in row), strict=False)) for row in table[1:] if any(row)]


class ImportView(CouncilScopedMixin, generic.FormView):
    form_class = ImportForm
    template_name = "deputies/workspace/import.html"
    write_required = True

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["council"] = self.council
        return kwargs

    def form_valid(self, form: ImportForm) -> HttpResponse:
        body = form.cleaned_data["body"]
        convocation = body.convocations.order_by("-number").first()
        if convocation is None:
            form.add_error("body", _("The body has no convocation yet."))
            return self.form_invalid(form)
        try:
            rows = _rows(form.cleaned_data["file"])
        except (UnicodeDecodeError, ValueError, KeyError, OSError):
            form.add_error("file", _("The file could not be read: save it as CSV (UTF-8) or XLSX."))
            return self.form_invalid(form)
        result = services.deputy_list_import(convocation=convocation, rows=rows)
        context = self.get_context_data(form=ImportForm(council=self.council), result=result)
        return render(self.request, self.template_name, context)

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 400
        return response
