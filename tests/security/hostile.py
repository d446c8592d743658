"""Hostile values and the small tools the hostile-input tests share: hand-made multipart bodies (so that file
names and bytes reach the server exactly as an attacker would send them), hostile files, an HTML form reader,
row counts and the escaping check."""

from __future__ import annotations

import datetime as dt
import functools
import io
import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.apps import apps
from django.db import connection
from django.test import Client

# ---- values ------------------------------------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
# What must never appear in a page as it is (the markup that would run); its escaped form may.
RAW_MARKERS = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")
SCRIPT_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
SQL_OR = "' OR 1=1 --"
SQL_DROP = "1; DROP TABLE appeals_appeal; --"
NUL = "before\x00after"
MEGABYTE = "A" * (1024 * 1024)
BAD_DATES = ("2019-02-30", "9999-99-99", "0000-00-00")
HUGE_NUMBER = "99999999999999999999"
# "<script>" written with overlong two-byte UTF-8 forms of "<" and ">": invalid UTF-8 that a lax decoder turns
# back into markup.
OVERLONG = b"\xc0\xbcscript\xc0\xbealert(1)\xc0\xbc/script\xc0\xbe"

ALLOWED_CONTENT_TYPES = {
    "application/pdf",
    "image/jpeg",
    "image/png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def assert_nothing_raw(*bodies: bytes | str, where: str = "") -> None:
    """No page may carry the hostile markup as markup: escaped it is text, raw it runs."""
    for body in bodies:
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
        for marker in RAW_MARKERS:
            assert marker not in text, f"{where}: {marker!r} rendered unescaped"


# ---- files -------------------------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _docx(members: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX_SKELETON = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<document/>"}


@functools.cache
def zip_bomb_docx() -> bytes:
    """About 60 KB that inflate to 60 MB: past the 50 MB a DOCX may inflate to."""
    return _docx({**DOCX_SKELETON, "word/media/zeros.bin": bytes(60 * 1024 * 1024)})


@functools.cache
def zip_bomb_lying_docx() -> bytes:
    """The same bomb, but its directories declare the member 1 KB: a check that trusts them lets it in."""
    data = bytearray(zip_bomb_docx())
    info = next(i for i in zipfile.ZipFile(io.BytesIO(bytes(data))).infolist() if i.filename.endswith("zeros.bin"))
    real = (60 * 1024 * 1024).to_bytes(4, "little")
    fake = (1024).to_bytes(4, "little")
    # The uncompressed size sits in the local header (offset 22) and in the central directory entry.
    local = info.header_offset
    assert data[local + 22 : local + 26] == real
    data[local + 22 : local + 26] = fake
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_length = int.from_bytes(data[central + 28 : central + 30], "little")
        if data[central + 46 : central + 46 + name_length] == info.filename.encode():
            assert data[central + 24 : central + 28] == real
            data[central + 24 : central + 28] = fake
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)


@functools.cache
def many_members_docx() -> bytes:
    return _docx({**DOCX_SKELETON, **{f"word/m{i}.xml": b"" for i in range(2001)}}, compression=zipfile.ZIP_STORED)


def pdf_zip_html_polyglot() -> bytes:
    """Starts as a PDF, carries an HTML page with a script, ends with a ZIP archive."""
    return PDF + b"<html><body><script>alert(1)</script></body></html>\n" + _docx(DOCX_SKELETON)


PNG_SCRIPT = b"\x89PNG\r\n\x1a\n<script>alert(1)</script>"


@dataclass(frozen=True)
class HostileFile:
    """A file to upload: `accepted` says whether it must be taken (its bytes are an allowed type) or refused;
    None: the server may also drop it (a name it cannot decode) as long as what it keeps is safe."""

    case: str
    filename: bytes
    content: bytes
    accepted: bool | None
    content_type: str = "application/pdf"


