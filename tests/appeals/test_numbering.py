"""Registration numbers: gapless and unique per council and year, whatever else is happening."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from appeals.models import Appeal
from appeals.services import ApplicantData, appeal_submit
from core.workdays import WorkCalendar
from councils.models import Council
from tests.factories import AppealFactory

APPLICANT = ApplicantData(applicant_type="individual", name="Сейтказы Арман", email="arman@example.kz")


def _submit(council: Council, key: str) -> Appeal:
    appeal, _created = appeal_submit(
        council=council,
        applicant=APPLICANT,
        category="ecology",
        subject="Свалка у реки",
        text="Свалка у реки растёт второй месяц.",
        personal_data_consent=True,
        submission_key=key,
    )
    return appeal


@pytest.mark.django_db
def test_a_number_already_taken_by_an_imported_appeal_is_never_issued_again(personas):
    today = timezone.localdate()
    year = WorkCalendar.load(today, today + dt.timedelta(days=30)).registration_day(today).year
    AppealFactory(council=personas.council, year=year, sequence=7, number=f"ALM-{year}-000007")
    assert _submit(personas.council, "k1").number == f"ALM-{year}-000008"
    assert _submit(personas.council, "k2").number == f"ALM-{year}-000009"


@pytest.mark.django_db
def test_each_council_numbers_its_own_appeals(personas):
    assert _submit(personas.council, "k1").sequence == 1
    assert _submit(personas.other_council, "k1").sequence == 1
    assert _submit(personas.council, "k2").sequence == 2


@pytest.mark.django_db
def test_a_submission_rolled_back_gives_its_number_back(personas):
    with pytest.raises(RuntimeError), transaction.atomic():
        assert _submit(personas.council, "lost").sequence == 1
        raise RuntimeError("the request failed after the appeal was written")
    assert not Appeal.objects.exists()
    assert _submit(personas.council, "kept").sequence == 1


@pytest.mark.django_db
def test_a_repeated_key_gives_the_first_appeal_and_uses_no_number(personas):
    first = _submit(personas.council, "same")
    assert _submit(personas.council, "same") == first
    assert _submit(personas.council, "next").sequence == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_gapless_unique_numbers(personas):
    """Eight connections submit at once, each many times: 1..N, each number once."""
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def citizen(index: int) -> None:
        try:
            start.wait(timeout=30)
            for n in range(10):
                _submit(personas.council, f"{index}-{n}")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=citizen, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    sequences = sorted(Appeal.objects.filter(council=personas.council).values_list("sequence", flat=True))
    assert sequences == list(range(1, 81))
