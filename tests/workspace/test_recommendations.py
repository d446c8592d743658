"""Recommendations followed to the end: the lifecycle (history, working-day terms, transitions), the state body
figures, and the workspace pages (scope, forms, lists and their exports)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from monitoring import services
from monitoring.models import Recommendation, RecommendationStatus
from monitoring.selectors import recommendations_overdue, state_body_response_stats
from tests import factories as f

pytestmark = pytest.mark.django_db

S = RecommendationStatus


@pytest.fixture
def body():
    return f.StateBodyFactory(slug="uprav-ecology", name="Управление экологии города Алматы")


@pytest.fixture
def secretary(personas):
    return personas.client_for(personas.secretary)


def url_of(name: str, council, **kwargs) -> str:
    with translation.override("en"):
        return reverse(f"monitoring_ws:{name}", kwargs={"slug": council.slug, **kwargs})


def _draft(personas, body, *, issued_on=dt.date(2025, 3, 14), source=None, by=None) -> Recommendation:
    return services.recommendation_create(
        council=personas.council,
        text="Восстановить зелёные насаждения в сквере",
        state_body=body,
        source=source,
        issued_on=issued_on,
        by=by or personas.secretary,
    )


# ---- the lifecycle -----------------------------------------------------------------------------------------


def test_each_step_adds_one_history_row_with_user_and_date(personas, body):
    by = personas.secretary
    rec = _draft(personas, body, issued_on=dt.date(2024, 6, 3))
    services.recommendation_send(recommendation=rec, sent_on=dt.date(2024, 6, 5), by=by)
    services.recommendation_record_response(
        recommendation=rec, received_on=dt.date(2024, 6, 12), text="Работы запланированы на июль", by=by
    )
    services.recommendation_set_status(recommendation=rec, status=S.IMPLEMENTED, by=by, note="Сквер восстановлен")

    rec.refresh_from_db()
    assert rec.status == S.IMPLEMENTED
    history = list(rec.history.order_by("id"))
    assert [h.status for h in history] == [S.DRAFT, S.SENT, S.ANSWERED, S.IMPLEMENTED]
    assert all(h.changed_by == by for h in history)
    assert [h.changed_on for h in history[1:3]] == [dt.date(2024, 6, 5), dt.date(2024, 6, 12)]
    assert history[3].note == "Сквер восстановлен"
    assert rec.responses.get().text == "Работы запланированы на июль"


def test_response_due_counts_working_days_skipping_weekends_and_nauryz(personas, body):
    # Sent Wednesday 19 March 2025: Friday 21 is Nauryz, the weekend holidays 22-23 March move to Monday 24 and
    # Tuesday 25, so the 10th working day is Monday 7 April (1: 20 Mar, 2-4: 26-28 Mar, 5-9: 31 Mar-4 Apr).
    rec = _draft(personas, body, issued_on=dt.date(2025, 3, 17))
    rec = services.recommendation_send(recommendation=rec, sent_on=dt.date(2025, 3, 19), by=personas.secretary)
    assert rec.response_due == dt.date(2025, 4, 7)

    assert not recommendations_overdue(council=personas.council, as_of=dt.date(2025, 4, 7)).exists()
    assert list(recommendations_overdue(council=personas.council, as_of=dt.date(2025, 4, 8))) == [rec]


def test_the_answer_term_is_the_councils(personas, body):
    personas.council.recommendation_answer_days = 5
    personas.council.save()
    rec = _draft(personas, body, issued_on=dt.date(2025, 3, 17))
    rec = services.recommendation_send(recommendation=rec, sent_on=dt.date(2025, 3, 19), by=personas.secretary)
    assert rec.response_due == dt.date(2025, 3, 31)  # 20, 26, 27, 28, 31 March


def test_a_new_day_off_moves_the_open_response_dates(personas, body):
    from core.models import CalendarDay, CalendarKind

    rec = _draft(personas, body, issued_on=dt.date(2025, 3, 17))
    services.recommendation_send(recommendation=rec, sent_on=dt.date(2025, 3, 19), by=personas.secretary)
    answered = _draft(personas, body, issued_on=dt.date(2025, 3, 17))
    services.recommendation_send(recommendation=answered, sent_on=dt.date(2025, 3, 19), by=personas.secretary)
    services.recommendation_set_status(recommendation=answered, status=S.ANSWERED, by=personas.secretary)
    CalendarDay.objects.create(date=dt.date(2025, 4, 2), kind=CalendarKind.DAY_OFF, name="Перенос (постановление)")

    assert services.tracked_recompute_deadlines() == 1
    rec.refresh_from_db()
    answered.refresh_from_db()
    assert rec.response_due == dt.date(2025, 4, 8)  # one working day later
    assert answered.response_due == dt.date(2025, 4, 7)  # settled: left as it was


def test_an_answer_or_a_settled_status_ends_the_overdue(personas, body):
    late = dt.date(2025, 5, 1)
    answered, rejected, waiting = (_draft(personas, body) for _ in range(3))
    for rec in (answered, rejected, waiting):
        services.recommendation_send(recommendation=rec, sent_on=dt.date(2025, 3, 19), by=personas.secretary)
    services.recommendation_record_response(
        recommendation=answered, received_on=dt.date(2025, 4, 20), text="Ответ", by=personas.secretary
    )
    services.recommendation_set_status(recommendation=rejected, status=S.REJECTED, by=personas.secretary)
    _draft(personas, body)  # a draft is never overdue
    f.RecommendationFactory(council=personas.other_council, state_body=body, response_due=dt.date(2025, 1, 1))

    assert list(recommendations_overdue(council=personas.council, as_of=late)) == [waiting]


def test_an_invalid_transition_is_refused_with_a_translated_message_and_nothing_changes(personas, body):
    rec = _draft(personas, body)
    with translation.override("ru"), pytest.raises(ValidationError) as refused:
        services.recommendation_set_status(recommendation=rec, status=S.IMPLEMENTED, by=personas.secretary)
    assert refused.value.message_dict["status"] == ["После статуса «Черновик» нельзя перейти в статус «Исполнена»."]
    rec.refresh_from_db()
    assert rec.status == S.DRAFT
    assert rec.history.count() == 1


def test_only_a_draft_is_sent_and_an_answer_needs_a_sending(personas, body):
    rec = _draft(personas, body)
    with pytest.raises(ValidationError):
        services.recommendation_record_response(
            recommendation=rec, received_on=dt.date(2025, 3, 20), text="Ответ", by=personas.secretary
        )
    services.recommendation_send(recommendation=rec, sent_on=dt.date(2025, 3, 19), by=personas.secretary)
    with pytest.raises(ValidationError):
        services.recommendation_send(recommendation=rec, sent_on=dt.date(2025, 3, 20), by=personas.secretary)
    with pytest.raises(ValidationError) as early:
        services.recommendation_record_response(
            recommendation=rec, received_on=dt.date(2025, 3, 18), text="Ответ", by=personas.secretary
        )
    assert "received_on" in early.value.message_dict
    assert rec.history.count() == 2


def test_sending_after_the_send_term_is_recorded_not_refused(personas, body):
    # Control ended Monday 3 June 2024; 7 working days later is Wednesday 12 June.
    rec = _draft(personas, body, issued_on=dt.date(2024, 6, 3))
    services.recommendation_send(recommendation=rec, sent_on=dt.date(2024, 6, 12), by=personas.secretary)
    assert rec.history.get(status=S.SENT).note == ""

    late = _draft(personas, body, issued_on=dt.date(2024, 6, 3))
    with translation.override("en"):
        services.recommendation_send(recommendation=late, sent_on=dt.date(2024, 6, 13), by=personas.secretary)
    late.refresh_from_db()
    assert late.status == S.SENT
    assert "12.06.2024" in late.history.get(status=S.SENT).note


def test_sending_needs_an_addressee(personas):
    rec = _draft(personas, None)
    with pytest.raises(ValidationError):
        services.recommendation_send(recommendation=rec, sent_on=dt.date(2025, 3, 19), by=personas.secretary)


def test_the_source_must_be_a_record_of_the_same_council(personas, body):
    own = f.MonitoringEventFactory(council=personas.council)
    rec = _draft(personas, body, source=own)
    assert rec.source == own
    foreign = f.PublicHearingFactory(council=personas.other_council)
    with pytest.raises(ValidationError) as refused:
        _draft(personas, body, source=foreign)
    assert "source" in refused.value.message_dict
    with pytest.raises(ValidationError):
        _draft(personas, body, source=personas.other_council)  # not a kind of source at all


# ---- the state body's figures ------------------------------------------------------------------------------


def test_state_body_response_stats(personas, body):
    by = personas.secretary
    sent = dt.date(2025, 3, 19)  # due 7 April 2025
    on_time, late, silent = (_draft(personas, body, issued_on=dt.date(2025, 3, 17)) for _ in range(3))
    for rec in (on_time, late, silent):
        services.recommendation_send(recommendation=rec, sent_on=sent, by=by)
    services.recommendation_record_response(recommendation=on_time, received_on=dt.date(2025, 3, 29), text="a", by=by)
    services.recommendation_record_response(recommendation=late, received_on=dt.date(2025, 4, 18), text="b", by=by)
    services.recommendation_record_response(recommendation=late, received_on=dt.date(2025, 4, 25), text="c", by=by)
    _draft(personas, body)  # not sent: not counted
    other = f.RecommendationFactory(
        council=personas.other_council, state_body=body, sent_on=sent, response_due=dt.date(2025, 4, 7)
    )
    f.RecommendationResponseFactory(recommendation=other, received_on=dt.date(2025, 3, 20))

    stats = state_body_response_stats(state_body=body, council=personas.council)
    assert (stats.sent, stats.answered, stats.timed, stats.answered_on_time) == (3, 2, 2, 1)
    assert stats.response_rate == pytest.approx(2 / 3)
    assert stats.on_time_share == pytest.approx(0.5)
    assert stats.average_days == pytest.approx((10 + 30) / 2)  # to the first answer

    everywhere = state_body_response_stats(state_body=body)
    assert (everywhere.sent, everywhere.answered, everywhere.answered_on_time) == (4, 3, 2)


def test_the_state_body_page_shows_the_figures(personas, body, secretary):
    rec = _draft(personas, body, issued_on=dt.date(2025, 3, 17))
    services.recommendation_send(recommendation=rec, sent_on=dt.date(2025, 3, 19), by=personas.secretary)
    services.recommendation_record_response(
        recommendation=rec, received_on=dt.date(2025, 3, 25), text="Ответ", by=personas.secretary
    )
    _draft(personas, body)
    page = secretary.get(url_of("state_body", personas.council, body=body.slug))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="stat-sent">1<' in html
    assert 'id="stat-rate">100%<' in html
    assert 'id="stat-on-time">100%<' in html
    assert list(page.context["object_list"]) == [rec]


# ---- pages: scope ------------------------------------------------------------------------------------------


def _pages(personas, body) -> tuple[list[str], list[tuple[str, dict]]]:
    rec = _draft(personas, body)
    reads = [
        url_of("recommendations", personas.council),
        url_of("recommendations", personas.council) + "?format=csv",
        url_of("recommendation_detail", personas.council, pk=rec.pk),
        url_of("state_body", personas.council, body=body.slug),
    ]
    writes = [
        (url_of("recommendation_create", personas.council), {"text": "x", "issued_on": "2025-03-17"}),
        (url_of("recommendation_edit", personas.council, pk=rec.pk), {"text": "x", "issued_on": "2025-03-17"}),
        (url_of("recommendation_send", personas.council, pk=rec.pk), {"sent_on": "2025-03-19"}),
        (url_of("recommendation_respond", personas.council, pk=rec.pk), {"received_on": "2025-03-20", "text": "x"}),
        (url_of("recommendation_status", personas.council, pk=rec.pk), {"status": S.REJECTED}),
    ]
    return reads, writes


def answers(client, reads: list[str], writes: list[tuple[str, dict]]) -> tuple[dict[str, int], dict[str, int]]:
    """The status of a GET of each page and of a POST to each write address."""
    return (
        {url: client.get(url).status_code for url in reads},
        {url: client.post(url, data).status_code for url, data in writes},
    )


def test_another_councils_secretary_gets_404_on_every_page_and_action(personas, body):
    reads, writes = _pages(personas, body)
    outsider = personas.client_for(personas.other_secretary)
    read, write = answers(outsider, reads, writes)
    assert set(read.values()) == set(write.values()) == {404}, (read, write)
    # Their own council's address with this council's record: still not found.
    rec = Recommendation.objects.get()
    read, write = answers(
        outsider,
        [url_of("recommendation_detail", personas.other_council, pk=rec.pk)],
        [(url_of("recommendation_send", personas.other_council, pk=rec.pk), {"sent_on": "2025-03-19"})],
    )
    assert set(read.values()) == set(write.values()) == {404}
    assert Recommendation.objects.get().status == S.DRAFT


def test_a_member_reads_but_gets_403_on_writes(personas, body):
    reads, writes = _pages(personas, body)
    member = personas.client_for(personas.member)
    read, write = answers(member, reads, writes)
    assert set(read.values()) == {200} and set(write.values()) == {403}, (read, write)
    assert member.get(writes[0][0]).status_code == 403  # the create form itself
    rec = Recommendation.objects.get()
    assert (rec.status, rec.text, rec.history.count()) == (S.DRAFT, "Восстановить зелёные насаждения в сквере", 1)


# ---- pages: forms and actions ------------------------------------------------------------------------------


def test_create_from_a_monitoring_event_link_prefills_the_source(personas, body, secretary):
    event = f.MonitoringEventFactory(council=personas.council, topic="Мониторинг парков")
    url = url_of("recommendation_create", personas.council)
    page = secretary.get(f"{url}?source=monitoring:{event.pk}")
    assert page.status_code == 200
    assert page.context["form"]["source"].value() == f"monitoring:{event.pk}"

    response = secretary.post(
        url,
        {
            "text": "Установить урны",
            "state_body": body.pk,
            "issued_on": "2025-03-17",
            "source": f"monitoring:{event.pk}",
        },
    )
    rec = Recommendation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url_of("recommendation_detail", personas.council, pk=rec.pk)
    assert (rec.source, rec.status, rec.history.get().changed_by) == (event, S.DRAFT, personas.secretary)


def test_a_source_of_another_council_is_refused_beside_the_field_with_the_text_kept(personas, body, secretary):
    foreign = f.MonitoringEventFactory(council=personas.other_council)
    with translation.override("en"):
        response = secretary.post(
            url_of("recommendation_create", personas.council),
            {
                "text": "Мой текст",
                "state_body": body.pk,
                "issued_on": "2025-03-17",
                "source": f"monitoring:{foreign.pk}",
            },
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["source"]
    assert form["text"].value() == "Мой текст"
    assert not Recommendation.objects.exists()


def test_the_page_records_a_response_with_its_document_then_a_status(personas, body, secretary):
    rec = _draft(personas, body, issued_on=dt.date(2025, 3, 17))
    send, respond, status = (
        url_of(f"recommendation_{name}", personas.council, pk=rec.pk) for name in ("send", "respond", "status")
    )
    assert secretary.post(send, {"sent_on": "2025-03-19"}).status_code == 302
    pdf = SimpleUploadedFile("otvet.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n", content_type="application/pdf")
    response = secretary.post(respond, {"received_on": "2025-03-28", "text": "Работы начаты", "document": pdf})
    assert response.status_code == 302
    answer = rec.responses.get()
    assert answer.document.name.endswith(".pdf")
    assert secretary.post(status, {"status": S.IN_PROGRESS, "note": "На контроле"}).status_code == 302

    page = secretary.get(url_of("recommendation_detail", personas.council, pk=rec.pk))
    history = page.context["history"]
    assert [h.status for h in history] == [S.DRAFT, S.SENT, S.ANSWERED, S.IN_PROGRESS]
    assert "Работы начаты" in page.content.decode()


def test_a_refused_action_shows_its_reason_beside_its_form_and_keeps_what_was_typed(personas, body, secretary):
    rec = _draft(personas, body, issued_on=dt.date(2025, 3, 17))
    services.recommendation_send(recommendation=rec, sent_on=dt.date(2025, 3, 19), by=personas.secretary)
    not_a_pdf = SimpleUploadedFile("otvet.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = secretary.post(
        url_of("recommendation_respond", personas.council, pk=rec.pk),
        {"received_on": "2025-03-28", "text": "Мой ответ", "document": not_a_pdf},
    )
    assert response.status_code == 400
    assert response.context["failed_action"] == "respond"
    bound = next(a["form"] for a in response.context["actions"] if a["action"].name == "respond")
    assert bound.errors["document"]
    assert bound["text"].value() == "Мой ответ"
    assert not rec.responses.exists()

    refused = secretary.post(url_of("recommendation_status", personas.council, pk=rec.pk), {"status": S.DRAFT})
    assert refused.status_code == 400
    assert "«" in refused.content.decode()  # the service's reason, in the page's language
    rec.refresh_from_db()
    assert rec.status == S.SENT


def test_the_edit_page_keeps_the_addressee_of_a_sent_recommendation(personas, body, secretary):
    rec = _draft(personas, body, issued_on=dt.date(2025, 3, 17))
    services.recommendation_send(recommendation=rec, sent_on=dt.date(2025, 3, 19), by=personas.secretary)
    other_body = f.StateBodyFactory()
    url = url_of("recommendation_edit", personas.council, pk=rec.pk)
    response = secretary.post(url, {"text": "Новый текст", "state_body": other_body.pk, "issued_on": "2025-03-17"})
    assert response.status_code == 400
    assert response.context["form"].errors["state_body"]
    response = secretary.post(url, {"text": "Новый текст", "state_body": body.pk, "issued_on": "2025-03-17"})
    assert response.status_code == 302
    rec.refresh_from_db()
    assert rec.text == "Новый текст"


# ---- pages: the list and its exports -----------------------------------------------------------------------


def _many(personas, body, n: int) -> None:
    events = [f.MonitoringEventFactory(council=personas.council) for _ in range(2)]
    for i in range(n):
        rec = _draft(
            personas, body if i % 2 else f.StateBodyFactory(), source=events[i % 2], issued_on=dt.date(2025, 3, 17)
        )
        if i % 3 == 0:
            services.recommendation_send(recommendation=rec, sent_on=dt.date(2025, 3, 19), by=personas.secretary)


def _list_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_costs_the_same_queries_for_3_and_30_rows(personas, body, secretary):
    url = url_of("recommendations", personas.council)
    _many(personas, body, 3)
    few = _list_queries(secretary, url)
    _many(personas, body, 27)
    assert _list_queries(secretary, url) == few
    assert _list_queries(secretary, url + "?overdue=1&source_kind=monitoring") <= few + 1


def test_overdue_rows_carry_a_label_and_the_filter_keeps_only_them(personas, body, secretary):
    overdue = _draft(personas, body, issued_on=dt.date(2025, 3, 17))
    services.recommendation_send(recommendation=overdue, sent_on=dt.date(2025, 3, 19), by=personas.secretary)
    _draft(personas, body)
    with translation.override("en"):
        page = secretary.get(url_of("recommendations", personas.council) + "?overdue=1", HTTP_ACCEPT_LANGUAGE="en")
    assert [r.pk for r in page.context["object_list"]] == [overdue.pk]
    assert "Overdue" in page.content.decode()


def test_csv_and_xlsx_exports_hold_the_filtered_rows(personas, body, secretary):
    hearing = f.PublicHearingFactory(council=personas.council)
    from_hearing = _draft(personas, body, source=hearing)
    from_hearing.text = "=HYPERLINK(1)"
    from_hearing.save()
    _draft(personas, body, source=f.MonitoringEventFactory(council=personas.council))
    url = url_of("recommendations", personas.council) + "?source_kind=hearing"

    exported = secretary.get(url + "&format=csv")
    assert exported.status_code == 200
    rows = list(csv.reader(io.StringIO(exported.getvalue().decode("utf-8-sig"))))
    assert len(rows) == 2
    assert "'=HYPERLINK(1)" in rows[1]

    workbook = load_workbook(io.BytesIO(secretary.get(url + "&format=xlsx").getvalue()))
    sheet = workbook.active
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 2
    assert body.name in values[1]


# ---- the daily reminder ------------------------------------------------------------------------------------


def test_the_daily_reminder_mails_each_secretary_once_a_day(personas, body, django_capture_on_commit_callbacks):
    from django.core import mail

    from core.outbox import OutboxMessage
    from monitoring.tasks import send_overdue_reminders

    personas.secretary.email = "secretary@almaty.example.kz"
    personas.secretary.save()
    personas.other_secretary.email = "secretary@karaganda.example.kz"
    personas.other_secretary.save()
    rec = _draft(personas, body, issued_on=dt.date(2025, 3, 17))
    services.recommendation_send(recommendation=rec, sent_on=dt.date(2025, 3, 19), by=personas.secretary)
    req = services.information_request_create(
        council=personas.council, subject="Анализы воды", text="Просим", organisation="ТОО «Алматы Су»", by=None
    )
    services.information_request_send(information_request=req, sent_on=dt.date(2025, 1, 31), by=None)

    with django_capture_on_commit_callbacks(execute=True):
        assert send_overdue_reminders() == 1  # Karaganda has nothing overdue
    assert send_overdue_reminders() == 0  # a second run the same day queues nothing
    assert OutboxMessage.objects.filter(target=services.REMINDER_TARGET).count() == 1

    assert [m.to for m in mail.outbox] == [["secretary@almaty.example.kz"]]
    body_text = mail.outbox[0].body
    assert "Восстановить зелёные насаждения" in body_text and "Анализы воды" in body_text
    assert f"/ru/workspace/almaty/monitoring/recommendations/{rec.pk}/" in body_text


def test_a_recommendation_from_a_monitoring_event_takes_its_day_and_its_recommendations(personas, secretary):
    event = f.MonitoringEventFactory(
        council=personas.council,
        date=dt.date(2025, 3, 14),
        recommendations_summary="Оборудовать остановки пандусами.",
    )
    url = url_of("recommendation_create", personas.council)
    form = secretary.get(f"{url}?source=monitoring:{event.pk}").context["form"]
    assert form["issued_on"].value() == dt.date(2025, 3, 14)
    assert form["text"].value() == "Оборудовать остановки пандусами."


def test_a_recommendation_from_an_event_known_by_its_month_dates_from_the_months_end(personas, secretary):
    event = f.MonitoringEventFactory(council=personas.council, date=dt.date(2025, 2, 1), date_precision="month")
    url = url_of("recommendation_create", personas.council)
    form = secretary.get(f"{url}?source=monitoring:{event.pk}").context["form"]
    assert form["issued_on"].value() == dt.date(2025, 2, 28)


def test_another_councils_event_prefills_nothing(personas, secretary):
    theirs = f.MonitoringEventFactory(
        council=personas.other_council, date=dt.date(2025, 3, 14), recommendations_summary="Чужой текст"
    )
    url = url_of("recommendation_create", personas.council)
    form = secretary.get(f"{url}?source=monitoring:{theirs.pk}").context["form"]
    assert form["text"].value() in (None, "")
    assert form["issued_on"].value() != dt.date(2025, 3, 14)
