"""The staff inbox: scope, filters, search, sort, highlighting, bounded queries and the CSV export."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from appeals.filters import due_soon_limit
from appeals.models import Appeal, AppealAttachment, AppealStatus, ApplicantType, Category, Channel
from councils.models import Body, BodyKind, Council

from .conftest import pdf_file

pytestmark = [pytest.mark.django_db]

INBOX = "/ru/workspace/almaty/appeals/"
EXPORT = "/ru/workspace/almaty/appeals/export.csv"

_sequence = itertools.count(1)


def make_appeal(
    council: Council,
    *,
    due: dt.date | None,
    status: str = AppealStatus.REGISTERED,
    subject: str = "Обращение",
    text: str = "",
    category: str = Category.OTHER,
    registered_days_ago: int = 5,
    **fields,
) -> Appeal:
    """An appeal with fixed dates (services compute the deadline; these tests need to choose it)."""
    sequence = next(_sequence)
    registered_at = timezone.now() - dt.timedelta(days=registered_days_ago)
    fields.setdefault("applicant_type", ApplicantType.INDIVIDUAL)
    return Appeal.objects.create(
        council=council,
        number=f"{council.code}-{registered_at.year}-{sequence:06d}",
        year=registered_at.year,
        sequence=sequence,
        registered_at=registered_at,
        due_date=due,
        status=status,
        subject=subject,
        text=text,
        category=category,
        **fields,
    )


def numbers(response) -> list[str]:
    return [a.number for a in response.context["page"].object_list]


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def secretary(personas):
    return personas.client_for(personas.secretary)


# ---- scope ----------------------------------------------------------------------------------------------


def test_inbox_shows_own_councils_appeals_only(personas, secretary, today):
    mine = make_appeal(personas.council, due=today, subject="Вырубка в Алматы")
    theirs = make_appeal(personas.other_council, due=today, subject="Свалка в Караганде")
    response = secretary.get(INBOX)
    assert response.status_code == 200
    assert numbers(response) == [mine.number]
    assert "Вырубка в Алматы" in response.text
    assert "Свалка в Караганде" not in response.text
    assert theirs.number not in response.text


@pytest.mark.parametrize(
    ("language", "status", "applicant"),
    [
        ("ru", "Назначен исполнитель", "Юридическое лицо"),
        ("kk", "Орындаушы тағайындалды", "Заңды тұлға"),
        ("en", "Assigned", "Legal entity"),
    ],
)
def test_a_row_gives_dates_in_almaty_time_and_labels_in_the_readers_language(personas, language, status, applicant):
    """2019-03-31 20:30 UTC is 1 April in Almaty: the row says 01.04.2019; the deadline is a date as it is."""
    appeal = make_appeal(
        personas.council,
        due=dt.date(2019, 4, 30),
        status=AppealStatus.ASSIGNED,
        applicant_type=ApplicantType.LEGAL_ENTITY,
    )
    Appeal.objects.filter(pk=appeal.pk).update(registered_at=dt.datetime(2019, 3, 31, 20, 30, tzinfo=dt.UTC))
    response = personas.client_for(personas.secretary).get(INBOX.replace("/ru/", f"/{language}/"))
    row = response.text.split(f'data-number="{appeal.number}"')[1].split("</tr>")[0]
    assert f'<a href="{reverse("appeals_staff:detail", args=[personas.council.slug, appeal.number])}">' in row
    assert "<td>01.04.2019</td>" in row
    assert '<time datetime="2019-04-30">30.04.2019</time>' in row
    assert f">{status}</span>" in row
    assert f"<td>{applicant}</td>" in row


def test_member_reads_the_inbox_and_the_appeal_page(personas, today):
    appeal = make_appeal(personas.council, due=today)
    client = personas.client_for(personas.member)
    assert client.get(INBOX).status_code == 200
    assert client.get(f"{INBOX}{appeal.number}/").status_code == 200


@pytest.fixture
def attachment(personas, today) -> AppealAttachment:
    appeal = make_appeal(personas.council, due=today)
    upload = pdf_file("akt-proverki.pdf")
    return AppealAttachment.objects.create(
        appeal=appeal,
        file=upload,
        original_name=upload.name,
        content_type="application/pdf",
        size=upload.size,
    )


def _scoped_urls(attachment: AppealAttachment) -> list[str]:
    number = attachment.appeal.number
    return [
        INBOX,
        EXPORT,
        f"{INBOX}{number}/",
        f"{INBOX}{number}/attachments/{attachment.pk}/",
    ]


def test_other_councils_secretary_gets_404_on_inbox_export_appeal_page_and_attachment(personas, attachment):
    client = personas.client_for(personas.other_secretary)
    for url in _scoped_urls(attachment):
        assert client.get(url).status_code == 404, url


def test_an_appeal_is_not_found_under_another_councils_address(personas, attachment):
    """Karaganda's secretary, in Karaganda's own workspace, asking for Almaty's appeal by number."""
    client = personas.client_for(personas.other_secretary)
    number = attachment.appeal.number
    assert client.get(f"/ru/workspace/karaganda/appeals/{number}/").status_code == 404
    assert client.get(f"/ru/workspace/karaganda/appeals/{number}/attachments/{attachment.pk}/").status_code == 404


