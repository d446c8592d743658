"""The work plan against its results: status rules, linking the records that fulfil an item, the public page."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from councils.models import WorkPlanItem, WorkPlanLink, WorkPlanStatus
from councils.plan import item_status, plan_execution, plan_figures
from tests import factories as f

D = dt.date


# ---- the rule, as of a day ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stored", "days", "as_of", "expected"),
    [
        # No record linked: the status set by hand stands.
        ("planned", [], D(2019, 6, 1), ("planned", None)),
        ("done", [], D(2019, 6, 1), ("done", None)),
        # Every linked record has taken place: done on the latest day.
        ("planned", [D(2019, 3, 1), D(2019, 5, 2)], D(2019, 6, 1), ("done", D(2019, 5, 2))),
        # One still to come (or undated): in progress, whatever was set by hand.
        ("done", [D(2019, 3, 1), D(2019, 9, 1)], D(2019, 6, 1), ("in_progress", None)),
        ("planned", [None], D(2019, 6, 1), ("in_progress", None)),
        # Postponed and cancelled are the council's decision: linked records do not undo them.
        ("postponed", [D(2019, 3, 1)], D(2019, 6, 1), ("postponed", None)),
        ("cancelled", [], D(2019, 6, 1), ("cancelled", None)),
    ],
)
def test_an_items_status_follows_from_its_records(stored, days, as_of, expected):
    status, done_on, _late = item_status(stored=stored, due_date=None, days=days, as_of=as_of)
    assert (status, done_on) == expected


def test_an_item_past_its_due_date_and_not_done_is_late_but_a_done_one_is_not():
    late = item_status(stored="planned", due_date=D(2019, 3, 31), days=[], as_of=D(2019, 12, 31))
    assert late == ("planned", None, True)
    on_time = item_status(stored="planned", due_date=D(2019, 3, 31), days=[D(2019, 3, 20)], as_of=D(2019, 12, 31))
    assert on_time == ("done", D(2019, 3, 20), False)
    not_yet = item_status(stored="planned", due_date=D(2019, 3, 31), days=[], as_of=D(2019, 3, 31))
    assert not_yet[2] is False


@pytest.mark.django_db
def test_a_closed_years_plan_is_reckoned_on_31_december_whatever_the_day_it_is_read():
    council = f.CouncilFactory()
    item = f.WorkPlanItemFactory(council=council, year=2019, due_date=D(2019, 12, 1))
    # The event that fulfils it took place only in February of the next year.
    event = f.MonitoringEventFactory(council=council, date=D(2020, 2, 10))
    WorkPlanLink.objects.create(item=item, kind="monitoring_event", object_id=event.pk)
    for today in (D(2020, 1, 5), D(2026, 12, 4)):
        [result] = plan_execution(council=council, year=2019, today=today)
        assert (result.status, result.done_on, result.late) == ("in_progress", None, True)
    # The 2020 reading of the same record, for the 2020 plan, sees it done.
    later = f.WorkPlanItemFactory(council=council, year=2020)
    WorkPlanLink.objects.create(item=later, kind="monitoring_event", object_id=event.pk)
    [result] = plan_execution(council=council, year=2020, today=D(2026, 12, 4))
    assert (result.status, result.done_on) == ("done", D(2020, 2, 10))


def test_figures_count_each_status_and_the_share_done_leaves_cancelled_items_out():
    from councils.plan import PlanItemResult

    item = WorkPlanItem(year=2019, number=1, activity="x")
    results = [
        PlanItemResult(item=item, status="done"),
        PlanItemResult(item=item, status="done"),
        PlanItemResult(item=item, status="planned", late=True),
        PlanItemResult(item=item, status="cancelled"),
    ]
    figures = plan_figures(results)
    assert (figures.items, figures.done, figures.planned, figures.cancelled, figures.late) == (4, 2, 1, 1, 1)
    assert figures.done_share == 67


# ---- the workspace -------------------------------------------------------------------------------------------


def _ws(name: str, **kwargs) -> str:
    return reverse(f"councils_ws:{name}", kwargs={"slug": "almaty", **kwargs})


@pytest.fixture
def secretary(personas):
    return personas.client_for(personas.secretary)


@pytest.mark.django_db
def test_a_secretary_marks_an_item_done_by_linking_the_monitoring_event_that_did_it(personas, secretary):
    item = f.WorkPlanItemFactory(council=personas.council, year=2019, activity="Мониторинг парков")
    event = f.MonitoringEventFactory(council=personas.council, date=D(2019, 4, 10), topic="Парки города")
    page = secretary.get(_ws("workplan_item", pk=item.pk))
    assert page.status_code == 200
    assert f"monitoring_event:{event.pk}" in page.content.decode()

    response = secretary.post(_ws("workplan_item", pk=item.pk), {"record": f"monitoring_event:{event.pk}"})
    assert response.status_code == 302
    page = secretary.get(_ws("workplan_item", pk=item.pk))
    assert page.context["result"].status == WorkPlanStatus.DONE
    assert page.context["result"].done_on == D(2019, 4, 10)
    assert "Парки города" in page.content.decode()

    link = WorkPlanLink.objects.get(item=item)
    assert secretary.post(_ws("workplan_unlink", pk=link.pk)).status_code == 302  # a stray post: nothing happens
    assert WorkPlanLink.objects.filter(item=item).exists()
    assert secretary.post(_ws("workplan_unlink", pk=link.pk), {"link": str(link.pk)}).status_code == 302
    assert not WorkPlanLink.objects.filter(item=item).exists()
    assert secretary.get(_ws("workplan_item", pk=item.pk)).context["result"].status == WorkPlanStatus.PLANNED


@pytest.mark.django_db
def test_a_record_of_another_council_cannot_be_linked(personas, secretary):
    item = f.WorkPlanItemFactory(council=personas.council, year=2019)
    foreign = f.MonitoringEventFactory(council=personas.other_council, date=D(2019, 4, 10))
    response = secretary.post(_ws("workplan_item", pk=item.pk), {"record": f"monitoring_event:{foreign.pk}"})
    assert response.status_code == 400
    assert response.context["form"].errors["record"]
    assert not WorkPlanLink.objects.exists()
    # Nor is another council's link removed through this council's address.
    other_item = f.WorkPlanItemFactory(council=personas.other_council, year=2019)
    other_link = WorkPlanLink.objects.create(item=other_item, kind="monitoring_event", object_id=foreign.pk)
    assert secretary.post(_ws("workplan_unlink", pk=other_link.pk), {"link": str(other_link.pk)}).status_code == 404
    assert WorkPlanLink.objects.filter(pk=other_link.pk).exists()


@pytest.mark.django_db
def test_postponing_an_item_asks_for_the_reason_and_keeps_what_was_typed(personas, secretary):
    item = f.WorkPlanItemFactory(council=personas.council, year=2019, number=3, activity="Круглый стол")
    data = {"year": "2019", "number": "3", "activity": "Круглый стол по транспорту", "status": "postponed"}
    response = secretary.post(_ws("workplan_edit", pk=item.pk), data)
    assert response.status_code == 400
    assert response.context["form"].errors["status_reason"]
    assert "Круглый стол по транспорту" in response.content.decode()
    data["status_reason"] = "Перенесено на 2020 год решением президиума"
    assert secretary.post(_ws("workplan_edit", pk=item.pk), data).status_code == 302
    item.refresh_from_db()
    assert (item.status, item.status_reason) == ("postponed", "Перенесено на 2020 год решением президиума")


@pytest.mark.django_db
def test_the_exported_plan_carries_the_status_that_follows_from_the_records(personas, secretary):
    item = f.WorkPlanItemFactory(council=personas.council, year=2019, activity="Слушания")
    hearing = f.PublicHearingFactory(council=personas.council, date=D(2019, 5, 20))
    WorkPlanLink.objects.create(item=item, kind="hearing", object_id=hearing.pk)
    response = secretary.get(_ws("workplan"), {"year": "2019", "format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "20.05.2019" in text or "2019-05-20" in text
    assert str(WorkPlanStatus.DONE.label) in text or "Выполнено" in text


# ---- the public page -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_public_plan_shows_each_items_status_and_links_only_public_records(client):
    council = f.CouncilFactory(slug="almaty")
    item = f.WorkPlanItemFactory(council=council, year=2019, number=1, activity="Заседание по бюджету")
    closed = f.MeetingFactory(council=council, date=D(2019, 5, 15), is_open=False, title="Кадровый вопрос")
    event = f.MonitoringEventFactory(council=council, date=D(2019, 4, 10))
    WorkPlanLink.objects.create(item=item, kind="meeting", object_id=closed.pk)
    WorkPlanLink.objects.create(item=item, kind="monitoring_event", object_id=event.pk)
    f.WorkPlanItemFactory(
        council=council, year=2019, number=2, activity="Форум", status="cancelled", status_reason="Карантин"
    )
    with time_machine.travel(D(2026, 12, 4), tick=False):
        page = client.get(
            reverse("reports:work_plan", kwargs={"slug": "almaty"}), {"year": "2019"}, HTTP_ACCEPT_LANGUAGE="ru"
        )
    html = page.content.decode()
    assert page.status_code == 200
    assert "Заседание по бюджету" in html and "Карантин" in html
    event_url = reverse("reports:monitoring_event", kwargs={"slug": "almaty", "pk": event.pk})
    assert f'href="{event_url}"' in html
    # The closed meeting is named by its kind and day, never by its title, and has no link.
    assert "Кадровый вопрос" not in html
    assert reverse("reports:meeting", kwargs={"slug": "almaty", "pk": closed.pk}) not in html
    figures = page.context["page"]["figures"]
    assert (figures.items, figures.done, figures.cancelled) == (2, 1, 1)


@pytest.mark.django_db
def test_another_councils_plan_is_not_shown_and_an_unpublished_council_is_404(client):
    council = f.CouncilFactory(slug="hidden", is_published=False)
    f.WorkPlanItemFactory(council=council, year=2019)
    assert client.get(reverse("reports:work_plan", kwargs={"slug": "hidden"})).status_code == 404
