"""Every workspace list exports its filtered rows as CSV and XLSX, and every list costs the same number of queries
whatever the number of rows; the whole year exports as a council-activity file."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import translation

from councils.models import BodyRole, MemberRole
from hearings.models import MeetingKind
from monitoring.models import ParticipantKind
from tests import factories as f


def body_of(response) -> bytes:
    """The whole body, streamed (exports are: councils.workspace.export_response) or not."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


pytestmark = pytest.mark.django_db


@dataclass
class Rows:
    """Makes the n-th row of a list in the first council, with what its page shows (bodies, people, links)."""

    personas: Any

    @property
    def council(self):
        return self.personas.council

    @property
    def convocation(self):
        return self.council.convocations.get()

    def body(self, i: int):
        return f.BodyFactory(council=self.council, convocation=self.convocation, name=f"Комиссия {i}")

    def meeting(self, i: int) -> None:
        meeting = f.MeetingFactory(
            council=self.council,
            kind=MeetingKind.COMMISSION,
            body=self.body(i),
            date=dt.date(2019, 1, 1) + dt.timedelta(days=i),
            title=f"Заседание {i}",
        )
        f.AgendaItemFactory(meeting=meeting, state_body=f.StateBodyFactory())
        f.AgendaItemFactory(meeting=meeting)

    def hearing(self, i: int) -> None:
        f.PublicHearingFactory(
            council=self.council, organiser=self.body(i), topic=f"Слушания {i}", links=["https://a.kz"]
        )

    def event(self, i: int) -> None:
        event = f.MonitoringEventFactory(council=self.council, commission=self.body(i), topic=f"Мониторинг {i}")
        person = f.PersonFactory(council=self.council)
        f.MonitoringParticipantFactory(event=event, person=person, name="", kind=ParticipantKind.MEMBER)
        f.MonitoringParticipantFactory(event=event, name="Сторонний участник", kind=ParticipantKind.OUTSIDER)
        f.PublicityLinkFactory(event=event)

    def draft(self, i: int) -> None:
        f.DraftActReviewFactory(council=self.council, developer=f.StateBodyFactory(), title=f"Проект {i}")

    def member(self, i: int) -> None:
        membership = f.MembershipFactory(convocation=self.convocation, person__full_name=f"Член {i:03d}")
        f.BodyMembershipFactory(body=self.body(i), person=membership.person)

    def commission(self, i: int) -> None:
        body = self.body(i)
        membership = f.MembershipFactory(convocation=self.convocation)
        f.BodyMembershipFactory(body=body, person=membership.person, role=BodyRole.CHAIR)

    def work_plan_item(self, i: int) -> None:
        f.WorkPlanItemFactory(council=self.council, number=i + 1, activity=f"Мероприятие {i}")

    def memorandum(self, i: int) -> None:
        f.MemorandumFactory(council=self.council, title=f"Меморандум {i}")


# (URL name, the row maker, a filter that keeps every row made here, a text the first row's CSV line carries)
LISTS: list[tuple[str, Callable[[Rows, int], None], dict[str, str], str]] = [
    ("hearings_ws:meetings", Rows.meeting, {"kind": "commission", "year": "2019"}, "Заседание"),
    ("hearings_ws:hearings", Rows.hearing, {"year": "2019"}, "Слушания"),
    ("monitoring_ws:events", Rows.event, {"year": "2019"}, "Мониторинг"),
    ("monitoring_ws:drafts", Rows.draft, {"year": "2019"}, "Проект"),
    ("councils_ws:members", Rows.member, {"state": "current"}, "Член"),
    ("councils_ws:bodies", Rows.commission, {"kind": "commission"}, "Комиссия"),
    ("councils_ws:workplan", Rows.work_plan_item, {"year": "2019"}, "Мероприятие"),
    ("councils_ws:memoranda", Rows.memorandum, {"year": "2019"}, "Меморандум"),
]
IDS = [name for name, *_ in LISTS]


def _make(personas, maker, start: int, n: int) -> None:
    rows = Rows(personas)
    for i in range(start, start + n):
        maker(rows, i)


def _queries(client, url: str, params: dict) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(("name", "maker", "params", "text"), LISTS, ids=IDS)
def test_list_queries_do_not_grow_with_the_rows(personas, name, maker, params, text):
    client = personas.client_for(personas.secretary)
    url = reverse(name, kwargs={"slug": personas.council.slug})
    _make(personas, maker, 0, 3)
    formats = ("html", "csv", "xlsx")

    def count() -> dict[str, int]:
        return {fmt: _queries(client, url, {**params, **({} if fmt == "html" else {"format": fmt})}) for fmt in formats}

    few = count()
    _make(personas, maker, 3, 27)
    assert count() == few