def test_anonymous_is_redirected_to_login(personas, client, attachment):
    for url in _scoped_urls(attachment):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].split("?")[0].endswith("/login/")  # settings.LOGIN_URL
        assert "next=" in response["Location"]


def test_staff_download_an_attachment_through_the_workspace(personas, attachment):
    client = personas.client_for(personas.member)
    response = client.get(f"{INBOX}{attachment.appeal.number}/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert 'filename="akt-proverki.pdf"' in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]


def test_appeal_page_links_attachments_through_the_staff_view_not_media(personas, secretary, attachment):
    response = secretary.get(f"{INBOX}{attachment.appeal.number}/")
    assert f"/attachments/{attachment.pk}/" in response.text
    assert "/media/" not in response.text


# ---- filters and search ---------------------------------------------------------------------------------


def test_status_filter_narrows_the_list(personas, secretary, today):
    registered = make_appeal(personas.council, due=today)
    answered = make_appeal(personas.council, due=today, status=AppealStatus.ANSWERED)
    assert numbers(secretary.get(INBOX, {"status": "answered"})) == [answered.number]
    assert numbers(secretary.get(INBOX, {"status": "registered"})) == [registered.number]
    assert numbers(secretary.get(INBOX, {"status": "open"})) == [registered.number]


def test_category_filter_narrows_the_list(personas, secretary, today):
    ecology = make_appeal(personas.council, due=today, category=Category.ECOLOGY)
    make_appeal(personas.council, due=today, category=Category.TRANSPORT)
    assert numbers(secretary.get(INBOX, {"category": "ecology"})) == [ecology.number]


def test_applicant_type_and_channel_filters_narrow_the_list(personas, secretary, today):
    company = make_appeal(personas.council, due=today, applicant_type=ApplicantType.LEGAL_ENTITY)
    duty = make_appeal(personas.council, due=today, channel=Channel.DUTY_SERVICE)
    assert numbers(secretary.get(INBOX, {"applicant_type": "legal_entity"})) == [company.number]
    assert numbers(secretary.get(INBOX, {"channel": "duty_service"})) == [duty.number]


def test_commission_filter_offers_and_accepts_own_councils_bodies_only(personas, secretary, today):
    body = Body.objects.create(
        council=personas.council,
        convocation=personas.council.convocations.get(),
        key="ecology",
        kind=BodyKind.COMMISSION,
        name="Комиссия по экологии",
    )
    foreign = Body.objects.create(
        council=personas.other_council,
        convocation=personas.other_council.convocations.get(),
        key="ecology",
        kind=BodyKind.COMMISSION,
        name="Карагандинская комиссия",
    )
    assigned = make_appeal(personas.council, due=today, status=AppealStatus.ASSIGNED, assigned_body=body)
    make_appeal(personas.council, due=today)
    response = secretary.get(INBOX, {"assigned_body": body.pk})
    assert numbers(response) == [assigned.number]
    assert "Карагандинская комиссия" not in response.text
    # Another council's commission is not a valid choice: the filter says so instead of using it.
    response = secretary.get(INBOX, {"assigned_body": foreign.pk})
    assert "assigned_body" in response.context["filter"].form.errors


def test_assignee_filter_offers_own_councils_staff_only(personas, secretary, today):
    mine = make_appeal(personas.council, due=today, status=AppealStatus.ASSIGNED, assignee=personas.member)
    make_appeal(personas.council, due=today)
    response = secretary.get(INBOX, {"assignee": personas.member.pk})
    assert numbers(response) == [mine.number]
    choices = {str(u) for u in response.context["filter"].form.fields["assignee"].queryset}
    assert choices == {"secretary", "member"}


def test_overdue_filter_keeps_open_appeals_past_their_effective_deadline(personas, secretary, today):
    overdue = make_appeal(personas.council, due=today - dt.timedelta(days=2))
    make_appeal(personas.council, due=today - dt.timedelta(days=2), status=AppealStatus.CLOSED)
    make_appeal(  # extended: the new date counts, not the computed one
        personas.council, due=today - dt.timedelta(days=2), extended_until=today + dt.timedelta(days=20)
    )
    make_appeal(personas.council, due=today + dt.timedelta(days=20))
    assert numbers(secretary.get(INBOX, {"overdue": "on"})) == [overdue.number]


def test_due_soon_filter_keeps_open_appeals_due_within_three_working_days(personas, secretary, today):
    limit = due_soon_limit(today)
    due_today = make_appeal(personas.council, due=today)
    due_at_limit = make_appeal(personas.council, due=limit)
    make_appeal(personas.council, due=limit + dt.timedelta(days=1))
    make_appeal(personas.council, due=today - dt.timedelta(days=1))  # overdue, not "due soon"
    make_appeal(personas.council, due=today, status=AppealStatus.ANSWERED)
    assert set(numbers(secretary.get(INBOX, {"due_soon": "on"}))) == {due_today.number, due_at_limit.number}


def test_year_filter_narrows_the_list(personas, secretary, today):
    old = make_appeal(personas.council, due=today, registered_days_ago=400)
    new = make_appeal(personas.council, due=today)
    if old.year == new.year:
        pytest.skip("needs two registration years")
    assert numbers(secretary.get(INBOX, {"year": old.year})) == [old.number]


def test_search_in_russian_text_finds_other_word_forms(personas, secretary, today):
    park = make_appeal(personas.council, due=today, subject="Парк Горького", text="Вырубают деревья.")
    alley = make_appeal(personas.council, due=today, subject="Аллея", text="Мусор в парках и скверах.")
    make_appeal(personas.council, due=today, subject="Ремонт дороги", text="Яма на проспекте Абая.")
    assert numbers(secretary.get(INBOX, {"q": "парк"})) in (
        [park.number, alley.number],
        [alley.number, park.number],
    )
    assert numbers(secretary.get(INBOX, {"q": "деревьями"})) == [park.number]


def test_search_finds_an_appeal_by_its_number(personas, secretary, today):
    wanted = make_appeal(personas.council, due=today)
    make_appeal(personas.council, due=today)
    assert numbers(secretary.get(INBOX, {"q": wanted.number})) == [wanted.number]


# ---- sort, highlighting, pages --------------------------------------------------------------------------


def test_default_sort_puts_open_appeals_with_the_nearest_deadline_first(personas, secretary, today):
    later = make_appeal(personas.council, due=today + dt.timedelta(days=10))
    sooner = make_appeal(personas.council, due=today + dt.timedelta(days=1))
    closed = make_appeal(personas.council, due=today - dt.timedelta(days=30), status=AppealStatus.CLOSED)
    extended = make_appeal(  # computed deadline long past, extended to the day after tomorrow
        personas.council, due=today - dt.timedelta(days=5), extended_until=today + dt.timedelta(days=2)
    )
    overdue = make_appeal(personas.council, due=today - dt.timedelta(days=3))
    expected = [overdue.number, sooner.number, extended.number, later.number, closed.number]
    assert numbers(secretary.get(INBOX)) == expected
    assert numbers(secretary.get(INBOX, {"sort": "deadline"})) == expected


def test_sort_by_registration_date(personas, secretary, today):
    old = make_appeal(personas.council, due=today, registered_days_ago=20)
    new = make_appeal(personas.council, due=today + dt.timedelta(days=30), registered_days_ago=1)
    assert numbers(secretary.get(INBOX, {"sort": "-registered"})) == [new.number, old.number]
    assert numbers(secretary.get(INBOX, {"sort": "registered"})) == [old.number, new.number]


def test_overdue_and_due_soon_rows_are_marked_with_a_class_and_a_text_label(personas, client, today):
    overdue = make_appeal(personas.council, due=today - dt.timedelta(days=1))
    soon = make_appeal(personas.council, due=today)
    calm = make_appeal(personas.council, due=today + dt.timedelta(days=40))
    client = personas.client_for(personas.secretary)
    response = client.get("/en/workspace/almaty/appeals/")
    rows = {a.number: a.urgency for a in response.context["page"].object_list}
    assert rows == {overdue.number: "overdue", soon.number: "due-soon", calm.number: ""}
    assert 'class="appeal-row row-overdue"' in response.text
    assert 'class="appeal-row row-due-soon"' in response.text
    assert ">Overdue<" in response.text  # a word, not a colour only
    assert ">Due soon<" in response.text


def test_inbox_is_paginated_by_25_and_pages_keep_the_filters(personas, secretary, today):
    for _ in range(27):
        make_appeal(personas.council, due=today, category=Category.ECOLOGY)
    first = secretary.get(INBOX, {"category": "ecology"})
    assert len(numbers(first)) == 25
    assert "category=ecology" in first.text and "page=2" in first.text
    second = secretary.get(INBOX, {"category": "ecology", "page": 2})
    assert len(numbers(second)) == 2


def _assign_everything(council: Council, appeals, user) -> None:
    body = Body.objects.get_or_create(
        council=council,
        key="transport",
        defaults={
            "convocation": council.convocations.get(),
            "kind": BodyKind.COMMISSION,
            "name": "Транспорт",
        },
    )[0]
    Appeal.objects.filter(pk__in=[a.pk for a in appeals]).update(
        assigned_body=body, assignee=user, status=AppealStatus.ASSIGNED
    )


def test_inbox_query_count_does_not_grow_with_the_page(personas, secretary, today):
    few = [make_appeal(personas.council, due=today + dt.timedelta(days=i)) for i in range(3)]
    _assign_everything(personas.council, few, personas.member)
    secretary.get(INBOX)  # warm the session and the content-type caches
    with CaptureQueriesContext(connection) as three_rows:
        assert len(numbers(secretary.get(INBOX))) == 3
    more = [make_appeal(personas.council, due=today + dt.timedelta(days=i)) for i in range(27)]
    _assign_everything(personas.council, more, personas.secretary)
    with CaptureQueriesContext(connection) as full_page:
        assert len(numbers(secretary.get(INBOX))) == 25
    assert len(full_page.captured_queries) == len(three_rows.captured_queries)


# ---- CSV export -----------------------------------------------------------------------------------------


def _csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))


