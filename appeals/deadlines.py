"""How an appeal's deadline was computed, to show to the citizen and the secretary."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from core.workdays import DeadlineExplanation, WorkCalendar

from .models import Appeal


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
