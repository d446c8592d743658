"""The library in the workspace, mounted at workspace/<slug:slug>/library/: the list (filters, search, CSV and
XLSX), add, edit, delete, and the file served through the tenant gate (a draft's file is not public)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy
from django.views import generic
from django.views.generic.detail import SingleObjectMixin

from core.files import stored_file_download
from councils.workspace import (
    CouncilObjectMixin,
    WorkspaceActionView,
    WorkspaceListView,
    choice_labels,
)

from . import services
from .forms import DocumentFilter, DocumentForm
from .models import Document, DocumentKind, DocumentLanguage, Topic
from .selectors import documents_for_workspace

_kind, _topic, _language = choice_labels(DocumentKind), choice_labels(Topic), choice_labels(DocumentLanguage)


class DocumentListView(WorkspaceListView):
    model = Document
    template_name = "workspace/library/list.html"
    filterset_class = DocumentFilter
    export_name = "library"
    export_columns = (
        (gettext_lazy("Date"), lambda d: d.published_on),
        (gettext_lazy("Title"), lambda d: d.title),
        (gettext_lazy("Kind"), lambda d: _kind(d.kind)),
        (gettext_lazy("Topic"), lambda d: _topic(d.topic)),
        (gettext_lazy("Language"), lambda d: _language(d.language)),
        (gettext_lazy("Source"), lambda d: d.source),
        (gettext_lazy("Link"), lambda d: d.url),
        (gettext_lazy("File"), lambda d: d.original_name),
        (gettext_lazy("Published"), lambda d: d.is_published),
    )

    def list_queryset(self):
        return documents_for_workspace(council=self.council)


class DocumentCreateView(WorkspaceActionView):
    form_class = DocumentForm
    template_name = "workspace/_form_page.html"
    page_title = gettext_lazy("New library document")
    cancel_url_name = "library_ws:documents"
    success_message = gettext_lazy("The document was saved.")
    success_url_name = "library_ws:document_detail"
    success_url_pk = "pk"

    def perform(self, form: DocumentForm) -> Document:
        return services.document_create(council=self.council, data=form.to_data())


class DocumentUpdateView(WorkspaceActionView):
    model = Document
    form_class = DocumentForm
    template_name = "workspace/_form_page.html"
    page_title = gettext_lazy("Edit the library document")
    cancel_url_name = "library_ws:documents"
    success_message = gettext_lazy("The document was saved.")
    success_url_name = "library_ws:document_detail"
    success_url_pk = "pk"

    def perform(self, form: DocumentForm) -> Document:
        document = Document.objects.select_related("council").get(pk=self.object.pk)
        return services.document_update(document=document, data=form.to_data())


class DocumentDetailView(CouncilObjectMixin, generic.DetailView):
    model = Document
    template_name = "workspace/library/detail.html"
    context_object_name = "document"


class DocumentDeleteView(CouncilObjectMixin, SingleObjectMixin, generic.View):
    """POST only, with the box «delete it» ticked (a stray post deletes nothing): the document and its file go and
    the list is shown again; without the tick the document's page says why."""

    model = Document
    http_method_names = ["post"]
    write_required = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        document = self.get_object()
        if request.POST.get("confirm") != "yes":
            messages.error(request, gettext_lazy("Tick the box to confirm the deletion."))
            return redirect("library_ws:document_detail", slug=self.council.slug, pk=document.pk)
        services.document_delete(document=document)
        messages.success(request, gettext_lazy("The document was deleted."))
        return redirect("library_ws:documents", slug=self.council.slug)


class DocumentFileView(CouncilObjectMixin, SingleObjectMixin, generic.View):
    model = Document
    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        document = self.get_object()
        return stored_file_download(document.file, stem=f"{self.council.slug}-{document.key}", private=True)
