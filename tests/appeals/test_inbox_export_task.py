"""A large XLSX export of the inbox is built by a task into a stored file (inbox_export_*): the secretary is
sent to a page that says it is being prepared and refreshes itself, then offers the file, to them only, until it
expires; with the broker down the page says so and the CSV is still there. The worker path runs on a real Celery
worker and Redis."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.utils import timezone

from appeals.models import AppealStatus, ExportStatus, InboxExport
from appeals.services import inbox_export_sweep
from tests.celery_worker import (
    DEAD_BROKER_URL,
    REDIS_URL,
    celery_worker,
    redis_available,
    use_broker,
    use_eager,
    wait_for,
)

from .test_inbox import make_appeal

EXPORT = "/en/workspace/almaty/appeals/export.csv"


def _appeals(personas, n: int = 3) -> list[str]:
    today = timezone.localdate()
    made = [make_appeal(personas.council, due=today, subject=f"Обращение {i}") for i in range(n)]
    make_appeal(personas.council, due=today, status=AppealStatus.CLOSED, subject="Закрытое")
    return sorted(a.number for a in made)


def _xlsx_numbers(content: bytes) -> list[str]:
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Number"
    return sorted(row[0] for row in rows[1:])


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.django_db
def test_a_small_xlsx_export_is_still_sent_at_once(personas, settings):
    settings.INBOX_EXPORT_SYNC_ROWS = 10
    numbers = _appeals(personas)
    response = personas.client_for(personas.secretary).get(EXPORT, {"format": "xlsx", "status": "open"})
    assert response.status_code == 200
    assert _xlsx_numbers(_body(response)) == numbers
    assert not InboxExport.objects.exists()


@pytest.mark.django_db
def test_a_large_export_is_prepared_then_offered_to_the_one_who_asked(
    personas, settings, django_capture_on_commit_callbacks
):
    settings.INBOX_EXPORT_SYNC_ROWS = 2
    numbers = _appeals(personas)
    secretary = personas.client_for(personas.secretary)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = secretary.get(EXPORT, {"format": "xlsx", "status": "open"})
    export = InboxExport.objects.get()
    page = f"/en/workspace/almaty/appeals/exports/{export.pk}/"
    assert response.status_code == 302 and response["Location"] == page
    preparing = secretary.get(page)
    assert "is being prepared" in preparing.text
    assert '<meta http-equiv="refresh"' in preparing.text
    assert f'href="{EXPORT}?status=open"' in preparing.text  # the CSV of the same filter, meanwhile

    for callback in queued:  # the commit: the (eager) task builds the file
        callback()
    ready = secretary.get(page)
    assert "The file is ready. Appeals in it: 3." in ready.text
    assert '<meta http-equiv="refresh"' not in ready.text
    download = secretary.get(f"{page}download/")
    assert download.status_code == 200
    assert "private" in download["Cache-Control"]
    content = _body(download)
    assert _xlsx_numbers(content) == numbers
    header = next(openpyxl.load_workbook(io.BytesIO(content), read_only=True).active.iter_rows(values_only=True))
    assert "E-mail" in header  # the applicants' contacts go in for the secretary, as in the direct export

    # Nobody else sees it: another member of the council, or the other council's secretary.
    for other in (personas.member, personas.other_secretary):
        client = personas.client_for(other)
        assert client.get(page).status_code == 404
        assert client.get(f"{page}download/").status_code == 404

    # Expired: the page says so, the file is no longer served, and the sweep deletes both.
    InboxExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert "has expired" in secretary.get(page).text
    assert secretary.get(f"{page}download/").status_code == 404
    assert inbox_export_sweep() == 1
    assert not InboxExport.objects.exists()


@pytest.fixture
def dead_broker():
    use_broker(DEAD_BROKER_URL)
    yield
    use_eager()


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_the_page_says_so_and_the_csv_still_streams(personas, settings, dead_broker):
    settings.INBOX_EXPORT_SYNC_ROWS = 2
    numbers = _appeals(personas)
    secretary = personas.client_for(personas.secretary)
    response = secretary.get(EXPORT, {"format": "xlsx", "status": "open"}, follow=True)
    assert response.status_code == 200
    assert InboxExport.objects.get().status == ExportStatus.UNAVAILABLE
    assert "is not available right now" in response.text
    csv = secretary.get(EXPORT, {"status": "open"})
    assert csv.status_code == 200
    lines = _body(csv).decode("utf-8-sig").splitlines()
    assert sorted(line.split(",", 1)[0] for line in lines[1:]) == numbers


@pytest.fixture
def worker(settings):
    env = {"DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT), "DJANGO_LOG_LEVEL": "WARNING"}
    with celery_worker(env=env) as proc:
        use_broker(REDIS_URL, queue=proc.args[proc.args.index("-Q") + 1])
        yield proc
    use_eager()


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not redis_available(), reason="Redis is not running (make test starts it)")
def test_a_real_worker_builds_the_export_and_the_page_offers_it(personas, settings, worker):
    settings.INBOX_EXPORT_SYNC_ROWS = 2
    numbers = _appeals(personas)
    secretary = personas.client_for(personas.secretary)
    response = secretary.get(EXPORT, {"format": "xlsx", "status": "open"})
    page = response["Location"]
    ready = wait_for(
        lambda: "export-download" in (text := secretary.get(page).text) and text, timeout=60, what="the export"
    )
    assert "The file is ready. Appeals in it: 3." in ready
    assert _xlsx_numbers(_body(secretary.get(f"{page}download/"))) == numbers
