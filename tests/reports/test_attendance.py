"""Members' attendance in the open: each member's attendance of the year's open council, presidium and
commission meetings taken by name, on the composition-wide table, the member's profile and in the annual report."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from councils.models import BodyKind
from hearings.models import MeetingAttendance, MeetingKind
from hearings.selectors import member_attendance
from reports.annual import annual_report_context
from tests.factories import (
    BodyFactory,
    BodyMembershipFactory,
    ConvocationFactory,
    CouncilFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def council():
    council = CouncilFactory(slug="almaty", code="ALM")
    convocation = ConvocationFactory(council=council, start_date=dt.date(2019, 1, 1))
    commission = BodyFactory(council=council, convocation=convocation, kind=BodyKind.COMMISSION)
    aigerim = PersonFactory(council=council, full_name="Абенова Айгерим")
    bolat = PersonFactory(council=council, full_name="Бекенов Болат")
    MembershipFactory(convocation=convocation, person=aigerim, start_date=dt.date(2019, 1, 1))
    # Bolat joins in May: the February council meeting was not his to attend.
    MembershipFactory(convocation=convocation, person=bolat, start_date=dt.date(2019, 5, 1))
    BodyMembershipFactory(body=commission, person=aigerim, start_date=dt.date(2019, 1, 1))
    february = MeetingFactory(council=council, kind=MeetingKind.COUNCIL, date=dt.date(2019, 2, 10))
    june = MeetingFactory(council=council, kind=MeetingKind.COUNCIL, date=dt.date(2019, 6, 10))
    committee = MeetingFactory(council=council, kind=MeetingKind.COMMISSION, body=commission, date=dt.date(2019, 7, 1))
    closed = MeetingFactory(council=council, kind=MeetingKind.COUNCIL, date=dt.date(2019, 9, 1), is_open=False)
    for meeting, person in [(february, aigerim), (june, bolat), (committee, aigerim), (closed, aigerim)]:
        MeetingAttendance.objects.create(meeting=meeting, person=person)
    return council


def test_attendance_counts_only_the_meetings_each_member_was_expected_at(council):
    rows = {row.name: row for row in member_attendance(council=council, year=2019)}
    aigerim, bolat = rows["Абенова Айгерим"], rows["Бекенов Болат"]
    # Aigerim: two open council meetings (came to one) and her commission's (came); the closed one is not public.
    assert (aigerim.attended, aigerim.expected, aigerim.share) == (2, 3, 67)
    assert aigerim.by_kind == {"council": [2, 1], "commission": [1, 1]}
    # Bolat: only June's council meeting was his.
    assert (bolat.attended, bolat.expected) == (1, 1)


def test_the_public_table_the_profile_and_the_report_show_it(council):
    page = Client().get("/ru/councils/almaty/attendance/", {"year": "2019"})
    assert page.status_code == 200
    assert 'id="attendance"' in page.text
    assert "Абенова Айгерим" in page.text and "67%" in page.text
    row = next(r for r in member_attendance(council=council, year=2019) if r.name == "Бекенов Болат")
    profile = Client().get(f"/ru/councils/almaty/members/{row.person_id}/", {"year": "2019"})
    assert profile.status_code == 200
    assert 'id="member-attendance"' in profile.text
    assert "1 из 1" in profile.text or "1 / 1" in profile.text
    context = annual_report_context(council=council, year=2019, today=dt.date(2020, 2, 1))
    assert [(r.name, r.attended, r.expected) for r in context["attendance"]] == [
        ("Абенова Айгерим", 2, 3),
        ("Бекенов Болат", 1, 1),
    ]


def test_a_person_who_was_never_a_member_has_no_profile(council):
    outsider = PersonFactory(council=council, full_name="Приглашённый Эксперт")
    assert Client().get(f"/ru/councils/almaty/members/{outsider.pk}/").status_code == 404
    other = CouncilFactory(slug="karaganda", code="KRG")
    member = PersonFactory(council=other)
    MembershipFactory(convocation=ConvocationFactory(council=other), person=member)
    assert Client().get(f"/ru/councils/almaty/members/{member.pk}/").status_code == 404


def _api(**params) -> list[dict]:
    response = Client().get("/api/v1/councils/almaty/stats/", {"year": "2019", **params})
    assert response.status_code == 200
    return response.json()["attendance"]


def test_the_stats_api_gives_each_members_attendance_as_the_profile_does(council):
    rows = _api()

    assert rows == [
        {"person": rows[0]["person"], "name": "Абенова Айгерим", "meetings_due": 3, "attended": 2, "share": 0.667},
        {"person": rows[1]["person"], "name": "Бекенов Болат", "meetings_due": 1, "attended": 1, "share": 1.0},
    ]
    # The same people and figures as the attendance page, the profile and the report.
    assert [(r["person"], r["meetings_due"], r["attended"]) for r in rows] == [
        (r.person_id, r.expected, r.attended) for r in member_attendance(council=council, year=2019)
    ]


def test_the_stats_api_counts_the_meetings_held_by_as_of(council):
    # On 1 March only February's meeting had been held: Bolat, a member from May, was due at none.
    assert [(r["name"], r["meetings_due"], r["attended"]) for r in _api(as_of="2019-03-01")] == [
        ("Абенова Айгерим", 1, 1)
    ]


def test_a_seat_holder_who_is_no_member_and_a_meeting_without_names_are_not_counted(council):
    commission = council.bodies.get()
    outsider = PersonFactory(council=council, full_name="Внешний Эксперт")
    BodyMembershipFactory(body=commission, person=outsider, start_date=dt.date(2019, 1, 1))
    second = MeetingFactory(council=council, kind=MeetingKind.COMMISSION, body=commission, date=dt.date(2019, 8, 1))
    MeetingAttendance.objects.create(meeting=second, person=outsider)
    MeetingFactory(council=council, kind=MeetingKind.COUNCIL, date=dt.date(2019, 10, 1))  # a head count only

    rows = {r["name"]: r for r in _api()}

    assert "Внешний Эксперт" not in rows
    assert (rows["Абенова Айгерим"]["meetings_due"], rows["Абенова Айгерим"]["attended"]) == (4, 2)
