"""Checks on uploaded files (the type is read from the content, never trusted from the name or the browser), and
serving a stored one back as a download."""

from __future__ import annotations

import zipfile
import zlib
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# A DOCX is a ZIP: refuse archives that inflate far beyond their size (a ZIP bomb) or hold too many members.
MAX_DOCX_INFLATED_BYTES = 50 * 1024 * 1024
MAX_DOCX_MEMBERS = 2000

PDF, JPEG, PNG, DOCX = (
    "application/pdf",
    "image/jpeg",
    "image/png",
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
)
ALLOWED_TYPES = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG", DOCX: "DOCX"}
EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png", DOCX: ".docx"}


def sniff_content_type(fh: IO[bytes]) -> str | None:
    """The type of the file by its first bytes (and, for DOCX, its structure); None if it is none we accept."""
    content_type = _type_by_head(fh)
    if content_type == DOCX and not _is_safe_docx(fh):
        return None
    return content_type


def _type_by_head(fh: IO[bytes]) -> str | None:
    """The type the first bytes announce; a DOCX's structure is not checked here."""
    fh.seek(0)
    head = fh.read(8)
    fh.seek(0)
    for content_type, magic in (
        (PDF, b"%PDF-"),
        (JPEG, b"\xff\xd8\xff"),
        (PNG, b"\x89PNG\r\n\x1a\n"),
        (DOCX, b"PK\x03\x04"),
    ):
        if head.startswith(magic):
            return content_type
    return None


def _is_safe_docx(fh: IO[bytes]) -> bool:
    """A DOCX's parts are there and it inflates to at most the limit.

    The sizes a ZIP declares can lie (a bomb that says its member is 1 KB), so the members are inflated, up to the
    limit and no further, and their checksums checked: the archive is measured by what it really holds.
    """
    try:
        with zipfile.ZipFile(fh) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
            if not (
                "[Content_Types].xml" in names
                and "word/document.xml" in names
                and len(members) <= MAX_DOCX_MEMBERS
                and sum(m.file_size for m in members) <= MAX_DOCX_INFLATED_BYTES
            ):
                return False
            inflated = 0
            for member in members:
                with archive.open(member) as stream:
                    while chunk := stream.read(1024 * 1024):
                        inflated += len(chunk)
                        if inflated > MAX_DOCX_INFLATED_BYTES:
                            return False
    # A damaged or lying archive (bad checksum, truncated stream), an encrypted member, an unknown compression.
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, NotImplementedError, zlib.error):
        return False
    finally:
        fh.seek(0)
    return True


def validate_attachment(upload: UploadedFile[bytes]) -> str:
    """Return the sniffed content type, or raise a ValidationError that says why the file is refused."""
    if upload.size is not None and upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            _("«%(name)s» is %(size)s; the limit is %(limit)s per file.")
            % {
                "name": upload.name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(MAX_ATTACHMENT_BYTES),
            },
            code="too_large",
        )
    content_type = sniff_content_type(upload)
    if content_type is None:
        raise ValidationError(
            _("«%(name)s» is not a PDF, JPEG, PNG or DOCX file (its content was checked, not its name).")
            % {"name": upload.name},
            code="bad_type",
        )
    upload.content_type = content_type
    return content_type


def stored_file_download(stored: FieldFile, *, stem: str, private: bool) -> FileResponse:
    """A stored upload as a download, never from a public media address: the type read from its content (bytes
    of an unknown type as `application/octet-stream`), the name `stem` plus the type's extension, and never shown
    by the browser in the page's origin (`attachment`, `nosniff`). `private`: no cache may keep it. A file missing
    from the storage is 404, like a record that is not there."""
    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    # The structure was checked on upload (`validate_attachment`): the first bytes name the type well enough.
    content_type = _type_by_head(handle)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=stem + EXTENSIONS.get(content_type or "", ""),
        content_type=content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    if private:
        patch_cache_control(response, private=True, no_store=True)
    return response
