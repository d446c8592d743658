"""The council's workflow on the appeal page: registration from other channels and each action, with its
permissions, its history rows and the errors shown beside the form."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from appeals.models import Appeal, AppealStatus, Channel
from appeals.services import ApplicantData, appeal_submit
from appeals.staff_views import ACTIONS
from core.workdays import WorkCalendar
from councils.models import Body, BodyKind, StateBody

from .conftest import appeal_form_data, pdf_file

pytestmark = [pytest.mark.django_db]

BASE = "/ru/workspace/almaty/appeals/"
NEW = BASE + "new/"


def submit(personas, **overrides) -> Appeal:
    fields = {
        "council": personas.council,
        "applicant": ApplicantData(applicant_type="individual", name="Ахметова Динара", email="dinara@example.kz"),
        "category": "ecology",
        "subject": "Вырубка деревьев в парке",
        "text": "В парке Горького вырубают здоровые деревья.",
        "personal_data_consent": True,
    }
    fields.update(overrides)
    appeal, _created = appeal_submit(**fields)
    return appeal


@pytest.fixture
def appeal(personas) -> Appeal:
    return submit(personas)


@pytest.fixture
def secretary(personas):
    return personas.client_for(personas.secretary)


@pytest.fixture
def commission(personas) -> Body:
    return Body.objects.create(
        council=personas.council,
        convocation=personas.council.convocations.get(),
        key="ecology",
        kind=BodyKind.COMMISSION,
        number=1,
        name="Комиссия по экологии",
    )


@pytest.fixture
def akimat(db) -> StateBody:
    return StateBody.objects.create(slug="almaty-ecology", name="Управление экологии города Алматы")


def action_url(appeal: Appeal, action: str) -> str:
    return f"{BASE}{appeal.number}/{action}/"


def refreshed(appeal: Appeal) -> Appeal:
    return Appeal.objects.get(pk=appeal.pk)


# ---- registration from other channels -------------------------------------------------------------------


def staff_form_data(**overrides) -> dict:
    data = appeal_form_data(channel=Channel.DUTY_SERVICE, personal_data_consent="")
    data.pop("website")
    data.update(overrides)
    return data


def test_staff_registration_from_the_duty_service_records_the_channel(personas, secretary):
    response = secretary.post(NEW, {**staff_form_data(), "attachments": [pdf_file()]})
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert response["Location"] == f"{BASE}{appeal.number}/"
    assert appeal.channel == Channel.DUTY_SERVICE
    assert appeal.attachments.count() == 1
    registered = appeal.history.get()
    assert registered.status == AppealStatus.REGISTERED
    assert registered.changed_by == personas.secretary
    page = secretary.get(response["Location"])
    assert 'id="appeal-channel">' in page.text
    assert "Дежурный по городу" in page.text


def test_staff_registration_form_posted_twice_registers_one_appeal(personas, secretary):
    secretary.post(NEW, staff_form_data())
    secretary.post(NEW, staff_form_data())
    assert Appeal.objects.count() == 1


def test_staff_registration_keeps_the_moment_of_receipt(personas, secretary):
    received = timezone.localtime() - dt.timedelta(days=3)
    secretary.post(NEW, staff_form_data(received_at=received.strftime("%Y-%m-%dT%H:%M")))
    appeal = Appeal.objects.get()
    assert timezone.localtime(appeal.registered_at).date() == received.date()


def test_staff_registration_errors_keep_the_typed_text(personas, secretary):
    response = secretary.post(NEW, staff_form_data(name="", channel=Channel.EMAIL))
    assert response.status_code == 400
    assert Appeal.objects.count() == 0
    assert 'id="id_name_error"' in response.text
    assert "В парке Горького вырубают здоровые деревья" in response.text


def test_staff_registration_offers_no_web_form_channel(personas, secretary):
    response = secretary.post(NEW, staff_form_data(channel=Channel.WEB))
    assert response.status_code == 400
    assert 'id="id_channel_error"' in response.text


def test_member_gets_403_on_registration(personas):
    client = personas.client_for(personas.member)
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, staff_form_data()).status_code == 403
    assert Appeal.objects.count() == 0


def test_other_councils_secretary_gets_404_on_registration(personas):
    client = personas.client_for(personas.other_secretary)
    assert client.post(NEW, staff_form_data()).status_code == 404
    assert Appeal.objects.count() == 0


# ---- permissions on the actions ----------------------------------------------------------------------------


def test_member_gets_403_on_every_action_and_changes_nothing(personas, appeal):
    client = personas.client_for(personas.member)
    for action in ACTIONS:
        assert client.post(action_url(appeal, action), {}).status_code == 403, action
    assert refreshed(appeal).status == AppealStatus.REGISTERED
    assert appeal.history.count() == 1


def test_member_sees_the_appeal_page_without_action_forms(personas, appeal):
    response = personas.client_for(personas.member).get(f"{BASE}{appeal.number}/")
    assert response.status_code == 200
    assert "dinara@example.kz" in response.text  # the council's staff see the applicant
    assert "/assign/" not in response.text


def test_other_councils_secretary_gets_404_on_every_action(personas, appeal):
    client = personas.client_for(personas.other_secretary)
    for action in ACTIONS:
        assert client.post(action_url(appeal, action), {}).status_code == 404, action
        # and through their own workspace, where Almaty's appeal does not exist
        own = f"/ru/workspace/karaganda/appeals/{appeal.number}/{action}/"
        assert client.post(own, {}).status_code == 404, action
    assert refreshed(appeal).status == AppealStatus.REGISTERED


def test_anonymous_action_is_redirected_to_login(personas, client, appeal):
    response = client.post(action_url(appeal, "close"), {})
    assert response.status_code == 302
    assert response["Location"].split("?")[0].endswith("/login/")  # settings.LOGIN_URL


def test_actions_accept_post_only(personas, secretary, appeal):
    assert secretary.get(action_url(appeal, "assign")).status_code == 405


def test_unknown_action_is_not_found(personas, secretary, appeal):
    assert secretary.post(action_url(appeal, "delete"), {}).status_code == 404


# ---- the workflow -------------------------------------------------------------------------------------


def test_full_workflow_leaves_a_history_row_per_step(personas, secretary, commission, akimat):
    secretary.post(NEW, staff_form_data(channel=Channel.EMAIL))
    appeal = Appeal.objects.get()
    page = f"{BASE}{appeal.number}/"
    steps = [
        (
            "assign",
            {"assign-body": commission.pk, "assign-assignee": personas.member.pk},
            AppealStatus.ASSIGNED,
        ),
        (
            "forward",
            {"forward-state_body": akimat.pk, "forward-letter": "Просим рассмотреть вырубку в парке."},
            AppealStatus.FORWARDED,
        ),
        (
            "body-answer",
            {"body-answer-text": "Вырубка остановлена, проверка назначена."},
            AppealStatus.ANSWER_RECEIVED,
        ),
        ("answer", {"answer-text": "Управление экологии остановило вырубку."}, AppealStatus.ANSWERED),
        ("close", {"close-note": "Вопрос решён."}, AppealStatus.CLOSED),
    ]
    for action, data, status in steps:
        response = secretary.post(action_url(appeal, action), data)
        assert response.status_code == 302, (action, response.text if response.status_code == 400 else "")
        assert response["Location"] == page
        assert refreshed(appeal).status == status
        # the success message shows on the page the redirect leads to
        assert 'class="alert alert-success"' in secretary.get(page).text

    appeal = refreshed(appeal)
    assert appeal.assigned_body == commission
    assert appeal.assignee == personas.member
    assert appeal.forwarded_to == akimat
    assert appeal.answer_text == "Управление экологии остановило вырубку."
    history = list(appeal.history.all())
    assert [h.status for h in history] == [
        AppealStatus.REGISTERED,
        AppealStatus.ASSIGNED,
        AppealStatus.FORWARDED,
        AppealStatus.ANSWER_RECEIVED,
        AppealStatus.ANSWERED,
        AppealStatus.CLOSED,
    ]
    assert all(h.changed_by == personas.secretary for h in history)
    assert [h.changed_at for h in history] == sorted(h.changed_at for h in history)
    assert "Просим рассмотреть вырубку в парке." in history[2].note
    assert history[3].note == "Вырубка остановлена, проверка назначена."

    response = secretary.get(page)
    assert response.text.count("<td>secretary</td>") == 6  # who, on every row
    assert "Вопрос решён." in response.text
    assert response.context["actions"] == []  # a closed appeal offers no further step


def test_the_citizen_is_mailed_when_the_appeal_is_forwarded(
    personas, secretary, appeal, akimat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = secretary.post(
            action_url(appeal, "forward"), {"forward-state_body": akimat.pk, "forward-letter": "Письмо."}
        )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["dinara@example.kz"]]


def test_an_invalid_transition_shows_the_error_and_changes_nothing(personas, secretary, appeal):
    response = secretary.post(action_url(appeal, "body-answer"), {"body-answer-text": "Ответ без пересылки."})
    # REGISTERED → ANSWER_RECEIVED is not in TRANSITIONS (nothing was forwarded): the service refuses, the page
    # says why.
    assert response.status_code == 400
    assert 'id="body-answer-errors"' in response.text
    assert "cannot become" in response.text or "не может" in response.text
    assert "Ответ без пересылки." in response.text  # what was typed is kept
    appeal = refreshed(appeal)
    assert appeal.status == AppealStatus.REGISTERED
    assert appeal.answer_text == ""
    assert appeal.history.count() == 1


def test_closing_a_registered_appeal_is_refused(personas, secretary, appeal):
    response = secretary.post(action_url(appeal, "close"), {"close-note": "Закрыть"})
    assert response.status_code == 400
    assert 'id="close-errors"' in response.text
    assert refreshed(appeal).status == AppealStatus.REGISTERED


def test_assign_needs_a_commission_or_a_member(personas, secretary, appeal):
    response = secretary.post(action_url(appeal, "assign"), {})
    assert response.status_code == 400
    assert 'id="assign-errors"' in response.text
    assert refreshed(appeal).status == AppealStatus.REGISTERED


def test_assign_refuses_another_councils_commission(personas, secretary, appeal):
    foreign = Body.objects.create(
        council=personas.other_council,
        convocation=personas.other_council.convocations.get(),
        key="ecology",
        kind=BodyKind.COMMISSION,
        name="Карагандинская комиссия",
    )
    response = secretary.post(action_url(appeal, "assign"), {"assign-body": foreign.pk})
    assert response.status_code == 400
    assert refreshed(appeal).assigned_body is None


def test_page_offers_only_the_actions_the_status_allows(personas, secretary, appeal):
    response = secretary.get(f"{BASE}{appeal.number}/")
    offered = {action.name for action, _form in response.context["actions"]}
    # Answering is offered on a new appeal too: it assigns the appeal to the one answering in the same step.
    assert offered == {"assign", "forward", "answer", "extend", "merge", "leave"}


# ---- extension ----------------------------------------------------------------------------------------


def test_extension_moves_the_deadline_once(personas, secretary, appeal):
    until = appeal.due_date + dt.timedelta(days=7)
    response = secretary.post(
        action_url(appeal, "extend"),
        {"extend-until": until.isoformat(), "extend-reason": "Нужен выезд на место."},
    )
    assert response.status_code == 302
    assert refreshed(appeal).extended_until == until

    again = secretary.post(
        action_url(appeal, "extend"),
        {"extend-until": (until + dt.timedelta(days=3)).isoformat(), "extend-reason": "Ещё раз продлить."},
    )
    assert again.status_code == 400
    assert 'id="extend-errors"' in again.text
    assert "Ещё раз продлить." in again.text  # typed data kept
    assert refreshed(appeal).extended_until == until
    assert appeal.history.count() == 2  # registration and the one extension


def test_extension_beyond_two_months_is_refused_with_the_reason_and_typed_data_kept(personas, secretary, appeal):
    registered_on = timezone.localdate(appeal.registered_at)
    limit = WorkCalendar.add_months_capped(registered_on, 2)
    too_late = limit + dt.timedelta(days=1)
    response = secretary.post(
        action_url(appeal, "extend"),
        {"extend-until": too_late.isoformat(), "extend-reason": "Ждём ответа трёх ведомств."},
    )
    assert response.status_code == 400
    assert 'id="extend-errors"' in response.text
    assert limit.strftime("%d.%m.%Y") in response.text.split('id="extend-errors"')[1]
    assert "Ждём ответа трёх ведомств." in response.text
    assert f'value="{too_late.isoformat()}"' in response.text
    assert refreshed(appeal).extended_until is None

    at_limit = secretary.post(
        action_url(appeal, "extend"), {"extend-until": limit.isoformat(), "extend-reason": "Ждём ответа."}
    )
    assert at_limit.status_code == 302
    assert refreshed(appeal).extended_until == limit


def test_extension_needs_a_reasoned_decision(personas, secretary, appeal):
    until = appeal.due_date + dt.timedelta(days=7)
    response = secretary.post(action_url(appeal, "extend"), {"extend-until": until.isoformat(), "extend-reason": " "})
    assert response.status_code == 400
    assert 'id="id_extend-reason_error"' in response.text
    assert refreshed(appeal).extended_until is None


def test_the_deadline_page_shows_how_it_was_computed(personas, secretary):
    # Received on Friday 6 March 2026: 8 March (Sunday) moves to Monday 9 March, Nauryz follows.
    appeal = submit(personas, received_at=timezone.make_aware(dt.datetime(2026, 3, 6, 10, 0)))
    response = secretary.get(f"{BASE}{appeal.number}/")
    assert response.status_code == 200
    deadline = response.context["deadline"]
    assert deadline.explanation.start == dt.date(2026, 3, 6)
    assert deadline.effective == appeal.due_date
    section = response.text.split('id="deadline"')[1].split("</section>")[0]
    assert "06.03.2026" in section
    assert appeal.due_date.strftime("%d.%m.%Y") in section
    assert "09.03.2026" in section  # a skipped day, with its reason
    assert "Наурыз" in section


# ---- leaving without consideration, merging ------------------------------------------------------------


def test_leaving_without_consideration_needs_a_reason(personas, secretary, appeal):
    response = secretary.post(action_url(appeal, "leave"), {"leave-reason": "  "})
    assert response.status_code == 400
    assert 'id="id_leave-reason_error"' in response.text
    assert refreshed(appeal).status == AppealStatus.REGISTERED

    response = secretary.post(action_url(appeal, "leave"), {"leave-reason": "Анонимное обращение."})
    assert response.status_code == 302
    assert refreshed(appeal).status == AppealStatus.LEFT_WITHOUT_CONSIDERATION
    assert appeal.history.last().note == "Анонимное обращение."


def test_merge_into_another_appeal_by_number(personas, secretary, appeal):
    main = submit(personas, subject="Та же вырубка", submission_key="other")
    response = secretary.post(action_url(appeal, "merge"), {"merge-into": main.number})
    assert response.status_code == 302
    appeal = refreshed(appeal)
    assert appeal.status == AppealStatus.MERGED
    assert appeal.merged_into == main
    assert appeal.number in secretary.get(f"{BASE}{main.number}/").text


def test_merge_refuses_an_unknown_or_another_councils_number(personas, secretary, appeal):
    theirs = submit(personas, council=personas.other_council)
    for number in ("ALM-1999-999999", theirs.number, appeal.number):
        response = secretary.post(action_url(appeal, "merge"), {"merge-into": number})
        assert response.status_code == 400, number
        assert number in response.text
    assert refreshed(appeal).status == AppealStatus.REGISTERED


def _audit_fields(record) -> dict:
    """The tracked fields of an audit record (or of the appeal itself), without the record's own."""
    history = Appeal.audit_history.model
    own = {"history_id", "history_date", "history_change_reason", "history_type", "history_user"}
    return {f.attname: getattr(record, f.attname) for f in history._meta.concrete_fields if f.name not in own}


def test_a_registered_appeal_starts_its_audit_trail_with_the_secretary_and_every_field(personas, secretary):
    """The first audit record ("+") holds the appeal as stored, and who registered it, as the library writes it
    for any other record: the audit page and the retention job read it like every other."""
    secretary.post(NEW, staff_form_data())
    appeal = Appeal.objects.get()
    first = appeal.audit_history.get()
    assert first.history_type == "+"
    assert first.history_user == personas.secretary
    assert abs(first.history_date - appeal.registered_at) < dt.timedelta(minutes=1)
    assert _audit_fields(first) == _audit_fields(appeal)
    appeal.subject = "Вырубка деревьев в сквере"
    appeal.save()  # a later edit, written by the library itself: the same fields, one changed
    latest = appeal.audit_history.latest("history_date")
    assert latest.history_type == "~"
    assert {k for k, v in _audit_fields(latest).items() if _audit_fields(first)[k] != v} == {"subject"}


def test_a_citizens_appeal_is_audited_with_no_user(personas):
    appeal = submit(personas)
    first = appeal.audit_history.get()
    assert (first.history_type, first.history_user) == ("+", None)
    assert _audit_fields(first) == _audit_fields(Appeal.objects.get(pk=appeal.pk))