def test_csv_export_respects_the_filters(personas, secretary, today):
    ecology = make_appeal(personas.council, due=today, category=Category.ECOLOGY, subject="Смог")
    make_appeal(personas.council, due=today, category=Category.TRANSPORT, subject="Пробки")
    make_appeal(personas.other_council, due=today, category=Category.ECOLOGY, subject="Чужое")
    rows = _csv_rows(secretary.get(EXPORT, {"category": "ecology"}))
    assert [row[0] for row in rows[1:]] == [ecology.number]
    assert rows[1][5] == "Смог"


def test_inbox_links_to_the_export_with_the_same_filters(personas, secretary, today):
    make_appeal(personas.council, due=today)
    response = secretary.get(INBOX, {"category": "ecology", "page": "1"})
    assert 'href="/ru/workspace/almaty/appeals/export.csv?category=ecology"' in response.text


def test_csv_gives_applicant_contacts_to_the_secretary_only(personas, today):
    make_appeal(
        personas.council,
        due=today,
        applicant_name="Ахметова Динара",
        email="dinara@example.kz",
        phone="+77011234567",
    )
    by_secretary = personas.client_for(personas.secretary).get(EXPORT).getvalue().decode("utf-8-sig")
    by_member = personas.client_for(personas.member).get(EXPORT).getvalue().decode("utf-8-sig")
    assert "dinara@example.kz" in by_secretary and "Ахметова Динара" in by_secretary
    assert "dinara@example.kz" not in by_member
    assert "+77011234567" not in by_member
    assert "Ахметова Динара" not in by_member


