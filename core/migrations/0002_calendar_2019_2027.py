"""Fill the working-day calendar for 2019-2027 from the rules in core.workdays.

It imports the live rules (`core.workdays.statutory_days`), not a frozen copy: one place states the law.
Consequence: a later correction of the rules reaches new databases through this migration, but an existing
database only through the admin or a new data migration, which must therefore be idempotent
(update_or_create by date). Keep `statutory_days(year)` returning (date, kind, name, source) tuples, or freeze
the rows here before changing it.
"""

from django.db import migrations

from core.workdays import STATUTORY_YEARS, statutory_days


def fill_calendar(apps, schema_editor):
    CalendarDay = apps.get_model("core", "CalendarDay")
    CalendarDay.objects.bulk_create(
        CalendarDay(date=day, kind=kind, name=name, source=source)
        for year in STATUTORY_YEARS
        for day, kind, name, source in statutory_days(year)
    )


def empty_calendar(apps, schema_editor):
    CalendarDay = apps.get_model("core", "CalendarDay")
    CalendarDay.objects.filter(
        date__year__gte=STATUTORY_YEARS.start, date__year__lt=STATUTORY_YEARS.stop
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_calendarday")]

    operations = [migrations.RunPython(fill_calendar, empty_calendar)]
