"""Shared, non-domain data: the working-day calendar of Kazakhstan.

The calendar stores only the exceptions to "Monday to Friday work": public holidays, days off by transfer and
weekend days made working by a government decree. The rules that fill it are in `core.workdays`; once filled,
the table is the truth and is edited in the admin (a new year's decree is a few rows).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# ISO weekday numbers (Monday 1 ... Sunday 7), as PostgreSQL's ISODOW gives them.
WEEKEND_ISO_DAYS = (6, 7)


class CalendarKind(models.TextChoices):
    HOLIDAY = "holiday", _("Public holiday")
    DAY_OFF = "day_off", _("Day off by transfer")
    WORKING_DAY = "working_day", _("Working day by decree")


class CalendarDay(models.Model):
    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=CalendarKind.choices)
    name = models.CharField(
        _("name"), max_length=200, help_text=_("Shown to citizens as the reason a day is not counted.")
    )
    source = models.CharField(_("source"), max_length=300, blank=True, help_text=_("The law or decree."))

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=CalendarKind.values), name="calendarday_kind_valid"),
            # A decree can only make a weekend day working; a transferred day off on a weekend would change
            # nothing and is most likely a typo.
            models.CheckConstraint(
                condition=~Q(kind=CalendarKind.WORKING_DAY) | Q(date__iso_week_day__in=WEEKEND_ISO_DAYS),
                name="calendarday_working_day_on_weekend",
                violation_error_message=_("Only a Saturday or a Sunday can be made a working day."),
            ),
            models.CheckConstraint(
                condition=~Q(kind=CalendarKind.DAY_OFF) | ~Q(date__iso_week_day__in=WEEKEND_ISO_DAYS),
                name="calendarday_day_off_on_weekday",
                violation_error_message=_("A day off by transfer must fall on a weekday."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.name}"


# The transactional outbox lives in its own module; importing it here registers the model.
from .outbox import OutboxMessage  # noqa: E402, F401
