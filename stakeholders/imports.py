"""Import of organisations and their contact people from a spreadsheet (CSV or XLSX).

1. The file is read into rows of text (`read_table`): CSV in UTF-8 (with or without BOM) or Windows-1251 (what a
   Russian Excel saves as "CSV"), or the first sheet of an XLSX. A file that is neither is refused whole, with
   the reason; so is one over `MAX_ROWS` rows, or an XLSX that unpacks to more than `MAX_UNPACKED_BYTES`.
2. Each row is imported in its own savepoint (`rows_import`): an organisation (matched by its Russian name
   within the council, else created) and, when the row names one, a contact person (matched by name within the
   organisation, else added). A row with any error writes nothing, and the report names its line (the header
   is line 1), the column and the reason, in the reader's language.
3. Values are stored as typed; a value starting with "=", "+", "-" or "@" stays text, and the exports neutralise
   it (core.spreadsheets.inert_cell), so a spreadsheet never runs it as a formula.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from councils.models import Council, Partner

from .models import Contact, OrganisationCategory
from .services import ContactData, OrganisationData, contact_create, organisation_create

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_CELL = 2000

# The columns a file may have (header names, any case); "organisation" is required.
COLUMNS = {
    "organisation": gettext_lazy("organisation (name in Russian)"),
    "name_kk": gettext_lazy("name in Kazakh"),
    "name_en": gettext_lazy("name in English"),
    "category": gettext_lazy("category"),
    "sector": gettext_lazy("sector"),
    "region": gettext_lazy("region"),
    "website": gettext_lazy("website"),
    "contact_name": gettext_lazy("contact person"),
    "position": gettext_lazy("position"),
    "email": gettext_lazy("e-mail"),
    "phone": gettext_lazy("phone"),
}


# Header names a council's own spreadsheet may use instead of the codes, in Russian, Kazakh and English (compared
# in lower case, spaces collapsed, «ё» as «е»); the columns' labels above, in each of the portal's languages, are
# accepted too.
HEADER_ALIASES = {
    "organisation": (
        "организация",
        "наименование",
        "наименование организации",
        "название организации",
        "название",
        "ұйым",
        "ұйымның атауы",
        "атауы",
        "organization",
        "organisation name",
        "organization name",
        "name",
    ),
    "name_kk": ("название на казахском", "наименование на казахском", "қазақша атауы", "атауы қазақ тілінде"),
    "name_en": ("название на английском", "наименование на английском", "ағылшынша атауы", "атауы ағылшын тілінде"),
    "category": ("категория", "тип организации", "санат", "санаты", "type"),
    "sector": ("сектор", "отрасль", "сфера", "сала", "саласы"),
    "region": ("регион", "область", "өңір", "аймақ", "облыс"),
    "website": ("сайт", "веб-сайт", "интернет-сайт", "site", "web site"),
    "contact_name": (
        "контактное лицо",
        "фио",
        "ф.и.о.",
        "ф. и. о.",
        "байланыс тұлғасы",
        "аты-жөні",
        "contact",
        "contact name",
    ),
    "position": ("должность", "лауазымы", "лауазым", "job title"),
    "email": ("email", "эл. почта", "эл.почта", "электронная почта", "электрондық пошта", "эл. пошта", "mail"),
    "phone": ("телефон", "тел.", "телефон нөмірі", "telephone", "phone number"),
}


def _header_key(name: str) -> str:
    return " ".join(name.replace("ё", "е").replace("Ё", "Е").strip().lower().rstrip("*:").split())


def header_codes() -> dict[str, str]:
    """Every header name a file may use → the column's code."""
    codes = {_header_key(code): code for code in COLUMNS}
    for code, aliases in HEADER_ALIASES.items():
        codes.update({_header_key(alias): code for alias in aliases})
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            codes.update({_header_key(str(label)): code for code, label in COLUMNS.items()})
    return codes


class UnreadableFile(ValueError):
    """The file as a whole cannot be imported; the message says why, in the reader's language."""


@dataclass(frozen=True)
class RejectedRow:
    line: int
    column: str
    reason: str


@dataclass
class ImportResult:
    organisations_created: int = 0
    contacts_created: int = 0
    unchanged: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)


