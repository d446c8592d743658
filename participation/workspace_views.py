"""Participation in the workspace: the moderation queue (publish or not, with the reason; every change audited
through the models' trail), the council's answers, a hearing's comment window, documents, registrations (CSV and
XLSX) and record, and a draft's text. Every page goes through the tenant gate (councils/workspace.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from councils.workspace import (
    CouncilScopedMixin,
    WorkspaceActionView,
    WorkspaceListView,
    add_service_errors,
    choice_labels,
)
from hearings.models import PublicHearing
from monitoring.models import DraftActReview

from . import selectors, services
from .forms import AnswerForm, CommentFilter, ConsultationForm, DocumentForm, DraftTextForm, ModerationForm
from .models import CommentKind, CommentOutcome, CommentStatus, HearingDocument, HearingRegistration, PublicComment


def _target_label(comment: PublicComment) -> str:
    target = comment.hearing if comment.hearing_id else comment.draft
    return str(target)


class CommentListView(WorkspaceListView):
    """The moderation queue: every comment, the ones awaiting moderation first when filtered by status."""

    model = PublicComment
    template_name = "workspace/participation/comments.html"
    filterset_class = CommentFilter
    export_name = "public-comments"
    export_columns = (
        (gettext_lazy("Number"), lambda c: c.number),
        (gettext_lazy("Received"), lambda c: c.submitted_at),
        (gettext_lazy("On"), _target_label),
        (gettext_lazy("Kind"), lambda c: choice_labels(CommentKind)(c.kind)),
        (gettext_lazy("Status"), lambda c: choice_labels(CommentStatus)(c.status)),
        (gettext_lazy("Text"), lambda c: c.text),
        (gettext_lazy("Outcome"), lambda c: choice_labels(CommentOutcome)(c.outcome) if c.outcome else ""),
        (gettext_lazy("The council's answer"), lambda c: c.answer),
    )

    def list_queryset(self) -> Any:
        return selectors.comments_for_workspace(council=self.council)


class CommentDetailView(CouncilScopedMixin, generic.View):
    """One comment with its author (private), the moderation form and the answer form; POST `action=moderate`
    or `action=answer`."""

    def _comment(self, pk: int) -> PublicComment:
        return get_object_or_404(
            PublicComment.objects.select_related("hearing", "draft", "moderated_by"), council=self.council, pk=pk
        )

    def _render(
        self, request: HttpRequest, comment: PublicComment, moderation: Any, answer: Any, status: int = 200
    ) -> HttpResponse:
        from councils.access import can_write

        context = {
            "council": self.council,
            "can_write": can_write(request.user, self.council),
            "comment": comment,
            "moderation_form": moderation,
            "answer_form": answer,
        }
        return render(request, "workspace/participation/comment_detail.html", context, status=status)

    def get(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        comment = self._comment(pk)
        answer = AnswerForm(initial={"outcome": comment.outcome, "answer": comment.answer})
        return self._render(request, comment, ModerationForm(), answer)

    def post(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        comment = self._comment(pk)
        moderation = ModerationForm()
        answer = AnswerForm(initial={"outcome": comment.outcome, "answer": comment.answer})
        if request.POST.get("action") == "answer":
            answer = AnswerForm(request.POST)
            if answer.is_valid():
                try:
                    services.comment_answer(
                        comment=comment, outcome=answer.cleaned_data["outcome"], answer=answer.cleaned_data["answer"]
                    )
                except ValidationError as exc:
                    add_service_errors(answer, exc)
                else:
                    messages.success(request, _("The answer was saved."))
                    return redirect("participation_ws:comment", slug=slug, pk=pk)
            return self._render(request, comment, moderation, answer, status=400)
        moderation = ModerationForm(request.POST)
        if moderation.is_valid():
            try:
                services.comment_moderate(
                    comment=comment,
                    publish=moderation.cleaned_data["decision"] == "publish",
                    user=request.user,
                    reason=moderation.cleaned_data["reason"],
                )
            except ValidationError as exc:
                add_service_errors(moderation, exc)
            else:
                messages.success(request, _("The moderation decision was saved."))
                return redirect(reverse("participation_ws:comments", kwargs={"slug": slug}) + "?status=pending")
        return self._render(request, comment, moderation, answer, status=400)


class HearingConsultationView(WorkspaceActionView):
    """A hearing's participation settings (kind, project, operator, notice, comment window) with its
    documents, registrations and record beside them."""

    model = PublicHearing
    form_class = ConsultationForm
    template_name = "workspace/participation/hearing.html"
    page_title = gettext_lazy("Public participation in the hearing")
    success_message = gettext_lazy("The hearing's participation settings were saved.")
    success_url_name = "participation_ws:hearing"
    success_url_pk = "pk"
    write_required = None  # anyone of the council may read it; only writers may save

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        hearing = self.object
        context["documents"] = list(selectors.public_hearing_documents(hearing=hearing))
        context["document_form"] = kwargs.get("document_form") or DocumentForm()
        context["registrations"] = (
            selectors.registrations_for_workspace(hearing=hearing).filter(cancelled_at__isnull=True).count()
        )
        context["summary"] = selectors.outcome_summary(target=hearing)
        context["pending"] = hearing.public_comments.filter(status=CommentStatus.PENDING).count()
        return context

    def perform(self, form: ConsultationForm) -> PublicHearing:
        hearing = PublicHearing.objects.get(pk=self.object.pk)
        return services.hearing_consultation_update(hearing=hearing, data=form.to_data())


class _HearingAction(CouncilScopedMixin, generic.View):
    write_required = True

    def hearing(self, pk: int) -> PublicHearing:
        return get_object_or_404(PublicHearing, council=self.council, pk=pk)

    def back(self, pk: int) -> HttpResponse:
        return redirect("participation_ws:hearing", slug=self.council.slug, pk=pk)


class DocumentAddView(_HearingAction):
    def post(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        hearing = self.hearing(pk)
        form = DocumentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.hearing_document_add(
                    hearing=hearing,
                    title=form.cleaned_data["title"],
                    file=form.cleaned_data["file"],
                    url=form.cleaned_data["url"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The document was added."))
                return self.back(pk)
        view = HearingConsultationView()
        view.setup(request, slug=slug, pk=pk)
        view.council = self.council
        view.object = hearing
        context = view.get_context_data(form=ConsultationForm(instance=hearing), document_form=form)
        return render(request, view.template_name, context, status=400)


class DocumentDeleteView(_HearingAction):
    def post(self, request: HttpRequest, slug: str, pk: int, document_id: int) -> HttpResponse:
        document = get_object_or_404(HearingDocument, hearing__council=self.council, hearing_id=pk, pk=document_id)
        services.hearing_document_delete(document=document)
        messages.success(request, _("The document was removed."))
        return self.back(pk)


class RecordPublishView(_HearingAction):
    def post(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        hearing = self.hearing(pk)
        try:
            queued = services.hearing_record_publish(hearing=hearing)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("The record is published; %(count)s registrants will receive it.") % {"count": queued}
            )
        return self.back(pk)


class RegistrationListView(WorkspaceListView):
    """Who registered to attend a hearing, with their questions; CSV and XLSX for the organiser."""

    model = HearingRegistration
    template_name = "workspace/participation/registrations.html"
    export_name = "hearing-registrations"
    export_columns = (
        (gettext_lazy("Registered"), lambda r: r.created_at),
        (gettext_lazy("Full name"), lambda r: r.name),
        (gettext_lazy("E-mail"), lambda r: r.email),
        (gettext_lazy("Organisation"), lambda r: r.organisation),
        (gettext_lazy("Questions sent in advance"), lambda r: r.questions),
        (gettext_lazy("Cancelled"), lambda r: r.cancelled_at),
    )

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.hearing_pk = kwargs["pk"]
        return super().dispatch(request, *args, **kwargs)

    def list_queryset(self) -> Any:
        self.hearing = get_object_or_404(PublicHearing, council=self.council, pk=self.hearing_pk)
        return selectors.registrations_for_workspace(hearing=self.hearing)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["hearing"] = self.hearing
        return context


class DraftTextView(CouncilScopedMixin, generic.View):
    """The draft shown to the public while its discussion is open: a file, a link to the official text, or both."""

    def _draft(self, pk: int) -> DraftActReview:
        return get_object_or_404(DraftActReview, council=self.council, pk=pk)

    def _render(self, request: HttpRequest, draft: DraftActReview, form: Any, status: int = 200) -> HttpResponse:
        context = {
            "council": self.council,
            "draft": draft,
            "form": form,
            "summary": selectors.outcome_summary(target=draft),
            "pending": draft.public_comments.filter(status=CommentStatus.PENDING).count(),
        }
        return render(request, "workspace/participation/draft.html", context, status=status)

    def get(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        draft = self._draft(pk)
        return self._render(request, draft, DraftTextForm(initial={"draft_url": draft.draft_url}))

    def post(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        draft = self._draft(pk)
        form = DraftTextForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, draft, form, status=400)
        services.draft_text_update(
            draft=draft, file=form.cleaned_data["draft_file"], url=form.cleaned_data["draft_url"]
        )
        messages.success(request, _("The draft's text was saved."))
        return redirect("participation_ws:draft", slug=slug, pk=pk)
