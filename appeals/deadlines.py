"""How an appeal's deadlines were computed, to show to the citizen and the secretary: the answer (15 working days)
and, while the appeal is still with the council, the forwarding term (3 working days)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from core.workdays import DeadlineExplanation, WorkCalendar

from .models import Appeal
from .services import FORWARD_PENDING_STATUSES, FORWARD_WORKING_DAYS


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
    calendar = WorkCalendar.load(received_on, received_on + dt.timedelta(days=120))
    explanation = calendar.explain_deadline(
        calendar.registration_day(received_on), settings.OVERSIGHT["APPEAL_ANSWER_WORKING_DAYS"]
    )
    return AppealDeadline(received_on=received_on, explanation=explanation, extended_until=appeal.extended_until)


# The forwarding term is 3 working days; 60 calendar days cover it from any day of receipt, the New Year and
# Nauryz breaks included.
FORWARD_CALENDAR_DAYS = 60


@dataclass(frozen=True)
class ForwardDeadline:
    """АППК art. 76: an appeal outside the council's competence goes to the competent body, with notice to the
    applicant, within 3 working days of registration."""

    explanation: DeadlineExplanation
    today: dt.date

    @property
    def end(self) -> dt.date:
        return self.explanation.end

    @property
    def overdue(self) -> bool:
        return self.today > self.explanation.end


def forward_deadline(received_on: dt.date, calendar: WorkCalendar) -> DeadlineExplanation:
    """The forwarding term of an appeal received on `received_on`: from its registration day (a non-working
    day's appeal is registered on the next working day)."""
    return calendar.explain_deadline(calendar.registration_day(received_on), FORWARD_WORKING_DAYS)


def appeal_forward_deadline_explained(*, appeal: Appeal, today: dt.date | None = None) -> ForwardDeadline | None:
    """The forwarding term while it runs (registered or assigned: not yet forwarded, answered or ended); None
    once the appeal has moved on."""
    if appeal.status not in FORWARD_PENDING_STATUSES:
        return None
    received_on = timezone.localdate(appeal.registered_at)
    calendar = WorkCalendar.load(received_on, received_on + dt.timedelta(days=FORWARD_CALENDAR_DAYS))
    return ForwardDeadline(explanation=forward_deadline(received_on, calendar), today=today or timezone.localdate())


def forward_due_dates(appeals: Iterable[Appeal]) -> dict[int, dt.date]:
    """{appeal id: last day to forward} for the appeals whose forwarding term runs; one query for the calendar."""
    pending = [(a.pk, timezone.localdate(a.registered_at)) for a in appeals if a.status in FORWARD_PENDING_STATUSES]
    if not pending:
        return {}
    days = [received_on for _pk, received_on in pending]
    calendar = WorkCalendar.load(min(days), max(days) + dt.timedelta(days=FORWARD_CALENDAR_DAYS))
    return {pk: forward_deadline(received_on, calendar).end for pk, received_on in pending}


def forward_overdue_received_by(today: dt.date, calendar: WorkCalendar | None = None) -> dt.date:
    """The last day of receipt whose forwarding term ended before `today`.

    The term's end never moves back when the day of receipt moves forward, so the appeals overdue for forwarding
    are exactly the pending ones received on or before this day: a filter on `registered_at`, with no stored date
    to recompute when the holiday calendar changes.
    """
    span = dt.timedelta(days=FORWARD_CALENDAR_DAYS)
    calendar = calendar or WorkCalendar.load(today - span, today + span)
    day = today
    while forward_deadline(day, calendar).end >= today:
        day -= dt.timedelta(days=1)
    return day
