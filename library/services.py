"""Writes on the library: a document added, edited or withdrawn. Keyword-only, typed, one transaction each; a rule
is a ValidationError keyed by the form field it concerns.

An uploaded file is checked by its content (`core.files.validate_attachment`: PDF, JPEG, PNG or a sound DOCX, at
most 10 MB), never by its name or what the browser says; it is stored under a name the portal makes
(`models.document_upload_to`), and the name it came with is kept for display only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from core.files import validate_attachment
from core.retention import storage_delete_on_commit
from councils.member_services import unique_key
from councils.models import Council

from .models import Document, DocumentKind, DocumentLanguage, Topic

_http_url = URLValidator(schemes=["http", "https"])
ORIGINAL_NAME_CHARS = 255


@dataclass(frozen=True)
class DocumentData:
    title: str
    kind: str
    topic: str
    language: str
    published_on: dt.date
    summary: str = ""
    source: str = ""
    url: str = ""
    file: UploadedFile[bytes] | None = None
    remove_file: bool = False
    is_published: bool = True


def _check(data: DocumentData) -> None:
    if not data.title.strip():
        raise ValidationError({"title": _("Give the document's title.")})
    for name, value, choices in (
        ("kind", data.kind, DocumentKind.values),
        ("topic", data.topic, Topic.values),
        ("language", data.language, DocumentLanguage.values),
    ):
        if value not in choices:
            raise ValidationError({name: _("Choose one of the options.")})
    if data.url:
        try:
            _http_url(data.url)
        except ValidationError:
            raise ValidationError({"url": _("Give a web address (http:// or https://).")}) from None


def _attach(document: Document, upload: UploadedFile[bytes]) -> None:
    try:
        content_type = validate_attachment(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    document.content_type = content_type
    document.original_name = (upload.name or "")[-ORIGINAL_NAME_CHARS:]
    document.size = upload.size or 0
    document.file.save(upload.name or "document", upload, save=False)


def _apply(document: Document, data: DocumentData) -> None:
    _check(data)
    document.title = data.title.strip()
    document.summary = data.summary.strip()
    document.kind = data.kind
    document.topic = data.topic
    document.language = data.language
    document.published_on = data.published_on
    document.source = data.source.strip()
    document.url = data.url.strip()
    document.is_published = data.is_published
    old_name = document.file.name if document.file else ""
    if data.file is not None:
        _attach(document, data.file)
    elif data.remove_file and document.file:
        document.file = None
        document.original_name, document.content_type, document.size = "", "", 0
    if not document.url and not document.file:
        raise ValidationError({"url": _("Give a link, or upload the file.")})
    if old_name and old_name != (document.file.name if document.file else ""):
        storage_delete_on_commit(storage=document.file.storage, names=[old_name])


@transaction.atomic
def document_create(*, council: Council, data: DocumentData) -> Document:
    document = Document(council=council)
    _apply(document, data)
    document.key = unique_key(Document.objects.filter(council=council), f"doc-{data.published_on:%Y-%m-%d}")
    document.save()
    return document


@transaction.atomic
def document_update(*, document: Document, data: DocumentData) -> Document:
    _apply(document, data)
    document.save()
    return document


@transaction.atomic
def document_delete(*, document: Document) -> None:
    """A document withdrawn: the row and its file (once the deletion has committed). A training that listed it
    among its materials simply no longer does."""
    name = (document.file.name or "") if document.file else ""
    storage = document.file.storage
    document.delete()
    storage_delete_on_commit(storage=storage, names=[name])
