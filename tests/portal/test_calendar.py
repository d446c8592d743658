"""The meetings' calendar as calendar programs read it (icalendar and vobject): start times in Asia/Almaty
with a VTIMEZONE, all-day events without one, public hearings, UIDs that survive a change of the site's
address, and SEQUENCE / LAST-MODIFIED that follow the changes an event shows."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from django.db.models import F
from django.test import Client

from hearings.models import Meeting, PublicHearing
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

URL = "/ru/councils/almaty/meetings.ics"


def events(raw: bytes) -> dict[str, icalendar.Event]:
    return {str(e["uid"]): e for e in icalendar.Calendar.from_ical(raw).walk("VEVENT")}


def uid_of(meeting: Meeting) -> str:
    return f"meeting-{meeting.key}@almaty.oversight"


def test_a_timed_meeting_starts_at_its_almaty_time_with_the_zone_in_the_calendar(portal):
    before = MeetingFactory(council=portal.council, date=dt.date(2024, 2, 20), start_time=dt.time(15, 0))
    after = MeetingFactory(
        council=portal.council, date=dt.date(2024, 6, 20), start_time=dt.time(15, 0), duration_minutes=90
    )

    raw = Client().get(URL).content

    assert b"DTSTART;TZID=Asia/Almaty:20240620T150000" in raw
    calendar = icalendar.Calendar.from_ical(raw)
    zones = calendar.walk("VTIMEZONE")
    assert [str(z["tzid"]) for z in zones] == ["Asia/Almaty"]
    found = events(raw)
    # Kazakhstan moved from UTC+6 to UTC+5 on 1 March 2024: the zone data says so, and every reader agrees.
    assert found[uid_of(before)].decoded("dtstart").astimezone(dt.UTC).hour == 9
    assert found[uid_of(after)].decoded("dtstart").astimezone(dt.UTC).hour == 10
    assert found[uid_of(after)].decoded("dtend") - found[uid_of(after)].decoded("dtstart") == dt.timedelta(minutes=90)
    parsed = {e.uid.value: e for e in vobject.readOne(raw.decode()).vevent_list}
    assert parsed[uid_of(after)].dtstart.value.astimezone(dt.UTC) == dt.datetime(2024, 6, 20, 10, 0, tzinfo=dt.UTC)
    assert parsed[uid_of(before)].dtstart.value.astimezone(dt.UTC) == dt.datetime(2024, 2, 20, 9, 0, tzinfo=dt.UTC)
    assert parsed[uid_of(after)].dtstart.value.tzinfo.utcoffset(dt.datetime(2024, 6, 20)) == dt.timedelta(hours=5)
    assert ZoneInfo("Asia/Almaty")  # the data comes from zoneinfo, not from the portal


def test_a_meeting_without_a_time_is_an_all_day_event_and_the_calendar_needs_no_zone(portal):
    raw = Client().get(URL).content

    calendar = icalendar.Calendar.from_ical(raw)
    assert calendar.walk("VTIMEZONE") == []
    for event in calendar.walk("VEVENT"):
        assert type(event.decoded("dtstart")) is dt.date
        assert event.decoded("dtend") - event.decoded("dtstart") == dt.timedelta(days=1)
    assert len(vobject.readOne(raw.decode()).vevent_list) == len(calendar.walk("VEVENT"))


def test_a_closed_meeting_is_a_whole_day_whatever_its_time(portal):
    closed = MeetingFactory(council=portal.council, date=dt.date(2019, 11, 5), start_time=dt.time(10), is_open=False)

    event = events(Client().get(URL).content)[uid_of(closed)]

    assert type(event.decoded("dtstart")) is dt.date
    assert "100000" not in event.to_ical().decode()


def test_public_hearings_are_in_the_calendar(portal):
    hearing = PublicHearing.objects.get(council=portal.council)

    event = events(Client().get(URL).content)[f"hearing-{hearing.key}@almaty.oversight"]

    assert hearing.topic[:50] in str(event["summary"])
    assert event.decoded("dtstart") == hearing.date
    assert str(event["url"]).endswith(f"/ru/councils/almaty/hearings/{hearing.pk}/")


def test_uids_are_the_same_whatever_the_site_address(portal, settings):
    settings.SITE_URL = "https://oversight.example.kz"
    first = set(events(Client().get(URL).content))
    settings.SITE_URL = "https://councils.example.org"
    second = set(events(Client().get(URL, HTTP_HOST="localhost").content))

    assert first == second
    assert {uid_of(m) for m in Meeting.objects.filter(council=portal.council)} <= first
    assert not any("example" in uid or "testserver" in uid for uid in first)


def test_sequence_and_last_modified_follow_changes_the_event_shows(portal):
    meeting = Meeting.objects.filter(council=portal.council, is_open=True).first()
    # The record was created an hour ago (LAST-MODIFIED has whole seconds).
    meeting.audit_history.update(history_date=F("history_date") - dt.timedelta(hours=1))
    first = events(Client().get(URL).content)[uid_of(meeting)]

    meeting.place = "Новый зал"
    meeting.save()
    second = events(Client().get(URL).content)[uid_of(meeting)]
    meeting.attendance = 30  # not part of the event
    meeting.save()
    third = events(Client().get(URL).content)[uid_of(meeting)]

    assert (first["sequence"], second["sequence"], third["sequence"]) == (0, 1, 1)
    assert second.decoded("last-modified") > first.decoded("last-modified")
    assert third.decoded("last-modified") == second.decoded("last-modified")


def test_editing_a_closed_meetings_content_does_not_show_in_its_sequence(portal):
    closed = Meeting.objects.filter(council=portal.council, is_open=False).first()
    closed.title = "О кадрах полиции"
    closed.save()

    event = events(Client().get(URL).content)[uid_of(closed)]

    assert event["sequence"] == 0


def test_the_meeting_page_shows_its_start_time(portal):
    meeting = MeetingFactory(council=portal.council, date=dt.date(2019, 7, 1), start_time=dt.time(15, 30))

    page = Client().get(f"/ru/councils/almaty/meetings/{meeting.pk}/").content.decode()

    assert '<time datetime="2019-07-01T15:30">15:30</time>' in page