class _RowError(Exception):
    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column, self.reason = column, reason


def _decode(raw: bytes) -> str:
    if b"\x00" in raw:
        raise UnreadableFile(_("The file is not a text CSV: save it as CSV (UTF-8) or XLSX."))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    text = raw.decode("cp1251", errors="strict") if _cp1251_ok(raw) else None
    if text is None:
        raise UnreadableFile(_("The file's encoding is not UTF-8 or Windows-1251: save it as CSV (UTF-8) or XLSX."))
    return text


def _cp1251_ok(raw: bytes) -> bool:
    try:
        text = raw.decode("cp1251")
    except UnicodeDecodeError:
        return False
    # Windows-1251 decodes nearly any bytes: accept it only when the text reads as text (letters, not controls).
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t")
    return controls == 0


def _delimiter(text: str) -> str:
    """The header's separator: "," or what Excel writes in the Russian and Kazakh locales (";"), or a tab. Read
    from the first line only (csv.Sniffer guesses from the data and guesses wrong on names with commas)."""
    header = text.split("\n", 1)[0]
    return max((",", ";", "\t"), key=header.count)


def _xlsx_rows(upload: IO[bytes]) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(upload) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise UnreadableFile(_("The workbook is too large once unpacked."))
        upload.seek(0)
        book = load_workbook(upload, read_only=True, data_only=True)
    except UnreadableFile:
        raise
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook is the user's file, not our error
        raise UnreadableFile(_("The workbook could not be read: save it as XLSX or CSV (UTF-8).")) from exc
    table: list[list[str]] = []
    try:
        for row in book.worksheets[0].iter_rows(values_only=True):
            table.append(["" if cell is None else str(cell) for cell in row])
            if len(table) > MAX_ROWS + 1:
                raise UnreadableFile(_("The file has more than %(rows)s rows: split it.") % {"rows": MAX_ROWS})
    except UnreadableFile:
        raise
    except Exception as exc:  # noqa: BLE001 - a sheet that breaks while read is the user's file too
        raise UnreadableFile(_("The workbook could not be read: save it as XLSX or CSV (UTF-8).")) from exc
    finally:
        book.close()  # a read-only workbook keeps its archive open until closed
    return table


def read_table(upload: Any) -> list[dict[str, str]]:
    """The rows of an uploaded CSV or XLSX as dicts keyed by the columns' codes (the header may name a column by
    its code or its name in Russian, Kazakh or English: `header_codes`), with the blank rows kept as empty dicts so
    that line numbers stay those of the file."""
    name = (getattr(upload, "name", "") or "").lower()
    if getattr(upload, "size", 0) > MAX_BYTES:
        raise UnreadableFile(_("The file is larger than 5 MB."))
    if hasattr(upload, "seek"):
        upload.seek(0)
    if name.endswith(".xlsx"):
        table = _xlsx_rows(upload)
    elif name.endswith(".csv"):
        text = _decode(upload.read(MAX_BYTES + 1))
        reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text))
        table = []
        try:
            for row in reader:
                table.append(row)
                if len(table) > MAX_ROWS + 1:
                    raise UnreadableFile(_("The file has more than %(rows)s rows: split it.") % {"rows": MAX_ROWS})
        except csv.Error as exc:
            raise UnreadableFile(_("The CSV could not be read: save it as CSV (UTF-8) or XLSX.")) from exc
    else:
        raise UnreadableFile(_("Upload a CSV or XLSX file."))
    if not table:
        raise UnreadableFile(_("The file is empty."))
    codes = header_codes()
    header = [codes.get(_header_key(h), _header_key(h)) for h in table[0]]
    if "organisation" not in header:
        raise UnreadableFile(_("The first row must name the columns, among them «organisation»."))
    return [
        {key: (cell or "").strip() for key, cell in zip(header, row, strict=False) if key in COLUMNS}
        if any((cell or "").strip() for cell in row)
        else {}
        for row in table[1:]
    ]


