"""An appeal's deadlines, computed here and nowhere else: the answer (15 working days), the forwarding term while
the appeal is still with the council (3 working days), and the rule that makes an appeal overdue on a given day.

1. `answer_due` is the answer deadline: registration (a non-working day's appeal is registered on the next
   working day) plus `ANSWER_WORKING_DAYS`. Registration stores it (`Appeal.due_date`), a calendar change
   recomputes it, and the citizen's and the secretary's pages explain it from the same call.
2. The effective deadline is the extension when there is one, else the computed date (`Appeal.effective_deadline`
   in SQL, `AppealDeadline.effective` in Python).
3. `overdue_q` / `is_overdue` are the overdue rule, in SQL and in Python: still open on `as_of` and past the
   effective deadline. The day is always an input: the inbox passes today, the statistics a year's "as of" day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from core.page_cache import calendar_version
from core.process_cache import remember
from core.workdays import TERM_SLACK_DAYS, DeadlineExplanation, WorkCalendar

from .models import OPEN_STATUSES, Appeal, AppealStatus

ANSWER_WORKING_DAYS: int = settings.OVERSIGHT["APPEAL_ANSWER_WORKING_DAYS"]
# АППК art. 76: an appeal outside the council's competence is forwarded within this many working days.
FORWARD_WORKING_DAYS: int = settings.OVERSIGHT["APPEAL_FORWARD_WORKING_DAYS"]
# Still with the council and neither forwarded nor answered: the forwarding term runs.
FORWARD_PENDING_STATUSES = (AppealStatus.REGISTERED, AppealStatus.ASSIGNED)


# ---- 1. The answer deadline ---------------------------------------------------------------------------------


def answer_calendar(first: dt.date, last: dt.date) -> WorkCalendar:
    """One calendar holding the answer terms of every appeal received from `first` to `last`: one query."""
    return WorkCalendar.load_for_terms(first, last, ANSWER_WORKING_DAYS)


def answer_due(received_on: dt.date, calendar: WorkCalendar | None = None) -> DeadlineExplanation:
    """THE answer deadline of an appeal received on `received_on` (local date): `start` is its registration day,
    `end` the last day to answer, `skipped` the non-working days in between with their reasons."""
    if calendar is None:
        # Every submission asks for one day's terms: the calendar is kept in the process while it is unchanged.
        calendar = remember(
            ("appeals.answer_calendar", received_on),
            calendar_version,
            lambda: answer_calendar(received_on, received_on),
        )
    return calendar.explain_deadline(calendar.registration_day(received_on), ANSWER_WORKING_DAYS)


@dataclass(frozen=True)
class AppealDeadline:
    received_on: dt.date
    explanation: DeadlineExplanation
    extended_until: dt.date | None

    @property
    def effective(self) -> dt.date:
        return self.extended_until or self.explanation.end


def appeal_deadline_explained(*, appeal: Appeal) -> AppealDeadline:
    received_on = timezone.localdate(appeal.registered_at)
    return AppealDeadline(
        received_on=received_on, explanation=answer_due(received_on), extended_until=appeal.extended_until
    )


# ---- 2. and 3. The overdue rule -----------------------------------------------------------------------------


def overdue_q(as_of: dt.date, *, status: str = "status") -> Q:
    """THE overdue rule in SQL: open on `as_of` and its effective deadline before that day. Needs the
    `effective_deadline` annotation (`Appeal.effective_deadline`); `status` names the field holding the status
    of that day (`status_on` for a past day's figures)."""
    return Q(**{f"{status}__in": OPEN_STATUSES}, effective_deadline__lt=as_of)


def is_overdue(*, status: str, deadline: dt.date | None, as_of: dt.date) -> bool:
    """The same rule for one appeal in Python."""
    return status in OPEN_STATUSES and deadline is not None and deadline < as_of


# ---- The forwarding term ------------------------------------------------------------------------------------


def forward_calendar(first: dt.date, last: dt.date) -> WorkCalendar:
    """One calendar holding the forwarding terms of every appeal received from `first` to `last`: one query."""
    return WorkCalendar.load_for_terms(first, last, FORWARD_WORKING_DAYS)


def forward_is_overdue(end: dt.date, as_of: dt.date) -> bool:
    """The forwarding term that ended on `end` is overdue on `as_of` (for an appeal still pending forwarding)."""
    return end < as_of


@dataclass(frozen=True)
class ForwardDeadline:
    """АППК art. 76: an appeal outside the council's competence goes to the competent body, with notice to the
    applicant, within 3 working days of registration."""

    explanation: DeadlineExplanation
    as_of: dt.date

    @property
    def end(self) -> dt.date:
        return self.explanation.end

    @property
    def overdue(self) -> bool:
        return forward_is_overdue(self.explanation.end, self.as_of)


def forward_deadline(received_on: dt.date, calendar: WorkCalendar) -> DeadlineExplanation:
    """The forwarding term of an appeal received on `received_on`: from its registration day (a non-working
    day's appeal is registered on the next working day)."""
    return calendar.explain_deadline(calendar.registration_day(received_on), FORWARD_WORKING_DAYS)


def appeal_forward_deadline_explained(*, appeal: Appeal, as_of: dt.date) -> ForwardDeadline | None:
    """The forwarding term while it runs (registered or assigned: not yet forwarded, answered or ended), with
    whether it is overdue on `as_of`; None once the appeal has moved on."""
    if appeal.status not in FORWARD_PENDING_STATUSES:
        return None
    received_on = timezone.localdate(appeal.registered_at)
    calendar = forward_calendar(received_on, received_on)
    return ForwardDeadline(explanation=forward_deadline(received_on, calendar), as_of=as_of)


def forward_due_dates(appeals: Iterable[Appeal]) -> dict[int, dt.date]:
    """{appeal id: last day to forward} for the appeals whose forwarding term runs; one query for the calendar."""
    pending = [(a.pk, timezone.localdate(a.registered_at)) for a in appeals if a.status in FORWARD_PENDING_STATUSES]
    if not pending:
        return {}
    days = [received_on for _pk, received_on in pending]
    calendar = forward_calendar(min(days), max(days))
    return {pk: forward_deadline(received_on, calendar).end for pk, received_on in pending}


def forward_overdue_received_by(as_of: dt.date, calendar: WorkCalendar | None = None) -> dt.date:
    """The last day of receipt whose forwarding term ended before `as_of`.

    The term's end never moves back when the day of receipt moves forward, so the appeals overdue for forwarding
    are exactly the pending ones received on or before this day: a filter on `registered_at`, with no stored date
    to recompute when the holiday calendar changes. The calendar reaches back twice a term's longest span (its
    weeks and the holidays' slack) and forward to the end of the term begun on `as_of`.
    """
    if calendar is None:
        back = dt.timedelta(days=2 * (FORWARD_WORKING_DAYS * 7 // 5 + TERM_SLACK_DAYS))
        calendar = forward_calendar(as_of - back, as_of)
    day = as_of
    while not forward_is_overdue(forward_deadline(day, calendar).end, as_of):
        day -= dt.timedelta(days=1)
    return day
