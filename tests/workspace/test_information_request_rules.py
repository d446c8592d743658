"""Information requests follow a time limit rule of their own (the Law «On access to information»: 15 calendar
days, extendable by 15; the Aarhus Convention: a month, up to two), counted on the portal's working-day calendar;
answers are classified by a council member (refused with a ground, transferred to whom), and a batch sends one
request to several holders, each followed on its own."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from councils.models import StateBodyKind
from monitoring import services
from monitoring.access_rules import AccessRule, explain_deadline
from monitoring.lifecycle import FixedTerm
from monitoring.models import InformationRequest, InformationRequestResponse, InformationRequestStatus
from monitoring.selectors import information_request_counts, information_requests_overdue
from tests import factories as f
from tests.workspace.test_recommendations import url_of

pytestmark = pytest.mark.django_db
S = InformationRequestStatus


@pytest.fixture
def body():
    return f.StateBodyFactory(slug="akimat-almaty", name="Аппарат акима города Алматы")


def _sent(personas, body, sent_on: dt.date, rule: str = AccessRule.ACCESS_LAW) -> InformationRequest:
    req = services.information_request_create(
        council=personas.council, subject="Данные", text="Просим", state_body=body, rule=rule, by=personas.secretary
    )
    return services.information_request_send(information_request=req, sent_on=sent_on, by=personas.secretary)


# ---- the rules ---------------------------------------------------------------------------------------------


def test_the_law_gives_15_calendar_days(personas, body):
    assert _sent(personas, body, dt.date(2025, 6, 2)).response_due == dt.date(2025, 6, 17)


def test_a_limit_on_a_weekend_moves_to_the_next_working_day_and_the_page_says_why(personas, body):
    # 6 June 2025 + 15 calendar days = Saturday 21 June: the limit is Monday 23 June.
    req = _sent(personas, body, dt.date(2025, 6, 6))
    assert req.response_due == dt.date(2025, 6, 23)
    with translation.override("ru"):
        deadline = explain_deadline(req)
    assert (deadline.base.raw_end, deadline.base.end) == (dt.date(2025, 6, 21), dt.date(2025, 6, 23))
    assert [day for day, _reason in deadline.skipped] == [dt.date(2025, 6, 21), dt.date(2025, 6, 22)]
    assert "401-V" in str(deadline.rule.source)


def test_a_limit_on_a_holiday_moves_past_it(personas, body):
    # 1 December 2024 + 15 = Monday 16 December, Independence Day: the limit is Tuesday 17 December.
    req = _sent(personas, body, dt.date(2024, 12, 1))
    assert req.response_due == dt.date(2024, 12, 17)
    with translation.override("ru"):
        skipped = explain_deadline(req).skipped
    assert len(skipped) == 1 and skipped[0][0] == dt.date(2024, 12, 16)
    assert "Независимости" in skipped[0][1]


def test_the_law_extends_by_15_calendar_days_with_the_notice_kept(personas, body):
    req = _sent(personas, body, dt.date(2025, 6, 2))
    req = services.information_request_extend(
        information_request=req, reasons="Большой объём", notice_on=dt.date(2025, 6, 10), by=personas.secretary
    )
    assert (req.status, req.extended_until, req.extension_notice_on) == (
        S.EXTENDED,
        dt.date(2025, 7, 2),
        dt.date(2025, 6, 10),
    )
    # Extended, it is not overdue on the original limit, and is on the extended one.
    assert not information_requests_overdue(council=personas.council, as_of=dt.date(2025, 6, 20)).exists()
    assert list(information_requests_overdue(council=personas.council, as_of=dt.date(2025, 7, 3))) == [req]


def test_a_notice_before_the_sending_is_refused(personas, body):
    req = _sent(personas, body, dt.date(2025, 6, 2))
    with pytest.raises(ValidationError) as refused:
        services.information_request_extend(
            information_request=req, reasons="Архив", notice_on=dt.date(2025, 6, 1), by=personas.secretary
        )
    assert "notice_on" in refused.value.message_dict
    req.refresh_from_db()
    assert req.extended_until is None


def test_the_aarhus_rule_gives_a_month_and_up_to_two(personas, body):
    req = _sent(personas, body, dt.date(2024, 1, 31), rule=AccessRule.AARHUS)
    assert req.response_due == dt.date(2024, 2, 29)
    req = services.information_request_extend(information_request=req, reasons="Сложность", by=personas.secretary)
    assert req.extended_until == dt.date(2024, 3, 29)


def test_a_term_in_working_days_skips_weekends_and_holidays():
    # 10 working days from Friday 13 December 2024: the weekend and Independence Day (16 December) do not count.
    term = FixedTerm(10, "working_days")
    assert term.due(None, dt.date(2024, 12, 13)) == dt.date(2024, 12, 30)
    assert FixedTerm(10, "calendar_days").due(None, dt.date(2024, 12, 13)) == dt.date(2024, 12, 23)


def test_a_sent_requests_rule_cannot_change(personas, body):
    req = _sent(personas, body, dt.date(2025, 6, 2))
    with pytest.raises(ValidationError) as refused:
        services.information_request_update(
            information_request=req,
            subject=req.subject,
            text=req.text,
            state_body=body,
            organisation="",
            rule=AccessRule.AARHUS,
            by=personas.secretary,
        )
    assert "rule" in refused.value.message_dict


# ---- classifying the answers --------------------------------------------------------------------------------


def test_a_refusal_needs_its_ground_and_the_request_takes_the_state(personas, body):
    req = _sent(personas, body, dt.date(2025, 6, 2))
    with pytest.raises(ValidationError) as refused:
        services.information_request_record_response(
            information_request=req, received_on=dt.date(2025, 6, 9), text="Отказ", kind="refused", by=None
        )
    assert "refusal_ground" in refused.value.message_dict
    assert not req.responses.exists()

    services.information_request_record_response(
        information_request=req,
        received_on=dt.date(2025, 6, 9),
        text="Отказ",
        kind="refused",
        refusal_ground="commercial",
        by=None,
    )
    req.refresh_from_db()
    assert req.status == S.REFUSED
    # One step for one letter: the arrival says how it was classified.
    assert [h.status for h in req.history.order_by("id")] == [S.DRAFT, S.SENT, S.REFUSED]


def test_the_database_refuses_a_refusal_without_ground(personas, body):
    req = _sent(personas, body, dt.date(2025, 6, 2))
    with pytest.raises(IntegrityError), transaction.atomic():
        InformationRequestResponse.objects.create(
            information_request=req, received_on=dt.date(2025, 6, 9), text="Отказ", kind="refused"
        )


def test_reclassifying_an_answer_moves_the_request(personas, body):
    req = _sent(personas, body, dt.date(2025, 6, 2))
    answer = services.information_request_record_response(
        information_request=req, received_on=dt.date(2025, 6, 9), text="Часть данных", kind="answered", by=None
    )
    services.information_request_classify_answer(information_request=req, answer=answer, kind="partial", by=None)
    req.refresh_from_db()
    assert req.status == S.PARTIAL
    answer.refresh_from_db()
    assert answer.kind == "partial"


def test_a_transfer_names_the_new_holder(personas, body):
    req = _sent(personas, body, dt.date(2025, 6, 2))
    with pytest.raises(ValidationError) as refused:
        services.information_request_record_response(
            information_request=req, received_on=dt.date(2025, 6, 5), text="Переслано", kind="transferred", by=None
        )
    assert "transferred_to" in refused.value.message_dict
    other = f.StateBodyFactory(slug="eco-department", name="Департамент экологии")
    answer = services.information_request_record_response(
        information_request=req,
        received_on=dt.date(2025, 6, 5),
        text="Переслано",
        kind="transferred",
        transferred_to=other,
        by=None,
    )
    req.refresh_from_db()
    assert (req.status, answer.transferred_to_label) == (S.TRANSFERRED, "Департамент экологии")


def test_the_page_refuses_a_refusal_without_ground_beside_the_field_keeping_the_text(personas, body):
    req = _sent(personas, body, dt.date(2025, 6, 2))
    secretary = personas.client_for(personas.secretary)
    response = secretary.post(
        url_of("request_respond", personas.council, pk=req.pk),
        {"received_on": "2025-06-09", "text": "Мой текст ответа", "kind": "refused", "refusal_ground": ""},
    )
    assert response.status_code == 400
    form = next(a["form"] for a in response.context["actions"] if a["action"].name == "respond")
    assert "refusal_ground" in form.errors
    assert form["text"].value() == "Мой текст ответа"
    assert not req.responses.exists()

    ok = secretary.post(
        url_of("request_respond", personas.council, pk=req.pk),
        {"received_on": "2025-06-09", "text": "Ответ", "kind": "not_held"},
    )
    assert ok.status_code == 302
    req.refresh_from_db()
    assert req.status == S.NOT_HELD


def test_a_member_classifies_through_the_page(personas, body):
    req = _sent(personas, body, dt.date(2025, 6, 2))
    answer = services.information_request_record_response(
        information_request=req, received_on=dt.date(2025, 6, 9), text="Ответ", kind="answered", by=None
    )
    secretary = personas.client_for(personas.secretary)
    response = secretary.post(
        url_of("request_classify", personas.council, pk=req.pk),
        {"answer": str(answer.pk), "kind": "refused", "refusal_ground": "personal_data"},
    )
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.status == S.REFUSED
    # Another council's staff cannot.
    other = personas.client_for(personas.other_secretary)
    assert other.post(url_of("request_classify", personas.council, pk=req.pk), {}).status_code == 404


# ---- batches ---------------------------------------------------------------------------------------------------


def test_a_batch_makes_one_request_per_recipient_each_followed_on_its_own(personas):
    akimats = [
        f.StateBodyFactory(slug=f"akimat-{n}", name=f"Аким района {n}", kind=StateBodyKind.AKIMAT) for n in range(3)
    ]
    batch = services.information_request_batch_create(
        council=personas.council,
        subject="Вырубка деревьев",
        text="Просим сведения о вырубке",
        state_bodies=akimats,
        organisations=["ТОО «Оператор»"],
        by=personas.secretary,
    )
    requests = list(batch.requests.order_by("id"))
    assert len(requests) == 4
    assert {r.status for r in requests} == {S.DRAFT}
    sent = services.information_request_batch_send(batch=batch, sent_on=dt.date(2025, 6, 2), by=personas.secretary)
    assert {r.response_due for r in sent} == {dt.date(2025, 6, 17)}
    services.information_request_record_response(
        information_request=requests[0], received_on=dt.date(2025, 6, 10), text="Ответ", kind="answered", by=None
    )
    states = dict(batch.requests.values_list("pk", "status"))
    assert states[requests[0].pk] == S.ANSWERED
    assert [states[r.pk] for r in requests[1:]] == [S.SENT, S.SENT, S.SENT]
    with pytest.raises(ValidationError):
        services.information_request_batch_send(batch=batch, sent_on=dt.date(2025, 6, 3), by=None)


def test_a_batch_needs_two_recipients_and_the_page_keeps_what_was_typed(personas, body):
    with pytest.raises(ValidationError):
        services.information_request_batch_create(
            council=personas.council, subject="Тема", text="Текст", state_bodies=[body], by=None
        )
    secretary = personas.client_for(personas.secretary)
    response = secretary.post(
        url_of("request_batch_create", personas.council),
        {"subject": "Тема", "text": "Мой текст", "rule": "access_law", "state_bodies": [str(body.pk)]},
    )
    assert response.status_code == 400
    assert response.context["form"]["text"].value() == "Мой текст"
    assert not InformationRequest.objects.exists()

    other = f.StateBodyFactory(slug="akimat-2", name="Аким района")
    response = secretary.post(
        url_of("request_batch_create", personas.council),
        {"subject": "Тема", "text": "Текст", "rule": "aarhus", "state_bodies": [str(body.pk), str(other.pk)]},
    )
    assert response.status_code == 302
    assert set(InformationRequest.objects.values_list("rule", flat=True)) == {"aarhus"}
    batch_page = secretary.get(response["Location"])
    assert batch_page.status_code == 200
    send = secretary.post(
        url_of("request_batch_send", personas.council, pk=batch_page.context["batch"].pk), {"sent_on": "2025-06-02"}
    )
    assert send.status_code == 302
    assert set(InformationRequest.objects.values_list("status", flat=True)) == {S.SENT}


# ---- a closed year's figures ----------------------------------------------------------------------------------


def test_a_closed_years_figures_stand_on_31_december(personas, body):
    late, on_time, refused = (_sent(personas, body, dt.date(2024, 12, 2)) for _ in range(3))
    services.information_request_record_response(
        information_request=on_time, received_on=dt.date(2024, 12, 10), text="Ответ", kind="answered", by=None
    )
    services.information_request_record_response(
        information_request=refused,
        received_on=dt.date(2024, 12, 11),
        text="Отказ",
        kind="refused",
        refusal_ground="restricted",
        by=None,
    )
    # Answered in the next year: on 31 December it was overdue and unanswered.
    services.information_request_record_response(
        information_request=late, received_on=dt.date(2025, 1, 20), text="Поздно", kind="answered", by=None
    )
    counts = information_request_counts(council=personas.council, year=2024, as_of=dt.date(2024, 12, 31))
    assert (counts.total, counts.answered, counts.answered_on_time, counts.overdue) == (3, 2, 2, 1)
    assert counts.refused_by_ground["restricted"] == 1
    assert counts.by_status[S.SENT] == 1 and counts.by_status[S.ANSWERED] == 1