@pytest.mark.parametrize(("name", "maker", "params", "text"), LISTS, ids=IDS)
def test_list_exports_csv_with_header_and_the_filtered_rows(personas, name, maker, params, text):
    client = personas.client_for(personas.secretary)
    url = reverse(name, kwargs={"slug": personas.council.slug})
    _make(personas, maker, 0, 3)
    response = client.get(url, {**params, "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'attachment; filename="almaty-' in response["Content-Disposition"]
    body = body_of(response).decode("utf-8")
    assert body.startswith("\ufeff")
    lines = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    view = resolve(url).func.view_class
    # The headers are in the language of the address (/ru/, /kk/, /en/).
    with translation.override(response["Content-Language"]):
        assert lines[0] == [str(label) for label, _get in view.export_columns]
    assert len(lines) == 1 + 3
    assert any(text in cell for cell in lines[1])


@pytest.mark.parametrize(("name", "maker", "params", "text"), LISTS, ids=IDS)
def test_list_exports_xlsx_that_opens(personas, name, maker, params, text):
    from openpyxl import load_workbook

    client = personas.client_for(personas.secretary)
    url = reverse(name, kwargs={"slug": personas.council.slug})
    _make(personas, maker, 0, 3)
    response = client.get(url, {**params, "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(body_of(response)), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + 3
    assert any(isinstance(cell, str) and text in cell for cell in rows[1])


def test_export_follows_the_filter(personas):
    client = personas.client_for(personas.secretary)
    f.MeetingFactory(council=personas.council, kind=MeetingKind.COUNCIL, title="Совет", date=dt.date(2019, 3, 1))
    f.MeetingFactory(council=personas.council, kind=MeetingKind.SEMINAR, title="Семинар", date=dt.date(2019, 4, 1))
    f.MeetingFactory(council=personas.other_council, kind=MeetingKind.SEMINAR, title="Чужой", date=dt.date(2019, 4, 1))
    url = reverse("hearings_ws:meetings", kwargs={"slug": "almaty"})
    body = body_of(client.get(url, {"kind": "seminar", "format": "csv"})).decode("utf-8")
    lines = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert len(lines) == 2
    assert "Семинар" in lines[1]
    assert "Чужой" not in body


def test_a_cell_that_looks_like_a_formula_is_exported_as_text(personas):
    client = personas.client_for(personas.secretary)
    f.MeetingFactory(council=personas.council, title='=HYPERLINK("http://evil")')
    body = body_of(client.get(reverse("hearings_ws:meetings", kwargs={"slug": "almaty"}), {"format": "csv"}))
    assert "'=HYPERLINK" in body.decode("utf-8")


def test_the_members_export_carries_no_contacts(personas):
    client = personas.client_for(personas.secretary)
    f.MembershipFactory(
        convocation=personas.council.convocations.get(),
        person__email="private@example.kz",
        person__phone="+7 777 000 11 22",
        role=MemberRole.MEMBER,
    )
    body = body_of(client.get(reverse("councils_ws:members", kwargs={"slug": "almaty"}), {"format": "csv"}))
    assert b"private@example.kz" not in body
    assert b"+7 777 000 11 22" not in body


# ---- the whole year ------------------------------------------------------------------------------------------


def test_the_year_exports_as_a_council_activity_file(personas):
    pytest.importorskip("interchange.selectors")
    from interchange.validation import FORMAT, validate_council_activity

    rows = Rows(personas)
    rows.meeting(1)
    rows.event(1)
    rows.member(1)
    member = personas.client_for(personas.member)  # read access is enough: no contacts, no applicant data
    response = member.get(reverse("councils_ws:year_export", kwargs={"slug": "almaty", "year": 2019}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == 'attachment; filename="almaty-2019.json"'
    data = json.loads(response.content)
    assert (data["format"], data["year"]) == (FORMAT, 2019)
    assert [m["title"] for m in data["meetings"]] == ["Заседание 1"]
    assert validate_council_activity(data) == []
    assert b"@example.kz" not in response.content


def test_a_year_without_a_convocation_says_there_is_nothing_to_export(personas):
    pytest.importorskip("interchange.selectors")
    client = personas.client_for(personas.secretary)
    response = client.get(reverse("councils_ws:year_export", kwargs={"slug": "almaty", "year": 2015}))
    assert response.status_code == 302
    assert response["Location"] == reverse("councils_ws:members", kwargs={"slug": "almaty"})