def hostile_files() -> list[HostileFile]:
    return [
        HostileFile("traversal-slash", b"../../etc/passwd.pdf", PDF, True),
        HostileFile("traversal-backslash", b"..\\..\\boot.ini", PDF, True),
        HostileFile("traversal-entities", b"&#46;&#46;&#47;&#46;&#46;&#47;etc&#47;passwd.pdf", PDF, True),
        HostileFile("traversal-absolute", b"/etc/cron.d/evil.pdf", PDF, True),
        HostileFile("markup-name", b"<img src=x onerror=alert(1)>.pdf", PDF, True),
        HostileFile("overlong-utf8-name", b"\xc0\xae\xc0\xae\xc0\xafpasswd.pdf", PDF, None),
        HostileFile("nul-in-name", b"akt.pdf\x00.exe", PDF, True),
        HostileFile("zip-bomb-docx", b"bomb.docx", zip_bomb_docx(), False, "application/octet-stream"),
        HostileFile("zip-bomb-lying-sizes", b"bomb2.docx", zip_bomb_lying_docx(), False, "application/octet-stream"),
        HostileFile("zip-too-many-members", b"many.docx", many_members_docx(), False, "application/octet-stream"),
        HostileFile("polyglot-pdf-html-zip", b"poly.pdf", pdf_zip_html_polyglot(), True),
        HostileFile("polyglot-png-script", b"photo.png", PNG_SCRIPT, True, "image/png"),
        HostileFile("html-named-pdf", b"page.pdf", b"<html><script>alert(1)</script></html>", False, "text/html"),
        HostileFile("empty", b"empty.pdf", b"", False),
        HostileFile("exe-named-dot-pdf", b".pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + bytes(64), False),
        HostileFile("elf-named-pdf", b"report.pdf", b"\x7fELF\x02\x01\x01" + bytes(64), False),
        HostileFile("oversize-pdf", b"big.pdf", PDF + bytes(10 * 1024 * 1024), False),
    ]


# ---- hand-made requests ------------------------------------------------------------------------------------

FieldValue = str | bytes


def multipart(
    fields: dict[str, list[FieldValue]] | Iterable[tuple[str, FieldValue]],
    files: Iterable[tuple[str, bytes, bytes, str]] = (),
) -> tuple[bytes, str]:
    """A multipart/form-data body built byte by byte: file names and values go out exactly as given, which
    Django's test client would not do (it takes the base name of a file and encodes every value as UTF-8)."""
    boundary = f"----hostile{uuid.uuid4().hex}".encode()
    pairs = [(k, v) for k, values in fields.items() for v in values] if isinstance(fields, dict) else list(fields)
    out = bytearray()
    for name, value in pairs:
        raw = value.encode("utf-8", "surrogatepass") if isinstance(value, str) else value
        out += b"--" + boundary + b"\r\n"
        out += b'Content-Disposition: form-data; name="' + name.encode() + b'"\r\n\r\n' + raw + b"\r\n"
    for name, filename, content, content_type in files:
        out += b"--" + boundary + b"\r\n"
        out += b'Content-Disposition: form-data; name="' + name.encode() + b'"; filename="' + filename + b'"\r\n'
        out += b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + content + b"\r\n"
    out += b"--" + boundary + b"--\r\n"
    return bytes(out), "multipart/form-data; boundary=" + boundary.decode()


def post_multipart(client: Client, url: str, fields: Any, files: Iterable[tuple[str, bytes, bytes, str]] = (), **extra):
    body, content_type = multipart(fields, files)
    return client.post(url, data=body, content_type=content_type, **extra)


# ---- what the database and the media folder hold -----------------------------------------------------------

DOMAIN_APPS = (
    "core",
    "councils",
    "hearings",
    "monitoring",
    "appeals",
    "receptions",
    "reports",
    "privacy",
    "participation",
)


def row_counts() -> dict[str, int]:
    """Rows of every domain table (history and many-to-many tables included), in one query: equal counts mean
    nothing was stored."""
    models = [
        model
        for label in DOMAIN_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]
    quoted = [connection.ops.quote_name(m._meta.db_table) for m in models]
    sql = " UNION ALL ".join(f"SELECT %s, COUNT(*) FROM {table}" for table in quoted)  # noqa: S608 - model tables
    with connection.cursor() as cursor:
        cursor.execute(sql, [m._meta.label for m in models])
        return dict(cursor.fetchall())


def changed_tables(before: dict[str, int], after: dict[str, int]) -> dict[str, tuple[int, int]]:
    return {label: (before[label], after[label]) for label in before if before[label] != after[label]}


def stored_files(media_root: Path) -> set[str]:
    root = Path(media_root)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


# ---- reading the forms of a page ---------------------------------------------------------------------------

MANAGEMENT_SUFFIXES = ("-TOTAL_FORMS", "-INITIAL_FORMS", "-MIN_NUM_FORMS", "-MAX_NUM_FORMS")


@dataclass
class HtmlField:
    name: str
    kind: str  # text, textarea, email, url, tel, number, date, datetime, select, checkbox, radio, file, hidden
    value: str = ""
    options: list[str] = field(default_factory=list)
    multiple: bool = False
    maxlength: int | None = None
    checked: bool = False
    required: bool = False


@dataclass
class HtmlForm:
    action: str
    method: str
    fields: list[HtmlField] = field(default_factory=list)


_INPUT_KINDS = {
    "text": "text",
    "search": "text",
    "password": "text",
    "email": "email",
    "url": "url",
    "tel": "tel",
    "number": "number",
    "date": "date",
    "datetime-local": "datetime",
    "checkbox": "checkbox",
    "radio": "radio",
    "file": "file",
    "hidden": "hidden",
}


class _FormReader(HTMLParser):
    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[HtmlForm] = []
        self._form: HtmlForm | None = None
        self._select: HtmlField | None = None
        self._option: dict[str, Any] | None = None
        self._textarea: HtmlField | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            action = urljoin(self.page_url, a.get("action") or self.page_url)
            self._form = HtmlForm(action=urlsplit(action).path, method=a.get("method", "get").lower())
            self.forms.append(self._form)
            return
        if self._form is None or "name" not in a and tag in ("input", "select", "textarea"):
            return
        maxlength = int(a["maxlength"]) if a.get("maxlength", "").isdigit() else None
        if tag == "input" and "disabled" not in a:
            kind = _INPUT_KINDS.get(a.get("type", "text").lower())
            if kind is not None:
                self._form.fields.append(
                    HtmlField(
                        a["name"],
                        kind,
                        a.get("value", ""),
                        maxlength=maxlength,
                        checked="checked" in a,
                        required="required" in a,
                    )
                )
        elif tag == "select" and "disabled" not in a:
            self._select = HtmlField(a["name"], "select", multiple="multiple" in a, required="required" in a)
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            value = a.get("value")
            self._option = {"value": value, "text": ""}
            if value is not None:
                self._select.options.append(value)
                if "selected" in a and (self._select.multiple or not self._select.value):
                    self._select.value = value
        elif tag == "textarea" and "disabled" not in a:
            self._textarea = HtmlField(a["name"], "textarea", maxlength=maxlength, required="required" in a)
            self._form.fields.append(self._textarea)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # The browser drops one newline right after <textarea>.
            self._textarea.value = self._textarea.value.removeprefix("\n")
            self._textarea = None


def read_forms(html: str, page_url: str) -> list[HtmlForm]:
    reader = _FormReader(page_url)
    reader.feed(html)
    return [f for f in reader.forms if f.method == "post"]


def today_iso() -> str:
    return dt.date.today().isoformat()
