"""The iCalendar feed of a council's meetings and the Atom/RSS feed of its news, with conditional requests."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import feedparser
import icalendar
import pytest
import vobject
from django.test import Client

from hearings.models import Meeting
from monitoring.models import Recommendation
from reports.models import BuildStatus
from tests.factories import MeetingFactory, RecommendationResponseFactory, ReportBuildFactory
from tests.portal.rfc4287 import atom_errors

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def parse_ical(raw: bytes) -> list[dict]:
    """A minimal RFC 5545 reader: checks CRLF line ends, the 75-octet limit and BEGIN/END nesting, unfolds the
    lines and returns the components as {"name": ..., "props": [(name, params, value)]}."""
    assert raw.endswith(b"\r\n")
    physical = raw[:-2].split(b"\r\n")
    assert all(b"\n" not in line and b"\r" not in line for line in physical)
    assert all(len(line) <= 75 for line in physical), max(physical, key=len)
    text_lines: list[str] = []
    for line in physical:
        if line.startswith(b" "):
            text_lines[-1] += line[1:].decode("utf-8")
        else:
            text_lines.append(line.decode("utf-8"))
    stack: list[dict] = []
    done: list[dict] = []
    for line in text_lines:
        name_params, _sep, value = line.partition(":")
        name, *params = name_params.split(";")
        if name == "BEGIN":
            stack.append({"name": value, "props": []})
        elif name == "END":
            component = stack.pop()
            assert component["name"] == value
            done.append(component)
        else:
            stack[-1]["props"].append((name, params, value))
    assert not stack
    return done


def unescape(value: str) -> str:
    return value.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")


def prop(component: dict, name: str) -> str:
    return next(value for key, _params, value in component["props"] if key == name)


def test_ical_feed_parses_with_one_event_per_meeting(portal):
    response = Client().get("/ru/councils/almaty/meetings.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    components = parse_ical(response.content)
    calendar = components[-1]
    events = [c for c in components if c["name"] == "VEVENT" and prop(c, "UID").startswith("meeting-")]
    assert calendar["name"] == "VCALENDAR"
    assert prop(calendar, "VERSION") == "2.0"
    assert len(events) == Meeting.objects.filter(council=portal.council).count() == 2
    uids = {prop(e, "UID") for e in events}
    assert len(uids) == 2
    open_meeting = next(e for e in events if prop(e, "CLASS") == "PUBLIC")
    assert prop(open_meeting, "DTSTART") == "20190515"
    assert prop(open_meeting, "DTEND") == "20190516"
    assert unescape(prop(open_meeting, "LOCATION")) == "Акимат, зал 1; 3-й этаж"
    assert prop(open_meeting, "LOCATION") == "Акимат\\, зал 1\\; 3-й этаж"
    description = unescape(prop(open_meeting, "DESCRIPTION"))
    assert "1. Заслушивание отчёта об озеленении" in description
    assert "Принять к сведению, направить рекомендации" in description
    assert prop(open_meeting, "URL").startswith("http://testserver/ru/councils/almaty/meetings/")
    closed = next(e for e in events if prop(e, "CLASS") == "CONFIDENTIAL")
    assert "Закрытое заседание" in unescape(prop(closed, "DESCRIPTION"))


def test_ical_feed_can_hold_one_year(portal):
    MeetingFactory(council=portal.council, date=dt.date(2020, 2, 3))

    every = parse_ical(Client().get("/ru/councils/almaty/meetings.ics").content)
    one_year = parse_ical(Client().get("/ru/councils/almaty/meetings.ics?year=2020").content)

    assert sum(c["name"] == "VEVENT" for c in every) == 3 + 1  # and the 2019 public hearing
    assert sum(c["name"] == "VEVENT" for c in one_year) == 1


def test_ical_text_round_trips_escaping_and_folding(portal):
    meeting = Meeting.objects.filter(council=portal.council, is_open=True).first()
    meeting.place = "Зал \\ 1; этаж 3, вход\nсо двора " + "Общественный совет " * 6
    meeting.save()

    raw = Client().get("/ru/councils/almaty/meetings.ics").content
    parse_ical(raw)  # CRLF, 75-octet lines, nesting

    events = [e for e in icalendar.Calendar.from_ical(raw).walk("VEVENT") if e.get("class") == "PUBLIC"]
    assert str(events[0]["location"]) == meeting.place
    assert vobject.readOne(raw.decode()).vevent.location.value == meeting.place


def test_atom_feed_is_valid_xml_with_the_answers_and_published_reports(portal):
    ReportBuildFactory(
        council=portal.council, status=BuildStatus.DONE, is_published=True, file="reports/2020/almaty.pdf"
    )
    ReportBuildFactory(council=portal.council, status=BuildStatus.DONE, is_published=False, file="reports/x.pdf")

    response = Client().get("/ru/councils/almaty/feed/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own response
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    titles = [entry.findtext(f"{ATOM}title") for entry in entries]
    assert len(entries) == 2
    assert "Управление зелёной экономики 0 ответил на рекомендацию" in titles
    assert "Опубликован годовой отчёт за 2019 год" in titles
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    assert len(set(ids)) == 2
    assert "Черновик" not in response.content.decode()


def test_rss_feed_is_valid_xml(portal):
    response = Client().get("/kk/councils/almaty/feed.rss")

    assert response.status_code == 200
    channel = ET.fromstring(response.content).find("channel")  # noqa: S314 - our own response
    assert channel.findtext("title").endswith("жаңалықтар")
    assert len(channel.findall("item")) == 1


@pytest.mark.parametrize("path", ["meetings.ics", "feed/", "feed.rss"])
def test_feeds_answer_conditional_requests_and_change_with_the_data(portal, path):
    url = f"/ru/councils/almaty/{path}"
    first = Client().get(url)
    etag, modified = first["ETag"], first["Last-Modified"]

    again = Client().get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304

    meeting = Meeting.objects.filter(council=portal.council).first()
    meeting.title = "Новое название"
    meeting.save()

    changed = Client().get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert modified


def test_feeds_of_unknown_councils_are_404(portal):
    for path in ("meetings.ics", "feed/", "feed.rss"):
        assert Client().get(f"/ru/councils/nowhere/{path}").status_code == 404


# ---- Atom (RFC 4287) and RSS: validity, HTML summaries, conditional requests ---------------------------------


def _news_with_markup(portal):
    """An answer whose text carries markup characters and two paragraphs, and a published report."""
    recommendation = Recommendation.objects.filter(council=portal.council, responses__isnull=False).first()
    RecommendationResponseFactory(
        recommendation=recommendation,
        received_on=dt.date(2019, 6, 1),
        text="Работы <b>начаты</b> & идут.\n\nСрок — «до 1 июля».",
    )
    ReportBuildFactory(
        council=portal.council, status=BuildStatus.DONE, is_published=True, file="reports/2020/almaty.pdf"
    )


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_atom_feed_is_valid_rfc_4287_and_parses_without_complaint(portal, language):
    _news_with_markup(portal)

    response = Client().get(f"/{language}/councils/almaty/feed/")

    assert atom_errors(response.content) == []
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.feed.author == portal.council.name
    assert parsed.feed.id.startswith("urn:uuid:")
    assert len(parsed.entries) == 3
    assert all(entry.get("author") for entry in parsed.entries)
    assert all(entry.id.startswith("urn:uuid:") for entry in parsed.entries)


def test_atom_summaries_are_escaped_html_in_paragraphs(portal):
    _news_with_markup(portal)

    root = ET.fromstring(Client().get("/ru/councils/almaty/feed/").content)  # noqa: S314 - our own response
    summaries = [entry.find(f"{ATOM}summary") for entry in root.findall(f"{ATOM}entry")]
    answer = next(s for s in summaries if "начаты" in s.text)

    assert answer.get("type") == "html"
    # The summary's text (XML-unescaped once) is HTML: paragraphs, and the answer's own "<b>" as text.
    assert answer.text.startswith("<p>Рекомендация: ")
    assert "<p>Ответ: Работы &lt;b&gt;начаты&lt;/b&gt; &amp; идут.</p>" in answer.text
    assert "<p>Срок — «до 1 июля».</p>" in answer.text
    assert "<b>" not in answer.text


def test_rss_feed_parses_without_complaint_with_html_descriptions(portal):
    _news_with_markup(portal)

    parsed = feedparser.parse(Client().get("/ru/councils/almaty/feed.rss").content)

    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "rss20"
    assert len(parsed.entries) == 3
    answer = next(e for e in parsed.entries if "начаты" in e.summary)
    assert "<p>" in answer.summary and "&lt;b&gt;начаты" in answer.summary
    assert all(entry.get("author") for entry in parsed.entries)


@pytest.mark.parametrize("path", ["feed/", "feed.rss", "meetings.ics"])
def test_echoing_the_advertised_last_modified_gives_304(portal, path):
    # The newest news item is of 2019 while the council's records changed today: the feed must advertise the
    # date it checks, not its newest entry's.
    Meeting.objects.filter(council=portal.council).first().save()
    url = f"/ru/councils/almaty/{path}"
    first = Client().get(url)

    again = Client().get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert first.status_code == 200
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]


def test_feed_ids_do_not_follow_the_site_address(portal, settings):
    _news_with_markup(portal)
    settings.SITE_URL = "https://old.example.kz"
    before = [e.id for e in feedparser.parse(Client().get("/ru/councils/almaty/feed/").content).entries]
    settings.SITE_URL = "https://new.example.kz"
    response = Client().get("/ru/councils/almaty/feed/", HTTP_HOST="127.0.0.1")
    after = [e.id for e in feedparser.parse(response.content).entries]

    assert before == after
