"""Meetings in the workspace: the form with its agenda, attendance and the quorum, the minutes PDF and the
signed scan, public hearings."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import ProtectedError
from django.urls import reverse

from councils.models import Affiliation, BodyKind
from hearings import services
from hearings.models import AgendaItem, AgendaItemKind, Meeting, MeetingAttendance, MeetingKind, PublicHearing
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretary(personas):
    return personas.client_for(personas.secretary)


@pytest.fixture
def convocation(personas):
    return personas.council.convocations.get()


def _meeting_post(**overrides) -> dict:
    data = {
        "kind": MeetingKind.COUNCIL,
        "body": "",
        "title": "Заседание Общественного совета",
        "goal": "",
        "date": "2019-05-15",
        "place": "Акимат, зал заседаний",
        "is_open": "on",
        "links": "https://almaty.kz/news/1",
        "agenda-TOTAL_FORMS": "3",
        "agenda-INITIAL_FORMS": "0",
        "agenda-MIN_NUM_FORMS": "0",
        "agenda-MAX_NUM_FORMS": "1000",
    }
    for i in range(3):
        data.update({f"agenda-{i}-{k}": "" for k in ("id", "number", "title", "state_body", "speakers", "decision")})
        data[f"agenda-{i}-kind"] = AgendaItemKind.OTHER
    data.update(overrides)
    return data


def _url(name: str, council, **kwargs) -> str:
    return reverse(name, kwargs={"slug": council.slug, **kwargs})


# ---- create, edit, list -------------------------------------------------------------------------------------


def test_secretary_creates_a_meeting_with_its_agenda(personas, secretary):
    state_body = f.StateBodyFactory(name="Управление экологии")
    data = _meeting_post(
        **{
            "agenda-0-title": "Отчёт управления экологии",
            "agenda-0-kind": AgendaItemKind.REPORT_HEARING,
            "agenda-0-state_body": str(state_body.pk),
            "agenda-0-speakers": "Иванов И. И.",
            "agenda-0-decision": "Принять к сведению",
            "agenda-1-title": "Разное",
        }
    )
    response = secretary.post(_url("hearings_ws:meeting_add", personas.council), data)
    assert response.status_code == 302
    meeting = Meeting.objects.get(council=personas.council)
    # A meeting already held goes on to its attendance and minutes, the next thing to record.
    assert response["Location"] == _url("hearings_ws:meeting_attendance", personas.council, pk=meeting.pk)
    assert meeting.links == ["https://almaty.kz/news/1"]
    assert meeting.key == "m-council-2019-05-15"
    items = list(meeting.agenda_items.order_by("number"))
    assert [(i.number, i.title, i.state_body) for i in items] == [
        (1, "Отчёт управления экологии", state_body),
        (2, "Разное", None),
    ]
    page = secretary.get(_url("hearings_ws:meeting_detail", personas.council, pk=meeting.pk))
    assert "Отчёт управления экологии" in page.text


def test_editing_the_agenda_swaps_numbers_and_removes_an_item(personas, secretary):
    meeting = f.MeetingFactory(council=personas.council, date=dt.date(2019, 5, 15))
    first = f.AgendaItemFactory(meeting=meeting, number=1, title="Первый", key="item-1")
    second = f.AgendaItemFactory(meeting=meeting, number=2, title="Второй", key="item-2")
    third = f.AgendaItemFactory(meeting=meeting, number=3, title="Третий", key="item-3")
    data = _meeting_post(
        **{
            "agenda-TOTAL_FORMS": "4",
            "agenda-INITIAL_FORMS": "3",
            "agenda-0-id": str(first.pk),
            "agenda-0-number": "2",
            "agenda-0-title": "Первый",
            "agenda-1-id": str(second.pk),
            "agenda-1-number": "1",
            "agenda-1-title": "Второй",
            "agenda-2-id": str(third.pk),
            "agenda-2-number": "3",
            "agenda-2-title": "Третий",
            "agenda-2-DELETE": "on",
            "agenda-3-number": "",
            "agenda-3-title": "Новый",
            "agenda-3-kind": AgendaItemKind.OTHER,
            "agenda-3-id": "",
            "agenda-3-state_body": "",
            "agenda-3-speakers": "",
            "agenda-3-decision": "",
        }
    )
    response = secretary.post(_url("hearings_ws:meeting_edit", personas.council, pk=meeting.pk), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    rows = list(AgendaItem.objects.filter(meeting=meeting).order_by("number").values_list("number", "title", "key"))
    assert rows == [(1, "Второй", "item-2"), (2, "Первый", "item-1"), (3, "Новый", "item-3")]


def test_an_agenda_item_with_a_recommendation_cannot_be_removed(personas, secretary):
    meeting = f.MeetingFactory(council=personas.council)
    item = f.AgendaItemFactory(meeting=meeting, number=1, title="Отчёт")
    f.RecommendationFactory(council=personas.council, source=item)
    data = _meeting_post(
        **{
            "agenda-TOTAL_FORMS": "1",
            "agenda-INITIAL_FORMS": "1",
            "agenda-0-id": str(item.pk),
            "agenda-0-number": "1",
            "agenda-0-title": "Отчёт",
            "agenda-0-DELETE": "on",
        }
    )
    response = secretary.post(_url("hearings_ws:meeting_edit", personas.council, pk=meeting.pk), data)
    assert response.status_code == 400
    assert "cannot be removed" in response.text or "нельзя" in response.text
    assert AgendaItem.objects.filter(pk=item.pk).exists()


def test_a_commission_meeting_needs_its_commission_shown_beside_the_field(personas, secretary):
    response = secretary.post(
        _url("hearings_ws:meeting_add", personas.council), _meeting_post(kind=MeetingKind.COMMISSION, title="Ком.")
    )
    assert response.status_code == 400
    assert response.context["form"].errors["body"]
    assert response.context["form"]["title"].value() == "Ком."  # what was typed is kept
    assert not Meeting.objects.exists()


def test_a_body_of_another_council_is_not_offered(personas, secretary):
    theirs = f.BodyFactory(council=personas.other_council, convocation=personas.other_council.convocations.get())
    response = secretary.post(
        _url("hearings_ws:meeting_add", personas.council),
        _meeting_post(kind=MeetingKind.COMMISSION, body=str(theirs.pk)),
    )
    assert response.status_code == 400
    assert "body" in response.context["form"].errors
    assert not Meeting.objects.exists()


def test_links_must_be_web_addresses(personas, secretary):
    response = secretary.post(
        _url("hearings_ws:meeting_add", personas.council), _meeting_post(links="javascript:alert(1)")
    )
    assert response.status_code == 400
    assert response.context["form"].errors["links"]


def test_a_member_reads_meetings_but_may_not_open_the_form(personas):
    member = personas.client_for(personas.member)
    meeting = f.MeetingFactory(council=personas.council)
    assert member.get(_url("hearings_ws:meetings", personas.council)).status_code == 200
    assert member.get(_url("hearings_ws:meeting_detail", personas.council, pk=meeting.pk)).status_code == 200
    assert member.get(_url("hearings_ws:meeting_add", personas.council)).status_code == 403
    assert member.post(_url("hearings_ws:meeting_add", personas.council), _meeting_post()).status_code == 403
    assert member.get(_url("hearings_ws:meeting_edit", personas.council, pk=meeting.pk)).status_code == 403


def test_meeting_list_filters_by_kind_year_and_body(personas, secretary, convocation):
    commission = f.BodyFactory(council=personas.council, convocation=convocation, name="Комиссия по экологии")
    f.MeetingFactory(council=personas.council, kind=MeetingKind.COUNCIL, date=dt.date(2019, 3, 1), title="Совет-2019")
    f.MeetingFactory(council=personas.council, kind=MeetingKind.COUNCIL, date=dt.date(2020, 3, 1), title="Совет-2020")
    f.MeetingFactory(
        council=personas.council,
        kind=MeetingKind.COMMISSION,
        body=commission,
        date=dt.date(2019, 6, 1),
        title="Комиссия-2019",
    )
    url = _url("hearings_ws:meetings", personas.council)
    titles = lambda response: [m.title for m in response.context["object_list"]]  # noqa: E731
    assert sorted(titles(secretary.get(url, {"year": 2019}))) == ["Комиссия-2019", "Совет-2019"]
    assert titles(secretary.get(url, {"kind": "council", "year": 2020})) == ["Совет-2020"]
    assert titles(secretary.get(url, {"body": commission.pk})) == ["Комиссия-2019"]


# ---- attendance and the quorum ------------------------------------------------------------------------------


def _members(convocation, n: int, **kwargs) -> list:
    return [f.MembershipFactory(convocation=convocation, **kwargs) for _ in range(n)]


def test_attendance_lists_members_on_the_date_and_stores_the_count(personas, secretary, convocation):
    present = _members(convocation, 2)
    gone = f.MembershipFactory(convocation=convocation, end_date=dt.date(2019, 4, 30))
    f.ExpertAppointmentFactory(council=convocation.council)  # experts are not members
    meeting = f.MeetingFactory(council=personas.council, date=dt.date(2019, 5, 15))
    url = _url("hearings_ws:meeting_attendance", personas.council, pk=meeting.pk)
    page = secretary.get(url)
    choices = {value for value, _label in page.context["form"].fields["present"].choices}
    assert choices == {m.person_id for m in present}
    response = secretary.post(url, {"present": [present[0].person_id]})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.attendance == 1
    refused = secretary.post(url, {"present": [gone.person_id]})
    assert refused.status_code == 400
    meeting.refresh_from_db()
    assert meeting.attendance == 1
    assert list(meeting.attendees.values_list("person_id", flat=True)) == [present[0].person_id]


def _attendee_ids(meeting) -> set[int]:
    return set(MeetingAttendance.objects.filter(meeting=meeting).values_list("person_id", flat=True))


def test_attendance_keeps_the_names_ticked_shows_them_again_and_follows_a_new_checklist(
    personas, secretary, convocation
):
    a, b, c = _members(convocation, 3)
    meeting = f.MeetingFactory(council=personas.council, date=dt.date(2019, 5, 15))
    url = _url("hearings_ws:meeting_attendance", personas.council, pk=meeting.pk)
    assert secretary.post(url, {"present": [a.person_id, b.person_id]}).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.attendance, _attendee_ids(meeting)) == (2, {a.person_id, b.person_id})
    # The checklist comes back ticked as recorded.
    page = secretary.get(url)
    assert set(page.context["form"]["present"].value()) == {a.person_id, b.person_id}
    # Recording again makes the names exactly the new ticks.
    assert secretary.post(url, {"present": [b.person_id, c.person_id]}).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.attendance, _attendee_ids(meeting)) == (2, {b.person_id, c.person_id})
    assert secretary.post(url, {}).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.attendance, _attendee_ids(meeting)) == (0, set())
    detail = secretary.get(_url("hearings_ws:meeting_detail", personas.council, pk=meeting.pk))
    assert detail.context["quorum"].present == 0


def test_a_meeting_recorded_before_names_were_kept_keeps_its_count(personas, secretary, convocation):
    _members(convocation, 3)
    meeting = f.MeetingFactory(council=personas.council, date=dt.date(2019, 5, 15), attendance=2)
    detail = secretary.get(_url("hearings_ws:meeting_detail", personas.council, pk=meeting.pk))
    assert detail.context["attendance"].named is False
    assert (detail.context["quorum"].present, detail.context["quorum"].total) == (2, 3)
    page = secretary.get(_url("hearings_ws:meeting_attendance", personas.council, pk=meeting.pk))
    assert page.context["form"]["present"].value() == []
    assert "attendance-on-file" in page.text


def test_the_quorum_is_checked_again_against_the_members_on_a_corrected_date(personas, secretary, convocation):
    stays, leaves_in_may, absent = _members(convocation, 3)
    leaves_in_may.end_date = dt.date(2019, 5, 31)
    leaves_in_may.save()
    meeting = f.MeetingFactory(council=personas.council, date=dt.date(2019, 5, 15))
    services.meeting_record_attendance(meeting=meeting, present_person_ids=[stays.person_id, leaves_in_may.person_id])
    detail = secretary.get(_url("hearings_ws:meeting_detail", personas.council, pk=meeting.pk))
    quorum = detail.context["quorum"]
    assert (quorum.present, quorum.total, quorum.reached) == (2, 3, True)

    # The date was wrong: the meeting was held in June, when one of those ticked was no longer a member.
    services.meeting_update(
        meeting=Meeting.objects.select_related("council").get(pk=meeting.pk),
        data=services.MeetingData(kind=MeetingKind.COUNCIL, date=dt.date(2019, 6, 14), title=meeting.title),
    )
    detail = secretary.get(_url("hearings_ws:meeting_detail", personas.council, pk=meeting.pk))
    quorum = detail.context["quorum"]
    assert (quorum.present, quorum.total, quorum.required, quorum.reached) == (1, 2, 2, False)
    assert detail.context["attendance"].not_on_roll == [leaves_in_may.person.full_name]
    assert [e.person_id for e in detail.context["attendance"].present] == [stays.person_id]
    assert leaves_in_may.person.full_name in detail.content.decode()
    assert absent.person.full_name not in detail.content.decode()


def test_a_person_recorded_present_is_not_deleted_from_under_the_meeting(personas, convocation):
    membership = f.MembershipFactory(convocation=convocation)
    meeting = f.MeetingFactory(council=personas.council, date=dt.date(2019, 5, 15))
    services.meeting_record_attendance(meeting=meeting, present_person_ids=[membership.person_id])
    with pytest.raises(ProtectedError):
        membership.person.delete()
    meeting.delete()  # the meeting's attendance goes with it
    assert not MeetingAttendance.objects.exists()


def test_meeting_page_says_whether_there_was_a_quorum(personas, secretary, convocation):
    _members(convocation, 3)
    meeting = f.MeetingFactory(council=personas.council, date=dt.date(2019, 5, 15), attendance=2)
    page = secretary.get(_url("hearings_ws:meeting_detail", personas.council, pk=meeting.pk))
    quorum = page.context["quorum"]
    assert (quorum.present, quorum.total, quorum.required, quorum.reached) == (2, 3, 2, True)
    meeting.attendance = 1
    meeting.save()
    page = secretary.get(_url("hearings_ws:meeting_detail", personas.council, pk=meeting.pk))
    assert page.context["quorum"].reached is False


# ---- minutes -------------------------------------------------------------------------------------------------


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def held_meeting(personas, convocation):
    _members(convocation, 36, affiliation=Affiliation.CIVIL_SOCIETY)
    f.MembershipFactory(convocation=convocation, affiliation=Affiliation.STATE_BODY)
    meeting = f.MeetingFactory(
        council=personas.council,
        date=dt.date(2019, 5, 15),
        title="Заседание Общественного совета",
        place="Алматы, пл. Республики, 4",
        attendance=25,
    )
    body = f.StateBodyFactory(name="Управление экологии и окружающей среды")
    item = f.AgendaItemFactory(
        meeting=meeting,
        number=1,
        title="Отчёт управления экологии о качестве воздуха",
        kind=AgendaItemKind.REPORT_HEARING,
        state_body=body,
        speakers="Әбенов Қ. Ө., руководитель управления",
        decision="Принять отчёт к сведению",
    )
    f.RecommendationFactory(council=personas.council, source=item, text="Перевести котельные на газ", state_body=body)
    f.RecommendationFactory(council=personas.other_council, source=item, text="Чужая рекомендация")
    return meeting


def test_minutes_pdf_has_the_meeting_the_quorum_the_agenda_and_its_recommendations(personas, secretary, held_meeting):
    response = secretary.get(
        _url("hearings_ws:minutes_pdf", personas.council, pk=held_meeting.pk), HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(_pdf_text(response.content).split())
    assert "15.05.2019" in text
    assert "Алматы, пл. Республики, 4" in text
    # 37 members on the day: the quorum is 25 (2/3 rounded up), and 25 were present.
    assert "25" in text and "37" in text
    assert "Кворум есть" in text or "Quorum present" in text
    assert "Отчёт управления экологии о качестве воздуха" in text
    assert "Әбенов Қ. Ө." in text  # Kazakh letters survive (DejaVu Sans)
    assert "Принять отчёт к сведению" in text
    assert "Перевести котельные на газ" in text
    assert "Чужая рекомендация" not in text


def test_minutes_pdf_says_no_quorum_below_two_thirds(personas, held_meeting):
    from hearings import minutes

    held_meeting.attendance = 24
    held_meeting.save()
    meeting = Meeting.objects.select_related("council", "body").get(pk=held_meeting.pk)
    _name, content_type, content = minutes.render(meeting, recommendations_by_item={}, language="en")
    assert content_type == "application/pdf"
    text = " ".join(_pdf_text(content).split())
    assert "No quorum" in text
    assert "Present: 24 of 37" in text


def test_minutes_pdf_lists_who_attended_and_checks_the_quorum_on_the_meeting_date(personas, convocation):
    from hearings import minutes

    ainur, bolat, dana = (
        f.MembershipFactory(convocation=convocation, person__full_name=name)
        for name in ("Айнур Сагинтаева", "Болат Жумабаев", "Дана Әлиева")
    )
    f.MembershipFactory(convocation=convocation, person__full_name="Ержан Отсутствовал")
    dana.end_date = dt.date(2019, 5, 31)
    dana.save()
    meeting = f.MeetingFactory(council=personas.council, date=dt.date(2019, 5, 15), title="Заседание")
    services.meeting_record_attendance(
        meeting=meeting, present_person_ids=[ainur.person_id, bolat.person_id, dana.person_id]
    )

    def pdf_text(meeting_id: int) -> str:
        meeting = Meeting.objects.select_related("council", "body").get(pk=meeting_id)
        return " ".join(_pdf_text(minutes.render(meeting, recommendations_by_item={}, language="en")[2]).split())

    text = pdf_text(meeting.pk)
    assert "Present: 3 of 4" in text
    assert "Quorum present" in text
    for name in ("Айнур Сагинтаева", "Болат Жумабаев", "Дана Әлиева"):
        assert name in text
    assert "Ержан Отсутствовал" not in text

    Meeting.objects.filter(pk=meeting.pk).update(date=dt.date(2019, 6, 14))  # Dana had left by then
    text = pdf_text(meeting.pk)
    assert "Present: 2 of 3" in text
    assert "No quorum" not in text  # 2 of 3 is two thirds
    assert "not members on the meeting's date" in text
    assert "Дана Әлиева" in text.split("not members on the meeting's date")[1]


def test_minutes_pdf_is_the_same_bytes_for_the_same_data(personas, held_meeting):
    from hearings import minutes

    meeting = Meeting.objects.select_related("council", "body").get(pk=held_meeting.pk)
    first = minutes.render(meeting, recommendations_by_item={}, language="ru")[2]
    second = minutes.render(meeting, recommendations_by_item={}, language="ru")[2]
    assert first == second


def test_commission_meeting_quorum_counts_the_commission(personas, convocation):
    from hearings.selectors import meeting_quorum

    commission = f.BodyFactory(council=personas.council, convocation=convocation, kind=BodyKind.COMMISSION)
    for membership in _members(convocation, 3):
        f.BodyMembershipFactory(body=commission, person=membership.person)
    _members(convocation, 10)  # members of the council, not of the commission
    meeting = f.MeetingFactory(
        council=personas.council, kind=MeetingKind.COMMISSION, body=commission, date=dt.date(2019, 5, 15), attendance=2
    )
    quorum = meeting_quorum(meeting=meeting)
    assert (quorum.total, quorum.required, quorum.reached) == (3, 2, True)


def _pdf_upload(name: str = "protocol.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf"
    )


def test_signed_minutes_upload_takes_a_pdf_and_serves_it_through_the_gate(personas, secretary):
    meeting = f.MeetingFactory(council=personas.council)
    url = _url("hearings_ws:minutes_upload", personas.council, pk=meeting.pk)
    response = secretary.post(url, {"minutes": _pdf_upload()})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes.name.endswith(".pdf")
    scan = secretary.get(_url("hearings_ws:minutes_scan", personas.council, pk=meeting.pk))
    assert scan.status_code == 200
    assert b"".join(scan.streaming_content).startswith(b"%PDF-")


def test_signed_minutes_upload_refuses_what_is_not_a_pdf_by_content(personas, secretary):
    meeting = f.MeetingFactory(council=personas.council)
    url = _url("hearings_ws:minutes_upload", personas.council, pk=meeting.pk)
    png_named_pdf = SimpleUploadedFile("scan.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, content_type="application/pdf")
    response = secretary.post(url, {"minutes": png_named_pdf})
    assert response.status_code == 400
    assert response.context["form"].errors["minutes"]
    meeting.refresh_from_db()
    assert not meeting.minutes


# ---- public hearings -----------------------------------------------------------------------------------------


def test_secretary_records_a_public_hearing(personas, secretary, convocation):
    commission = f.BodyFactory(council=personas.council, convocation=convocation)
    response = secretary.post(
        _url("hearings_ws:hearing_add", personas.council),
        {
            "number": "1",
            "topic": "Генеральный план города",
            "date": "2019-09-20",
            "organiser": str(commission.pk),
            "participants": "Жители, акимат",
            "resolution": "Рекомендовать доработать проект",
            "links": "https://almaty.kz/hearing\nhttp://facebook.com/post/1",
        },
    )
    assert response.status_code == 302
    hearing = PublicHearing.objects.get(council=personas.council)
    assert hearing.organiser == commission
    assert hearing.links == ["https://almaty.kz/hearing", "http://facebook.com/post/1"]
    detail = secretary.get(response["Location"])
    assert "Генеральный план города" in detail.text

    response = secretary.post(
        _url("hearings_ws:hearing_edit", personas.council, pk=hearing.pk),
        {"topic": "Генеральный план", "date": "2019-09-21", "organiser": "", "links": ""},
    )
    assert response.status_code == 302
    hearing.refresh_from_db()
    assert (hearing.topic, hearing.date, hearing.links) == ("Генеральный план", dt.date(2019, 9, 21), [])


# ---- attendance and the signed minutes from one page (issue 14, item 8) --------------------------------------


def test_attendance_page_takes_the_signed_minutes_too(personas, secretary, convocation):
    a, b = _members(convocation, 2)
    meeting = f.MeetingFactory(council=personas.council, date=dt.date(2019, 5, 15))
    url = _url("hearings_ws:meeting_attendance", personas.council, pk=meeting.pk)
    response = secretary.post(url, {"present": [a.person_id], "minutes": _pdf_upload()})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.attendance, _attendee_ids(meeting)) == (1, {a.person_id})
    assert meeting.minutes.name.endswith(".pdf")


def test_a_bad_scan_on_the_attendance_page_keeps_neither(personas, secretary, convocation):
    a, b = _members(convocation, 2)
    meeting = f.MeetingFactory(council=personas.council, date=dt.date(2019, 5, 15))
    url = _url("hearings_ws:meeting_attendance", personas.council, pk=meeting.pk)
    not_a_pdf = SimpleUploadedFile("scan.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, content_type="application/pdf")
    response = secretary.post(url, {"present": [a.person_id, b.person_id], "minutes": not_a_pdf})
    assert response.status_code == 400
    assert response.context["form"].errors["minutes"]
    meeting.refresh_from_db()
    assert (meeting.attendance, _attendee_ids(meeting), bool(meeting.minutes)) == (None, set(), False)


def test_a_new_meeting_form_offers_a_council_meeting_and_a_template_row(personas, secretary):
    page = secretary.get(_url("hearings_ws:meeting_add", personas.council))
    assert page.context["form"]["kind"].value() == MeetingKind.COUNCIL
    # The empty form the script copies to add a row in place, with the formset's placeholder index.
    assert 'template class="formset-empty"' in page.text
    assert 'name="agenda-__prefix__-title"' in page.text
    assert "js/workspace-forms.js" in page.text


def test_secretary_records_a_start_time_and_duration_and_a_duration_alone_is_refused(personas, secretary):
    url = _url("hearings_ws:meeting_add", personas.council)

    refused = secretary.post(url, _meeting_post(duration_minutes="90"))
    assert refused.status_code == 400
    assert "start_time" in refused.context["form"].errors
    assert not Meeting.objects.filter(council=personas.council).exists()

    response = secretary.post(url, _meeting_post(start_time="15:30", duration_minutes="90"))
    assert response.status_code == 302
    meeting = Meeting.objects.get(council=personas.council)
    assert (meeting.start_time, meeting.duration_minutes) == (dt.time(15, 30), 90)
    form = secretary.get(_url("hearings_ws:meeting_edit", personas.council, pk=meeting.pk)).content.decode()
    assert 'type="time"' in form and 'value="15:30"' in form
