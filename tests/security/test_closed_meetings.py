"""A closed meeting (is_open=False) is public only as a fact: its date, kind and body (and council). Nothing of
what it discussed reaches a public surface: not its title, goal, place or links, nor its agenda items' titles,
decisions, speakers, kinds or state bodies (the rule: `hearings.selectors.public_meeting`).

Every field of the closed meeting and of its agenda carries the marker `SECRET7Q`; every surface is read in full
and must not contain it, while the surfaces that list meetings still show the closed meeting's date, kind and body.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext
from docx import Document

from alerts.digest import subscription_digest_queue
from alerts.models import Subscription
from alerts.services import subscription_confirm, subscription_subscribe
from councils.models import BodyKind, Council, StateBody
from hearings.models import AgendaItemKind, Meeting, MeetingKind
from reports.annual import month_list
from reports.rendering import render_html
from reports.rendering_docx import render_report_docx
from reports.search import search_council
from tests import factories as f

pytestmark = pytest.mark.django_db

MARKER = "SECRET7Q"
DAY = dt.date(2019, 10, 2)
PRESIDIUM = "Президиум совета"


@dataclass
class World:
    council: Council
    closed: Meeting
    open: Meeting
    secret_body: StateBody  # concerned only by the closed meeting's agenda
    police: StateBody  # concerned by the open meeting's agenda


def closed_meeting(council: Council, *, date: dt.date, body=None, kind=MeetingKind.PRESIDIUM, state_body=None):
    """A closed meeting whose every field but its date, kind and body carries the marker, with two agenda items
    (one of a kind no open meeting has, on a state body no open meeting heard)."""
    meeting = f.MeetingFactory(
        council=council,
        kind=kind,
        body=body,
        date=date,
        is_open=False,
        title=f"{MARKER} title",
        goal=f"{MARKER} goal",
        place=f"{MARKER} place",
        attendance=11,
        links=[{"url": f"https://example.kz/{MARKER}", "title": f"{MARKER} link"}],
    )
    f.AgendaItemFactory(
        meeting=meeting,
        number=1,
        title=f"{MARKER} agenda title",
        kind=AgendaItemKind.DRAFT_REVIEW,
        state_body=state_body,
        speakers=f"{MARKER} speaker",
        decision=f"{MARKER} decision",
        links=[f"https://example.kz/{MARKER}/item"],
    )
    f.AgendaItemFactory(meeting=meeting, number=2, title=f"Второй вопрос {MARKER}", kind=AgendaItemKind.REPORT_HEARING)
    return meeting


@pytest.fixture
def world(db, settings) -> World:
    settings.OPEN_API_CACHE_SECONDS = 0
    council = f.CouncilFactory(slug="almaty", name="Общественный совет города Алматы")
    convocation = f.ConvocationFactory(council=council, number=2, name="II состав", start_date=dt.date(2019, 3, 1))
    presidium = f.BodyFactory(convocation=convocation, kind=BodyKind.PRESIDIUM, name=PRESIDIUM, key="presidium")
    secret_body = f.StateBodyFactory(slug="secret-body", name="Управление внутренней безопасности")
    police = f.StateBodyFactory(slug="almaty-police", name="Департамент полиции г. Алматы")
    closed = closed_meeting(council, date=DAY, body=presidium, state_body=secret_body)
    opened = f.MeetingFactory(council=council, kind=MeetingKind.COUNCIL, date=dt.date(2019, 5, 15), title="Открытое")
    f.AgendaItemFactory(
        meeting=opened,
        number=1,
        title="Отчёт департамента полиции",
        kind=AgendaItemKind.REPORT_HEARING,
        state_body=police,
        decision="Принять к сведению",
    )
    return World(council=council, closed=closed, open=opened, secret_body=secret_body, police=police)


def api(path: str, **params):
    response = Client().get(f"/api/v1/{path}", params)
    assert response.status_code == 200, response.content
    return response


# ---- the open API ------------------------------------------------------------------------------------------------


def test_closed_meeting_agenda_never_in_open_api_detail(world):
    response = api(f"meetings/{world.closed.pk}/")

    assert MARKER not in response.content.decode()
    data = response.json()
    assert (data["date"], data["kind"], data["body"]["name"]) == ("2019-10-02", "presidium", PRESIDIUM)
    assert (data["council"], data["is_open"]) == ("almaty", False)
    assert data["agenda_items"] == []
    assert (data["title"], data["goal"], data["place"], data["links"], data["attendance"]) == ("", "", "", [], None)


def test_closed_meeting_agenda_never_in_open_api_list(world):
    response = api("meetings/", page_size=100)

    assert MARKER not in response.content.decode()
    rows = {row["id"]: row for row in response.json()["results"]}
    assert rows[world.closed.pk]["date"] == "2019-10-02"
    assert rows[world.closed.pk]["body"]["name"] == PRESIDIUM
    assert rows[world.open.pk]["agenda_items"][0]["title"] == "Отчёт департамента полиции"


def test_closed_meeting_agenda_never_in_open_api_csv(world):
    response = api("meetings/", format="csv", page_size=100)

    text = b"".join(response.streaming_content).decode("utf-8-sig")  # a whole-list download is streamed
    assert MARKER not in text
    rows = list(csv.DictReader(io.StringIO(text)))
    closed = next(row for row in rows if row["id"] == str(world.closed.pk))
    assert (closed["date"], closed["kind"], closed["body.name"]) == ("2019-10-02", "presidium", PRESIDIUM)


def test_state_body_filter_does_not_reveal_a_closed_meetings_agenda(world):
    assert api("meetings/", state_body="secret-body").json()["results"] == []
    assert [row["id"] for row in api("meetings/", state_body="almaty-police").json()["results"]] == [world.open.pk]


def test_agenda_kind_filter_does_not_reveal_a_closed_meetings_agenda(world):
    # Only the closed meeting has a draft review on its agenda; both have a report heard.
    assert api("meetings/", agenda_kind=AgendaItemKind.DRAFT_REVIEW).json()["results"] == []
    found = api("meetings/", agenda_kind=AgendaItemKind.REPORT_HEARING).json()["results"]
    assert [row["id"] for row in found] == [world.open.pk]


def test_the_schema_says_a_closed_meeting_has_no_agenda(world):
    schema = Client().get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    meeting = json.loads(schema.content)["components"]["schemas"]["Meeting"]

    assert "closed meeting" in meeting["description"]
    assert "closed meeting" in meeting["properties"]["agenda_items"]["description"]


# ---- the alert digests ---------------------------------------------------------------------------------------------

TODAY = dt.date(2024, 6, 10)


def confirmed(django_capture_on_commit_callbacks, **target) -> Subscription:
    with django_capture_on_commit_callbacks(execute=True):
        subscription = subscription_subscribe(email="reader@example.kz", frequency="daily", language="ru", **target)
    signed = mail.outbox[-1].body.split("/alerts/confirm/")[1].split()[0].strip("/")
    subscription = subscription_confirm(signed=signed)
    mail.outbox.clear()
    return subscription


def digest(django_capture_on_commit_callbacks, subscription: Subscription) -> list:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        subscription_digest_queue(subscription_id=subscription.pk, today=TODAY)
    return list(mail.outbox)


def test_closed_meeting_agenda_never_in_a_councils_digest(world, django_capture_on_commit_callbacks):
    subscription = confirmed(django_capture_on_commit_callbacks, council=world.council)
    closed_meeting(world.council, date=dt.date(2024, 6, 7), body=world.closed.body, state_body=world.secret_body)

    mails = digest(django_capture_on_commit_callbacks, subscription)

    assert len(mails) == 1
    assert MARKER not in mails[0].body + mails[0].subject
    with translation.override("ru"):
        assert f"07.06.2024 {MeetingKind.PRESIDIUM.label}" in mails[0].body


def test_a_closed_meeting_is_not_told_to_the_subscribers_of_a_state_body_on_its_agenda(
    world, django_capture_on_commit_callbacks
):
    subscription = confirmed(django_capture_on_commit_callbacks, state_body=world.secret_body)
    closed_meeting(world.council, date=dt.date(2024, 6, 7), body=world.closed.body, state_body=world.secret_body)
    heard = f.MeetingFactory(council=world.council, date=dt.date(2024, 6, 5), title="Открытое заседание о безопасности")
    f.AgendaItemFactory(meeting=heard, number=1, state_body=world.secret_body)

    mails = digest(django_capture_on_commit_callbacks, subscription)

    assert len(mails) == 1
    assert "Открытое заседание о безопасности" in mails[0].body
    assert MARKER not in mails[0].body
    assert "07.06.2024" not in mails[0].body  # the closed meeting is not told at all: that would tell its agenda


# ---- the annual report (the HTML the PDF and the DOCX are made from) ------------------------------------------------


def test_closed_meeting_agenda_never_in_the_annual_report(world):
    round_table = closed_meeting(world.council, date=dt.date(2019, 11, 20), kind=MeetingKind.ROUND_TABLE)
    working = closed_meeting(world.council, date=dt.date(2019, 12, 3), kind=MeetingKind.WORKING)

    html = render_html(council=world.council, year=2019, language="ru")

    assert MARKER not in html
    assert "Отчёт департамента полиции" in html  # the open meeting's agenda is listed
    assert round_table.date.strftime("%d.%m.%Y") in html  # the closed round table is named by its date
    assert working.date.strftime("%d.%m.%Y") in html
    with translation.override("ru"):
        # The counts of meetings stay: one presidium meeting (the closed one), in October.
        held = gettext("Presidium meetings held: %(n)s (%(months)s). Questions discussed:")
        assert held % {"n": 1, "months": month_list([10])} in html


def test_closed_meeting_agenda_never_in_the_docx_report(world):
    _name, _type, content = render_report_docx(council=world.council, year=2019, language="ru")

    document = Document(io.BytesIO(content))
    text = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    assert MARKER not in text
    assert "Отчёт департамента полиции" in text


# ---- the public pages, the iCalendar feed and the search -----------------------------------------------------------


def test_closed_meeting_agenda_never_on_the_meeting_page(world):
    response = Client().get(f"/ru/councils/almaty/meetings/{world.closed.pk}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert MARKER not in html
    assert PRESIDIUM in html
    assert "2019-10-02" in html  # <time datetime=...>
    with translation.override("ru"):
        assert str(MeetingKind.PRESIDIUM.label) in html


def test_closed_meeting_agenda_never_in_the_meeting_calendar(world):
    html = Client().get("/ru/councils/almaty/meetings/", {"year": 2019}).content.decode()

    assert MARKER not in html
    assert f'href="/ru/councils/almaty/meetings/{world.closed.pk}/"' in html
    assert PRESIDIUM in html
    assert "Отчёт департамента полиции" in html


def test_closed_meeting_agenda_never_in_the_ical_feed(world):
    response = Client().get("/ru/councils/almaty/meetings.ics")

    text = response.content.decode().replace("\r\n ", "")  # unfold the folded lines
    assert MARKER not in text
    assert "DTSTART;VALUE=DATE:20191002" in text
    assert PRESIDIUM in text


def test_closed_meeting_agenda_never_found_by_search(world):
    for word in (MARKER, "title", "decision", "speaker"):
        results = search_council(council=world.council, q=f"{MARKER} {word}")
        assert next(group for group in results.groups if group.kind == "meetings").hits == []
    html = Client().get("/ru/councils/almaty/search/", {"q": f"{MARKER} decision"}).content.decode()
    assert f"/meetings/{world.closed.pk}/" not in html
    assert f"{MARKER} decision</" not in html  # named only where the page repeats the question


def test_a_recommendation_on_a_closed_item_does_not_name_the_item(world):
    item = world.closed.agenda_items.get(number=1)
    f.RecommendationFactory(
        council=world.council,
        state_body=world.secret_body,
        text="Усилить контроль",
        source_type=ContentType.objects.get_for_model(item),
        source_id=item.pk,
    )

    html = Client().get("/ru/councils/almaty/recommendations/", {"year": 2019}).content.decode()

    assert "Усилить контроль" in html  # the recommendation itself is public
    assert MARKER not in html


def test_closing_a_meeting_takes_its_agenda_out_of_the_cached_open_api_at_once(
    world, settings, django_capture_on_commit_callbacks
):
    # The open API keeps answers for a minute; a meeting closed after its answer was cached must not be served
    # from that copy.
    from django.core.cache import cache

    cache.clear()
    settings.OPEN_API_CACHE_SECONDS = 60
    assert "Отчёт департамента полиции" in api(f"meetings/{world.open.pk}/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        world.open.is_open = False
        world.open.save()

    assert "Отчёт департамента полиции" not in api(f"meetings/{world.open.pk}/").content.decode()
    assert "Отчёт департамента полиции" not in api("meetings/", page_size=100).content.decode()