# The abbreviations a council's spreadsheet uses for the categories (ru, kk, en).
CATEGORY_ALIASES = {
    "нпо": OrganisationCategory.NGO,
    "нко": OrganisationCategory.NGO,
    "үеұ": OrganisationCategory.NGO,
    "госорган": OrganisationCategory.STATE,
    "го": OrganisationCategory.STATE,
    "мо": OrganisationCategory.STATE,
    "сми": OrganisationCategory.MEDIA,
    "бақ": OrganisationCategory.MEDIA,
    "вуз": OrganisationCategory.ACADEMIA,
    "жоо": OrganisationCategory.ACADEMIA,
}


def _category(value: str) -> str:
    """A category by its code, its name in any of the portal's languages or a usual abbreviation (НПО, СМИ…)."""
    if not value:
        return OrganisationCategory.OTHER
    wanted = value.strip().lower()
    if wanted in OrganisationCategory.values:
        return wanted
    if wanted in CATEGORY_ALIASES:
        return str(CATEGORY_ALIASES[wanted])
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for choice, label in OrganisationCategory.choices:
                if str(label).lower() == wanted:
                    return str(choice)
    raise _RowError("category", _("Unknown category «%(value)s».") % {"value": value[:60]})


def _check_lengths(row: Mapping[str, str]) -> None:
    limits = {"organisation": 500, "name_kk": 500, "name_en": 500, "sector": 200, "region": 100, "website": 200}
    limits |= {"contact_name": 200, "position": 300, "email": 254, "phone": 32}
    for column, limit in limits.items():
        if len(row.get(column, "")) > limit:
            raise _RowError(column, _("Longer than %(limit)s characters.") % {"limit": limit})


def _import_row(council: Council, row: Mapping[str, str]) -> tuple[int, int]:
    """(organisations created, contacts created) by one row."""
    name = row.get("organisation", "")
    if not name:
        raise _RowError("organisation", _("The organisation's name is missing."))
    _check_lengths(row)
    category = _category(row.get("category", ""))
    website = row.get("website", "")
    if website:
        try:
            URLValidator(schemes=["http", "https"])(website)
        except ValidationError:
            raise _RowError("website", _("Not a web address (http:// or https://).")) from None
    email = row.get("email", "")
    contact_name = row.get("contact_name", "")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise _RowError("email", _("Not an e-mail address.")) from None
    if (email or row.get("phone") or row.get("position")) and not contact_name:
        raise _RowError("contact_name", _("A contact's details are given without the person's name."))
    partner = Partner.objects.filter(council=council, name_ru__iexact=name).first()
    organisations = contacts = 0
    if partner is None:
        partner = organisation_create(
            council=council,
            data=OrganisationData(
                name_ru=name,
                name_kk=row.get("name_kk", ""),
                name_en=row.get("name_en", ""),
                category=category,
                sector=row.get("sector", ""),
                region=row.get("region", ""),
                website=website,
            ),
        )
        organisations = 1
    if contact_name:
        known = Contact.objects.filter(partner=partner, full_name__iexact=contact_name).exists()
        if not known:
            contact_create(
                partner=partner,
                data=ContactData(
                    full_name=contact_name, position=row.get("position", ""), email=email, phone=row.get("phone", "")
                ),
            )
            contacts = 1
    return organisations, contacts


def rows_import(*, council: Council, rows: Sequence[Mapping[str, str]]) -> ImportResult:
    """Import the rows of `read_table`; each row whole or not at all (its own savepoint), the rest reported."""
    result = ImportResult()
    for line, row in enumerate(rows, start=2):
        if not row:
            continue
        try:
            with transaction.atomic():
                organisations, contacts = _import_row(council, row)
        except _RowError as error:
            result.rejected.append(RejectedRow(line=line, column=error.column, reason=error.reason))
        except ValidationError as error:
            column = next(iter(getattr(error, "error_dict", {}) or {"": None}))
            result.rejected.append(RejectedRow(line=line, column=_column_of(column), reason=" ".join(error.messages)))
        else:
            result.organisations_created += organisations
            result.contacts_created += contacts
            result.unchanged += not (organisations or contacts)
    return result


def _column_of(field_name: str) -> str:
    return {"name_ru": "organisation", "full_name": "contact_name"}.get(field_name, field_name)
