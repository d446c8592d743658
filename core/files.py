"""Checks on uploaded files: the type is read from the content, never trusted from the name or the browser."""

from __future__ import annotations

import zipfile
import zlib
from typing import IO

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
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


def sniff_content_type(fh: IO[bytes]) -> str | None:
    """The type of the file by its first bytes (and, for DOCX, its structure); None if it is none we accept."""
    fh.seek(0)
    head = fh.read(8)
    fh.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04") and _is_safe_docx(fh):
        return DOCX
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


def validate_attachment(upload) -> str:
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