def test_csv_cells_cannot_run_as_spreadsheet_formulas(personas, secretary, today):
    make_appeal(personas.council, due=today, subject='=HYPERLINK("http://evil.example","x")')
    rows = _csv_rows(secretary.get(EXPORT))
    assert rows[1][5].startswith("'=")


def test_the_inbox_also_exports_to_xlsx_with_the_same_filters(personas, secretary, today):
    from openpyxl import load_workbook

    ecology = make_appeal(personas.council, due=today, category=Category.ECOLOGY, subject="Смог")
    make_appeal(personas.council, due=today, category=Category.TRANSPORT, subject="Пробки")
    response = secretary.get(EXPORT, {"category": "ecology", "format": "xlsx"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    rows = list(load_workbook(io.BytesIO(response.getvalue())).active.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == [ecology.number]
    assert rows[1][5] == "Смог"


def test_csv_export_streams_its_rows_with_translated_labels(personas, secretary, today):
    make_appeal(personas.council, due=today, category=Category.ECOLOGY, subject="Смог")
    make_appeal(personas.council, due=today, category=Category.TRANSPORT, subject="Пробки")

    response = secretary.get(EXPORT)

    assert response.streaming  # rows leave as they are read: memory stays flat for any number of appeals
    rows = _csv_rows(response)
    assert len(rows) == 3 and len({len(row) for row in rows}) == 1
    assert {(row[4], row[5]) for row in rows[1:]} == {
        (str(Category.ECOLOGY.label), "Смог"),
        (str(Category.TRANSPORT.label), "Пробки"),
    }
    assert all(row[7] == "Зарегистрировано" for row in rows[1:])
