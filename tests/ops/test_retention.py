"""Appeals' personal data is anonymised OVERSIGHT_APPEAL_RETENTION_YEARS after the appeal ended; statistics stay."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Count
from django.utils import timezone

from appeals.models import Appeal, AppealAttachment, AppealMessage, AppealStatus, AppealStatusChange, Category
from appeals.retention import PERSONAL_FIELDS, appeals_anonymise_expired
from core.retention import retention_cutoff
from tests.factories import AppealFactory

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(dt.datetime(2026, 6, 1, 3, 30))


def at(year: int, month: int = 1, day: int = 15) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, 10, 0))


def appeal(council, *, status: str, registered: dt.datetime, ended: dt.datetime | None, category=Category.ECOLOGY):
    item = AppealFactory(
        council=council,
        status=status,
        registered_at=registered,
        category=category,
        applicant_name="Ахметова Динара",
        organisation="ТОО «Пример»",
        bin_iin="900101300123",
        email="dinara@example.kz",
        phone="+7 701 000 00 00",
        address="Алматы, ул. Абая, 1",
        place="парк Горького",
        subject="Вырубка деревьев",
        text="Текст обращения",
        answer_text="Ответ совета" if status != AppealStatus.REGISTERED else "",
    )
    AppealStatusChange.objects.create(appeal=item, status=AppealStatus.REGISTERED, changed_at=registered)
    if ended:
        AppealStatusChange.objects.create(appeal=item, status=status, changed_at=ended)
    return item


def attach(item: Appeal, name: str = "akt.pdf") -> AppealAttachment:
    message = AppealMessage.objects.create(appeal=item, author=AppealMessage.Author.CITIZEN, text="Дополняю: ...")
    AppealMessage.objects.create(appeal=item, author=AppealMessage.Author.COUNCIL, text="Принято к рассмотрению")
    attachment = AppealAttachment(
        appeal=item, message=message, original_name=name, content_type="application/pdf", size=8
    )
    attachment.file.save(name, ContentFile(b"%PDF-1.4"), save=True)
    return attachment


@pytest.fixture
def appeals(personas):
    council = personas.council
    return {
        "old_closed": appeal(council, status=AppealStatus.CLOSED, registered=at(2019), ended=at(2019, 3)),
        "old_answered": appeal(
            council, status=AppealStatus.ANSWERED, registered=at(2020), ended=at(2020, 2), category=Category.HEALTH
        ),
        "old_without_history": appeal(
            council, status=AppealStatus.LEFT_WITHOUT_CONSIDERATION, registered=at(2019), ended=None
        ),
        "recent_closed": appeal(council, status=AppealStatus.CLOSED, registered=at(2024), ended=at(2024, 3)),
        "old_but_closed_late": appeal(council, status=AppealStatus.CLOSED, registered=at(2019), ended=at(2023, 5)),
        "old_open": appeal(council, status=AppealStatus.REGISTERED, registered=at(2018), ended=None),
        "old_forwarded": appeal(
            council, status=AppealStatus.FORWARDED, registered=at(2018), ended=at(2018, 2), category=Category.HEALTH
        ),
    }


def personal(item: Appeal) -> dict[str, str]:
    item.refresh_from_db()
    return {field: getattr(item, field) for field in PERSONAL_FIELDS}


def category_counts() -> dict[tuple[str, str, str, int], int]:
    rows = Appeal.objects.values("category", "status", "channel", "year").annotate(n=Count("id"))
    return {(r["category"], r["status"], r["channel"], r["year"]): r["n"] for r in rows}


def test_ended_appeals_past_the_retention_period_are_anonymised(appeals, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        count = appeals_anonymise_expired(now=NOW)

    assert count == 3
    for key in ("old_closed", "old_answered", "old_without_history"):
        assert set(personal(appeals[key]).values()) == {""}, key


def test_recent_and_open_appeals_keep_their_personal_data(appeals, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        appeals_anonymise_expired(now=NOW)

    for key in ("recent_closed", "old_but_closed_late", "old_open", "old_forwarded"):
        data = personal(appeals[key])
        assert data["applicant_name"] == "Ахметова Динара", key
        assert data["email"] == "dinara@example.kz", key


def test_an_open_appeal_is_never_anonymised_however_old(appeals):
    far_future = NOW + dt.timedelta(days=365 * 50)

    appeals_anonymise_expired(now=far_future)

    assert personal(appeals["old_open"])["text"] == "Текст обращения"
    assert personal(appeals["old_forwarded"])["text"] == "Текст обращения"
    assert personal(appeals["recent_closed"])["text"] == ""  # ended long before that day


def test_statistics_count_the_same_after_anonymisation(appeals, django_capture_on_commit_callbacks):
    before = category_counts()
    numbers = set(Appeal.objects.values_list("number", "registered_at", "applicant_type", "council_id"))

    with django_capture_on_commit_callbacks(execute=True):
        appeals_anonymise_expired(now=NOW)

    assert category_counts() == before
    assert set(Appeal.objects.values_list("number", "registered_at", "applicant_type", "council_id")) == numbers


def test_attachments_go_from_the_storage_and_the_database(appeals, django_capture_on_commit_callbacks):
    old = attach(appeals["old_closed"])
    recent = attach(appeals["recent_closed"], "recent.pdf")
    assert default_storage.exists(old.file.name)

    with django_capture_on_commit_callbacks(execute=True):
        appeals_anonymise_expired(now=NOW)

    assert not default_storage.exists(old.file.name)
    assert not AppealAttachment.objects.filter(appeal=appeals["old_closed"]).exists()
    assert default_storage.exists(recent.file.name)
    assert AppealAttachment.objects.filter(pk=recent.pk).exists()


def test_citizen_messages_are_cleared_and_the_councils_kept(appeals, django_capture_on_commit_callbacks):
    attach(appeals["old_closed"])

    with django_capture_on_commit_callbacks(execute=True):
        appeals_anonymise_expired(now=NOW)

    messages = dict(appeals["old_closed"].messages.values_list("author", "text"))
    assert messages == {"citizen": "", "council": "Принято к рассмотрению"}


def test_files_stay_when_the_transaction_rolls_back(appeals, django_capture_on_commit_callbacks):
    old = attach(appeals["old_closed"])

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        appeals_anonymise_expired(now=NOW)

    assert callbacks  # deleting the files waits for the commit
    assert default_storage.exists(old.file.name)


def test_a_second_run_finds_nothing_to_do(appeals, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert appeals_anonymise_expired(now=NOW) == 3

    assert appeals_anonymise_expired(now=NOW) == 0


def test_the_retention_period_comes_from_the_settings(appeals, settings):
    settings.OVERSIGHT = {**settings.OVERSIGHT, "APPEAL_RETENTION_YEARS": 2}

    assert appeals_anonymise_expired(now=NOW) == 5  # recent_closed (2024) and old_but_closed_late (2023) too


def test_the_daily_task_is_scheduled_and_registered(appeals, settings):
    from celery import current_app

    from appeals.tasks_retention import anonymise_expired_appeals

    entries = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    name = "appeals.tasks_retention.anonymise_expired_appeals"
    assert name in entries
    assert anonymise_expired_appeals.name == name
    assert "appeals.tasks_retention" in settings.CELERY_IMPORTS
    current_app.loader.import_default_modules()
    assert name in current_app.tasks

    # Run as the worker would (eager here): the real clock, so every appeal ended before 2021 is due.
    assert anonymise_expired_appeals.delay().get() >= 3
    assert personal(appeals["old_closed"])["email"] == ""


def test_cutoff_handles_the_29th_of_february():
    leap = timezone.make_aware(dt.datetime(2028, 2, 29, 12, 0))

    assert retention_cutoff(years=5, now=leap).date() == dt.date(2023, 2, 28)
    assert retention_cutoff(years=4, now=leap).date() == dt.date(2024, 2, 29)


def test_audit_history_copies_lose_the_personal_data_too(appeals, django_capture_on_commit_callbacks):
    manager = getattr(Appeal._meta, "simple_history_manager_attribute", None)
    if manager is None:
        pytest.skip("appeals keep no audit history")
    old = appeals["old_closed"]
    old.subject = "Исправленная тема"
    old.save()  # a second snapshot
    history = getattr(Appeal, manager).model
    assert history.objects.filter(id=old.pk, email="dinara@example.kz").count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        appeals_anonymise_expired(now=NOW)

    snapshots = history.objects.filter(id=old.pk)
    assert snapshots.count() == 2  # the trail of who changed what and when stays
    for snapshot in snapshots:
        assert {getattr(snapshot, field) for field in PERSONAL_FIELDS} == {""}
    recent = history.objects.filter(id=appeals["recent_closed"].pk).first()
    assert recent.email == "dinara@example.kz"


def test_the_idempotency_digest_of_the_submission_goes_with_the_personal_data(
    appeals, django_capture_on_commit_callbacks
):
    # The digest is a hash of the applicant's text: kept, it would confirm a guess of what they wrote.
    Appeal.objects.filter(pk=appeals["old_closed"].pk).update(submission_key="k" * 64, submission_digest="d" * 64)
    Appeal.objects.filter(pk=appeals["recent_closed"].pk).update(submission_key="r" * 64, submission_digest="e" * 64)

    with django_capture_on_commit_callbacks(execute=True):
        appeals_anonymise_expired(now=NOW)

    old = Appeal.objects.get(pk=appeals["old_closed"].pk)
    recent = Appeal.objects.get(pk=appeals["recent_closed"].pk)
    assert (old.submission_key, old.submission_digest) == ("", "")
    assert (recent.submission_key, recent.submission_digest) == ("r" * 64, "e" * 64)
