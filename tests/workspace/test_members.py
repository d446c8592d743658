"""Members, commissions, the composition on a date, the work plan and memoranda in the workspace."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from councils.models import (
    Affiliation,
    BodyKind,
    BodyMembership,
    BodyRole,
    MemberRole,
    Membership,
    Memorandum,
    Partner,
    Person,
    WorkPlanItem,
)
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretary(personas):
    return personas.client_for(personas.secretary)


@pytest.fixture
def convocation(personas):
    return personas.council.convocations.get()


def _url(name: str, **kwargs) -> str:
    return reverse(f"councils_ws:{name}", kwargs={"slug": "almaty", **kwargs})


def _add_post(convocation, **overrides) -> dict:
    data = {
        "convocation": str(convocation.pk),
        "person": "",
        "full_name": "Касымова Айгерим",
        "organisation": "ОО «Зелёный город»",
        "position": "председатель",
        "email": "aigerim@example.kz",
        "phone": "+7 701 111 22 33",
        "affiliation": Affiliation.CIVIL_SOCIETY,
        "role": MemberRole.MEMBER,
        "start_date": "2019-03-01",
    }
    data.update(overrides)
    return data


# ---- members -------------------------------------------------------------------------------------------------


def test_secretary_adds_a_new_person_as_a_member(personas, secretary, convocation):
    response = secretary.post(_url("member_add"), _add_post(convocation))
    assert response.status_code == 302
    membership = Membership.objects.select_related("person").get(convocation=convocation)
    assert membership.person.full_name == "Касымова Айгерим"
    assert membership.person.council == personas.council
    assert membership.person.key == "person-1"
    assert (membership.affiliation, membership.role, membership.start_date) == (
        Affiliation.CIVIL_SOCIETY,
        MemberRole.MEMBER,
        dt.date(2019, 3, 1),
    )
    page = secretary.get(_url("members"))
    assert "Касымова Айгерим" in page.text


def test_a_person_on_file_cannot_get_a_second_seat_in_the_convocation(personas, secretary, convocation):
    existing = f.MembershipFactory(convocation=convocation)
    response = secretary.post(_url("member_add"), _add_post(convocation, person=str(existing.person_id), full_name=""))
    assert response.status_code == 400
    assert response.context["form"].errors["person"]
    assert Membership.objects.count() == 1


def test_the_start_date_must_fall_within_the_convocation(personas, secretary, convocation):
    response = secretary.post(_url("member_add"), _add_post(convocation, start_date="2018-12-31"))
    assert response.status_code == 400
    assert response.context["form"].errors["start_date"]
    assert not Person.objects.filter(council=personas.council).exists()


def test_a_convocation_of_another_council_is_not_offered(personas, secretary):
    theirs = personas.other_council.convocations.get()
    response = secretary.post(_url("member_add"), _add_post(theirs))
    assert response.status_code == 400
    assert response.context["form"].errors["convocation"]


def test_ending_a_membership_keeps_the_row_and_ends_the_commission_seats(personas, secretary, convocation):
    membership = f.MembershipFactory(convocation=convocation)
    commission = f.BodyFactory(council=personas.council, convocation=convocation)
    seat = f.BodyMembershipFactory(body=commission, person=membership.person)
    response = secretary.post(
        _url("membership_end", pk=membership.pk), {"end_date": "2019-09-30", "end_reason": "own_request"}
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    seat.refresh_from_db()
    assert membership.end_date == dt.date(2019, 9, 30)
    assert seat.end_date == dt.date(2019, 9, 30)
    assert Membership.objects.filter(pk=membership.pk).exists()
    again = secretary.post(
        _url("membership_end", pk=membership.pk), {"end_date": "2019-10-30", "end_reason": "own_request"}
    )
    assert again.status_code == 400
    ended = secretary.get(_url("members"), {"state": "ended"})
    assert [m.pk for m in ended.context["object_list"]] == [membership.pk]


def test_an_end_before_the_start_is_refused(personas, secretary, convocation):
    membership = f.MembershipFactory(convocation=convocation, start_date=dt.date(2019, 6, 1))
    response = secretary.post(
        _url("membership_end", pk=membership.pk), {"end_date": "2019-05-01", "end_reason": "own_request"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["end_date"]


def test_role_change_and_one_chair_at_a_time(personas, secretary, convocation):
    chair = f.MembershipFactory(convocation=convocation, role=MemberRole.CHAIR)
    other = f.MembershipFactory(convocation=convocation)
    response = secretary.post(
        _url("membership_role", pk=other.pk), {"role": MemberRole.CHAIR, "affiliation": Affiliation.CIVIL_SOCIETY}
    )
    assert response.status_code == 400
    assert chair.person.full_name in str(response.context["form"].errors["role"])
    response = secretary.post(
        _url("membership_role", pk=other.pk),
        {"role": MemberRole.DEPUTY_CHAIR, "affiliation": Affiliation.STATE_BODY},
    )
    assert response.status_code == 302
    other.refresh_from_db()
    assert (other.role, other.affiliation) == (MemberRole.DEPUTY_CHAIR, Affiliation.STATE_BODY)


def test_composition_on_a_date_does_not_count_who_had_left(personas, secretary, convocation):
    f.MembershipFactory(convocation=convocation, person__full_name="Остался Гражданский")
    f.MembershipFactory(
        convocation=convocation, affiliation=Affiliation.STATE_BODY, person__full_name="Остался Госорган"
    )
    f.MembershipFactory(convocation=convocation, end_date=dt.date(2019, 6, 30), person__full_name="Ушёл Летом")
    f.MembershipFactory(convocation=convocation, start_date=dt.date(2019, 12, 1), person__full_name="Пришёл Зимой")
    f.ExpertAppointmentFactory(council=convocation.council, person__full_name="Эксперт Неучтённый")
    response = secretary.get(_url("composition"), {"date": "2019-09-01"})
    assert response.status_code == 200
    composition = response.context["composition"]
    assert composition.counts == {"total": 2, "state_body": 1, "civil_society": 1}
    names = {m.person.full_name for m in composition.members}
    assert names == {"Остался Гражданский", "Остался Госорган"}
    # Staff see who left in the year apart from the composition, with the reason (none recorded here).
    assert [m.person.full_name for m in response.context["left"]] == ["Ушёл Летом"]
    # Before they left, they counted.
    earlier = secretary.get(_url("composition"), {"date": "2019-06-30"}).context["composition"]
    assert earlier.counts["total"] == 3


def test_composition_with_a_bad_date_shows_today_and_the_error(personas, secretary):
    response = secretary.get(_url("composition"), {"date": "2019-13-45"})
    assert response.status_code == 200
    assert response.context["form"].errors["date"]


def test_a_member_reads_the_list_but_may_not_change_it(personas, convocation):
    member = personas.client_for(personas.member)
    membership = f.MembershipFactory(convocation=convocation)
    assert member.get(_url("members")).status_code == 200
    assert member.get(_url("composition")).status_code == 200
    assert member.get(_url("member_add")).status_code == 403
    assert member.post(_url("membership_end", pk=membership.pk), {"end_date": "2019-09-30"}).status_code == 403
    membership.refresh_from_db()
    assert membership.end_date is None


# ---- commissions ---------------------------------------------------------------------------------------------


def test_commission_seats_are_added_and_ended(personas, secretary, convocation):
    response = secretary.post(
        _url("body_add"),
        {
            "convocation": str(convocation.pk),
            "kind": BodyKind.COMMISSION,
            "number": "3",
            "name_ru": "Комиссия по экологии",
        },
    )
    assert response.status_code == 302
    commission = personas.council.bodies.get()
    assert commission.key == "commission-2-3"
    member = f.MembershipFactory(convocation=convocation)
    outsider = f.PersonFactory(council=personas.council)
    response = secretary.post(
        _url("seat_add", pk=commission.pk),
        {"person": str(member.person_id), "role": BodyRole.CHAIR, "start_date": "2019-03-15"},
    )
    assert response.status_code == 302
    seat = BodyMembership.objects.get(body=commission)
    assert (seat.person_id, seat.role) == (member.person_id, BodyRole.CHAIR)
    # Someone who is not a member of the convocation is not offered for a commission.
    refused = secretary.post(_url("seat_add", pk=commission.pk), {"person": str(outsider.pk), "role": BodyRole.MEMBER})
    assert refused.status_code == 400
    page = secretary.get(_url("body_detail", pk=commission.pk))
    assert member.person.full_name in page.text
    response = secretary.post(_url("seat_end", pk=seat.pk), {"end_date": "2019-11-30"})
    assert response.status_code == 302
    seat.refresh_from_db()
    assert seat.end_date == dt.date(2019, 11, 30)
    listing = secretary.get(_url("bodies"))
    assert [b.name for b in listing.context["object_list"]] == ["Комиссия по экологии"]


def test_a_member_who_left_a_commission_rejoins_it_and_both_seats_stay_in_the_history(personas, secretary, convocation):
    member = f.MembershipFactory(convocation=convocation)
    commission = f.BodyFactory(council=personas.council, convocation=convocation, name="Комиссия по экологии")
    add = _url("seat_add", pk=commission.pk)
    assert secretary.post(add, {"person": str(member.person_id), "role": BodyRole.MEMBER, "start_date": "2019-03-15"})
    first = BodyMembership.objects.get(body=commission)
    # Still sitting: not offered again, and refused if posted.
    page = secretary.get(_url("body_detail", pk=commission.pk))
    assert member.person not in page.context["form"].fields["person"].queryset
    again = secretary.post(add, {"person": str(member.person_id), "role": BodyRole.MEMBER, "start_date": "2019-05-01"})
    assert again.status_code == 400
    assert again.context["form"].errors["person"]

    assert secretary.post(_url("seat_end", pk=first.pk), {"end_date": "2019-06-30"}).status_code == 302
    page = secretary.get(_url("body_detail", pk=commission.pk))
    assert member.person in page.context["form"].fields["person"].queryset  # offered again once they left
    # The return must start after the earlier seat ended, so that the two never overlap.
    for start in ("", "2019-06-30"):
        refused = secretary.post(add, {"person": str(member.person_id), "role": BodyRole.CHAIR, "start_date": start})
        assert refused.status_code == 400
        assert "30.06.2019" in str(refused.context["form"].errors["start_date"])
    response = secretary.post(
        add, {"person": str(member.person_id), "role": BodyRole.CHAIR, "start_date": "2019-09-01"}
    )
    assert response.status_code == 302

    seats = list(
        BodyMembership.objects.filter(body=commission, person=member.person)
        .order_by("start_date")
        .values_list("role", "start_date", "end_date")
    )
    assert seats == [
        (BodyRole.MEMBER, dt.date(2019, 3, 15), dt.date(2019, 6, 30)),
        (BodyRole.CHAIR, dt.date(2019, 9, 1), None),
    ]
    history = secretary.get(_url("body_detail", pk=commission.pk))
    assert sorted((s.start_date, s.end_date or dt.date.max) for s in history.context["seats"]) == [
        (dt.date(2019, 3, 15), dt.date(2019, 6, 30)),
        (dt.date(2019, 9, 1), dt.date.max),
    ]
    from councils.selectors import body_seats_on

    assert [s.role for s in body_seats_on(body=commission, day=dt.date(2019, 5, 1))] == [BodyRole.MEMBER]
    assert body_seats_on(body=commission, day=dt.date(2019, 7, 15)) == []
    assert [s.role for s in body_seats_on(body=commission, day=dt.date(2019, 10, 1))] == [BodyRole.CHAIR]


def test_the_database_allows_one_open_seat_per_person_and_body(personas, convocation):
    from django.db import IntegrityError, transaction

    seat = f.BodyMembershipFactory(body=f.BodyFactory(council=personas.council, convocation=convocation))
    with pytest.raises(IntegrityError), transaction.atomic():
        BodyMembership.objects.create(body=seat.body, person=seat.person, start_date=dt.date(2019, 9, 1))
    seat.end_date = dt.date(2019, 6, 30)
    seat.save()
    BodyMembership.objects.create(body=seat.body, person=seat.person, start_date=dt.date(2019, 9, 1))
    assert BodyMembership.objects.filter(body=seat.body, person=seat.person).count() == 2


def test_members_list_shows_each_members_commissions(personas, secretary, convocation):
    membership = f.MembershipFactory(convocation=convocation)
    commission = f.BodyFactory(council=personas.council, convocation=convocation, name="Комиссия по транспорту")
    f.BodyMembershipFactory(body=commission, person=membership.person)
    page = secretary.get(_url("members"))
    row = next(m for m in page.context["object_list"] if m.pk == membership.pk)
    assert [s.body.name for s in row.seats_here] == ["Комиссия по транспорту"]
    assert "Комиссия по транспорту" in page.text


# ---- work plan and memoranda ---------------------------------------------------------------------------------


def test_work_plan_items_are_added_edited_and_numbered_once_a_year(personas, secretary):
    data = {
        "year": "2019",
        "number": "1",
        "activity": "Заслушать отчёт управления экологии",
        "period": "II квартал",
        "expected_result": "Рекомендации",
        "responsible": "Комиссия по экологии",
        "status": "planned",
    }
    assert secretary.post(_url("workplan_add"), data).status_code == 302
    item = WorkPlanItem.objects.get(council=personas.council)
    duplicate = secretary.post(_url("workplan_add"), data)
    assert duplicate.status_code == 400
    assert duplicate.context["form"].errors["number"]
    response = secretary.post(_url("workplan_edit", pk=item.pk), {**data, "status": "done"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "done"
    listing = secretary.get(_url("workplan"), {"year": 2019})
    assert [i.pk for i in listing.context["object_list"]] == [item.pk]
    assert secretary.get(_url("workplan"), {"year": 2020}).context["object_list"].count() == 0


def test_a_memorandum_with_a_new_partner(personas, secretary):
    response = secretary.post(
        _url("memorandum_add"),
        {
            "title": "Меморандум о сотрудничестве",
            "partner": "",
            "new_partner_name": "ОО «Экосфера»",
            "new_partner_kind": "ngo",
            "signed_on": "2019-06-01",
            "description": "",
        },
    )
    assert response.status_code == 302
    memo = Memorandum.objects.select_related("partner").get(council=personas.council)
    assert memo.partner.name == "ОО «Экосфера»"
    assert memo.partner.council == personas.council
    response = secretary.post(
        _url("memorandum_edit", pk=memo.pk),
        {"title": "Меморандум", "partner": str(memo.partner_id), "signed_on": "2019-06-02", "description": ""},
    )
    assert response.status_code == 302
    memo.refresh_from_db()
    assert (memo.title, memo.signed_on) == ("Меморандум", dt.date(2019, 6, 2))
    assert Partner.objects.count() == 1
