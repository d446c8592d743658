"""The forwarding term (АППК art. 76): an appeal outside the council's competence goes to the competent body within
3 working days of registration. The staff see it while the appeal is registered or assigned, and the inbox
filters and marks it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from appeals.deadlines import appeal_forward_deadline_explained, forward_deadline, forward_overdue_received_by
from appeals.models import Appeal, AppealStatus
from appeals.services import ApplicantData, appeal_assign, appeal_forward, appeal_submit
from core.workdays import WorkCalendar
from councils.models import StateBody

pytestmark = [pytest.mark.django_db]

BASE = "/ru/workspace/almaty/appeals/"


def received(personas, when: dt.datetime, key: str = "") -> Appeal:
    appeal, _created = appeal_submit(
        council=personas.council,
        applicant=ApplicantData(applicant_type="individual", name="Ахметова Динара", email="dinara@example.kz"),
        category="ecology",
        subject="Вырубка деревьев в парке",
        text="В парке Горького вырубают здоровые деревья.",
        personal_data_consent=True,
        received_at=when,
        submission_key=key,
    )
    return appeal


def local(*args: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


@pytest.fixture
def secretary(personas):
    return personas.client_for(personas.secretary)


@pytest.fixture
def akimat(db) -> StateBody:
    return StateBody.objects.create(slug="almaty-ecology", name="Управление экологии города Алматы")


def forward_section(response) -> str:
    assert 'id="forward-deadline"' in response.text
    return response.text.split('id="forward-deadline"')[1].split("</section>")[0]


# ---- the date ---------------------------------------------------------------------------------------------


def test_the_forwarding_term_skips_the_weekend_and_the_moved_holiday(personas):
    # Friday 6 March 2026: Saturday, Sunday (8 March) and Monday 9 March (its day off, by decree) are not counted.
    appeal = received(personas, local(2026, 3, 6, 10, 0))
    term = appeal_forward_deadline_explained(appeal=appeal, as_of=dt.date(2026, 3, 6))
    assert term.explanation.start == dt.date(2026, 3, 6)
    assert term.explanation.n == 3
    assert term.end == dt.date(2026, 3, 12)
    assert [day for day, _reason in term.explanation.skipped] == [
        dt.date(2026, 3, 7),
        dt.date(2026, 3, 8),
        dt.date(2026, 3, 9),
    ]
    assert not term.overdue


def test_an_appeal_received_during_nauryz_counts_from_its_registration_day(personas):
    # Saturday 21 March 2026: Nauryz and its days off (23–25 March) pass; registered Thursday 26 March.
    appeal = received(personas, local(2026, 3, 21, 12, 0))
    term = appeal_forward_deadline_explained(appeal=appeal, as_of=dt.date(2026, 3, 21))
    assert term.explanation.start == dt.date(2026, 3, 26)
    assert term.end == dt.date(2026, 3, 31)


def test_the_term_is_overdue_only_after_its_last_day(personas):
    appeal = received(personas, local(2026, 3, 6, 10, 0))
    assert not appeal_forward_deadline_explained(appeal=appeal, as_of=dt.date(2026, 3, 12)).overdue
    assert appeal_forward_deadline_explained(appeal=appeal, as_of=dt.date(2026, 3, 13)).overdue


@pytest.mark.parametrize("today", [dt.date(2026, 3, d) for d in range(1, 32)] + [dt.date(2026, 1, 5)])
def test_the_overdue_cut_off_agrees_with_each_days_own_term(today):
    calendar = WorkCalendar.statutory(2025, 2026)
    cutoff = forward_overdue_received_by(today, calendar)
    for offset in range(-30, 5):
        day = today + dt.timedelta(days=offset)
        assert (forward_deadline(day, calendar).end < today) == (day <= cutoff), (today, day)


# ---- the appeal page --------------------------------------------------------------------------------------


def test_the_appeal_page_shows_the_forwarding_term_while_registered_and_assigned(personas, secretary):
    appeal = received(personas, timezone.now())
    term = appeal_forward_deadline_explained(appeal=appeal, as_of=timezone.localdate())
    section = forward_section(secretary.get(f"{BASE}{appeal.number}/"))
    assert term.end.strftime("%d.%m.%Y") in section
    assert "ст. 76" in section
    assert 'id="forward-overdue"' not in section

    appeal_assign(appeal=appeal, by=personas.secretary, assignee=personas.member)
    section = forward_section(secretary.get(f"{BASE}{appeal.number}/"))
    assert term.end.strftime("%d.%m.%Y") in section


def test_the_forwarding_term_is_gone_once_the_appeal_is_forwarded(personas, secretary, akimat):
    appeal = received(personas, timezone.now() - dt.timedelta(days=30))
    appeal_forward(appeal=appeal, by=personas.secretary, state_body=akimat, letter="Исх. № 12")
    response = secretary.get(f"{BASE}{appeal.number}/")
    assert response.status_code == 200
    assert response.context["forward_deadline"] is None
    assert 'id="forward-deadline"' not in response.text


def test_a_late_appeal_page_marks_the_forwarding_term_overdue(personas, secretary):
    appeal = received(personas, timezone.now() - dt.timedelta(days=30))
    section = forward_section(secretary.get(f"{BASE}{appeal.number}/"))
    assert 'id="forward-overdue"' in section
    assert "Просрочено" in section


# ---- the inbox --------------------------------------------------------------------------------------------


def test_the_inbox_filters_appeals_to_forward_by_term(personas, secretary, akimat):
    late = received(personas, timezone.now() - dt.timedelta(days=30), key="late")
    fresh = received(personas, timezone.now(), key="fresh")
    forwarded = received(personas, timezone.now() - dt.timedelta(days=30), key="forwarded")
    appeal_forward(appeal=forwarded, by=personas.secretary, state_body=akimat)

    overdue = secretary.get(BASE, {"forwarding": "overdue"})
    due = secretary.get(BASE, {"forwarding": "due"})
    everything = secretary.get(BASE)

    assert [a.number for a in overdue.context["page"].object_list] == [late.number]
    assert [a.number for a in due.context["page"].object_list] == [fresh.number]
    assert len(everything.context["page"].object_list) == 3


def test_the_inbox_marks_an_overdue_forwarding_term_in_words(personas, secretary, akimat):
    late = received(personas, timezone.now() - dt.timedelta(days=30), key="late")
    fresh = received(personas, timezone.now(), key="fresh")
    forwarded = received(personas, timezone.now() - dt.timedelta(days=30), key="forwarded")
    appeal_forward(appeal=forwarded, by=personas.secretary, state_body=akimat)

    response = secretary.get(BASE)
    rows = {a.number: (a.forward_due, a.forward_overdue) for a in response.context["page"].object_list}
    assert rows[late.number][1] is True
    fresh_term = appeal_forward_deadline_explained(appeal=fresh, as_of=timezone.localdate())
    assert rows[fresh.number] == (fresh_term.end, False)
    assert rows[forwarded.number] == (None, False)
    row = response.text.split(f'data-number="{late.number}"')[1].split("</tr>")[0]
    assert "Срок перенаправления истёк" in row
    forwarded_row = response.text.split(f'data-number="{forwarded.number}"')[1].split("</tr>")[0]
    assert "forward-due" not in forwarded_row


def test_the_appeal_status_gate_is_what_hides_the_term(personas):
    appeal = received(personas, timezone.now())
    for status in AppealStatus.values:
        appeal.status = status
        shown = appeal_forward_deadline_explained(appeal=appeal, as_of=timezone.localdate()) is not None
        assert shown == (status in (AppealStatus.REGISTERED, AppealStatus.ASSIGNED)), status
