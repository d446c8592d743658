"""Reads: a request's deadline as it was computed, the council's list of requests, the access log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.utils import timezone

from core.workdays import DeadlineExplanation, WorkCalendar
from councils.access import is_chair
from councils.models import Council

from .models import AccessLogEntry, DataRequest, RequestKind, RequestStatus

# Law No. 94-V art. 25 (2): 3 working days to answer an access request, 1 working day to change, block or
# destroy data (settings; see privacy/models.py). 60 calendar days cover any such term from any day.
CALENDAR_SPAN = dt.timedelta(days=60)


def term_working_days(kind: str) -> int:
    terms = settings.OVERSIGHT
    if kind == RequestKind.ACCESS:
        return terms["PRIVACY_ACCESS_WORKING_DAYS"]
    if kind == RequestKind.CORRECTION:
        return terms["PRIVACY_CORRECTION_WORKING_DAYS"]
    return terms["PRIVACY_ERASURE_WORKING_DAYS"]


@dataclass(frozen=True)
class RequestDeadline:
    """«received Fri 4 Dec, 3 working days → Wed 9 Dec»: a request received on a non-working day counts from the
    next working day (`registered_on`), like an appeal."""

    received_on: dt.date
    registered_on: dt.date
    explanation: DeadlineExplanation
    today: dt.date
    is_open: bool

    @property
    def end(self) -> dt.date:
        return self.explanation.end

    @property
    def overdue(self) -> bool:
        return self.is_open and self.today > self.explanation.end


def request_deadline(request: DataRequest, calendar: WorkCalendar, today: dt.date) -> RequestDeadline:
    received_on = timezone.localdate(request.received_at)
    registered_on = calendar.registration_day(received_on)
    return RequestDeadline(
        received_on=received_on,
        registered_on=registered_on,
        explanation=calendar.explain_deadline(registered_on, term_working_days(request.kind)),
        today=today,
        is_open=request.status == RequestStatus.OPEN,
    )


def request_deadlines(requests: Iterable[DataRequest], today: dt.date | None = None) -> dict[int, RequestDeadline]:
    """{request id: its deadline}, with one query for the calendar."""
    requests = list(requests)
    if not requests:
        return {}
    today = today or timezone.localdate()
    days = [timezone.localdate(r.received_at) for r in requests]
    calendar = WorkCalendar.load(min(days), max(days) + CALENDAR_SPAN)
    return {r.pk: request_deadline(r, calendar, today) for r in requests}


def requests_for_council(council: Council) -> QuerySet[DataRequest]:
    return DataRequest.objects.filter(council=council).select_related("handled_by").order_by("-received_at", "-id")


def access_log_for(user: AbstractBaseUser, council: Council) -> QuerySet[AccessLogEntry]:
    """The chair (and the portal's administrator) sees the council's whole log; anyone else their own entries."""
    entries = AccessLogEntry.objects.filter(council=council).select_related("user")
    return entries if is_chair(user, council) else entries.filter(user=user)
