"""The minutes (протокол) of a meeting as PDF, to print, sign and upload back as the signed scan.

One renderer shape (STYLE.md): `render(meeting, ...) -> (filename, content_type, bytes)`. It looks like the annual
report (it reuses `templates/reports/annual/report.css` when present) and is deterministic: the PDF's dates are
the meeting's date, no timestamp is written, and the fonts are local files, so the same data gives the same bytes
and nothing is fetched from the network (`core.pdf`, shared with the annual report).

The attendance part names those recorded present and checks the quorum against the members on the meeting's
date (`attendance_record`, which the meeting's workspace page shows too).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from core import pdf

from .models import Meeting, MeetingKind
from .selectors import Quorum, RollEntry, attendance_roll, meeting_quorum

PDF_CONTENT_TYPE = pdf.PDF_CONTENT_TYPE
TEMPLATE = "hearings/minutes/minutes.html"
REPORT_CSS = "reports/annual/report.css"
FALLBACK_CSS = "hearings/minutes/minutes.css"


@dataclass(frozen=True)
class AttendanceRecord:
    """Who was recorded present at a meeting, checked against the roll of its date.

    `named` is False for a meeting recorded before the names were kept: it has its count alone, and the quorum
    is the count against the roll. Otherwise the quorum counts only the names on the roll: after the date or
    the body of the meeting was corrected, someone ticked may not have been a member that day
    (`not_on_roll`).
    """

    named: bool
    present: Sequence[RollEntry]
    not_on_roll: Sequence[str]
    quorum: Quorum | None


def attendance_record(*, meeting: Meeting, roll: Sequence[RollEntry]) -> AttendanceRecord:
    """The attendance of a meeting against `roll` (its `attendance_roll`): one query."""
    attendees = list(meeting.attendees.select_related("person").order_by("person__full_name", "person_id"))
    quorum = meeting_quorum(meeting=meeting, roll_size=len(roll))
    if not attendees:
        return AttendanceRecord(named=False, present=(), not_on_roll=(), quorum=quorum)
    ticked = {a.person_id for a in attendees}
    on_roll = {entry.person_id for entry in roll}
    present = [entry for entry in roll if entry.person_id in ticked]
    if quorum is not None:
        quorum = Quorum(present=len(present), total=quorum.total)
    return AttendanceRecord(
        named=True,
        present=present,
        not_on_roll=[a.person.full_name for a in attendees if a.person_id not in on_roll],
        quorum=quorum,
    )


def _stylesheet() -> str:
    """The annual report's stylesheet, so that the council's documents look alike; a small A4 one without it."""
    try:
        get_template(REPORT_CSS)
    except TemplateDoesNotExist:
        return FALLBACK_CSS
    return REPORT_CSS


def minutes_title(meeting: Meeting) -> str:
    if meeting.kind == MeetingKind.COUNCIL:
        return _("Minutes of the council meeting of %(date)s") % {"date": f"{meeting.date:%d.%m.%Y}"}
    if meeting.body_id is not None:
        return _("Minutes of the meeting of %(body)s of %(date)s") % {
            "body": meeting.body.name,
            "date": f"{meeting.date:%d.%m.%Y}",
        }
    return _("Minutes: %(kind)s of %(date)s") % {"kind": meeting.get_kind_display(), "date": f"{meeting.date:%d.%m.%Y}"}


def render_html(
    *,
    meeting: Meeting,
    recommendations_by_item: Mapping[int, Sequence[Any]],
    language: str,
    roll: Sequence[RollEntry] | None = None,
) -> str:
    """The minutes as one self-contained HTML document.

    `recommendations_by_item` maps an agenda item's id to the recommendations made on it (read by the caller
    from the monitoring app's selectors: this app does not import monitoring).
    """
    with translation.override(language):
        if roll is None:
            roll = attendance_roll(meeting=meeting)
        items = [
            {"item": item, "recommendations": list(recommendations_by_item.get(item.pk, ()))}
            for item in meeting.agenda_items.all()
        ]
        record = attendance_record(meeting=meeting, roll=roll)
        context = {
            "language": language,
            "meeting": meeting,
            "council": meeting.council,
            "title": minutes_title(meeting),
            "items": items,
            "roll_size": len(roll),
            "attendance": record,
            "quorum": record.quorum,
            "stylesheet": _stylesheet(),
            **pdf.pdf_context(meeting.date),
        }
        return render_to_string(TEMPLATE, context)


def minutes_filename(meeting: Meeting) -> str:
    return f"{meeting.council.slug}-minutes-{meeting.date:%Y-%m-%d}-{meeting.pk}.pdf"


def render(
    meeting: Meeting, *, recommendations_by_item: Mapping[int, Sequence[Any]], language: str | None = None
) -> tuple[str, str, bytes]:
    """The renderer of a meeting's minutes: (filename, content type, bytes)."""
    html = render_html(
        meeting=meeting,
        recommendations_by_item=recommendations_by_item,
        language=language or translation.get_language() or settings.LANGUAGE_CODE,
    )
    return minutes_filename(meeting), PDF_CONTENT_TYPE, pdf.html_to_pdf(html, what="the minutes")
