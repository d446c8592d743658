"""The council's dashboard: meetings of the next 30 days, what is overdue (recommendations, information requests,
appeals overdue and due soon), and this year's figures against last year's, in a bounded number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from appeals.models import AppealStatus
from core.dashboard import dashboard_context
from hearings.models import MeetingKind
from monitoring import services
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 6, 10)  # a Tuesday


def _recommendation(council, *, issued_on, sent_on=None, answered_on=None):
    rec = services.recommendation_create(
        council=council, text="Текст", state_body=f.StateBodyFactory(), issued_on=issued_on, by=None
    )
    if sent_on:
        services.recommendation_send(recommendation=rec, sent_on=sent_on, by=None)
    if answered_on:
        services.recommendation_record_response(recommendation=rec, received_on=answered_on, text="Ответ", by=None)
    return rec


def _world(personas) -> None:
    council, other = personas.council, personas.other_council
    for day in (dt.date(2025, 6, 9), TODAY, dt.date(2025, 7, 10), dt.date(2025, 7, 11)):
        f.MeetingFactory(council=council, date=day, kind=MeetingKind.COUNCIL)
    f.MeetingFactory(council=council, date=dt.date(2024, 5, 15), kind=MeetingKind.COUNCIL)
    f.MeetingFactory(council=other, date=TODAY)

    _recommendation(council, issued_on=dt.date(2025, 3, 17), sent_on=dt.date(2025, 3, 19))  # overdue
    _recommendation(
        council, issued_on=dt.date(2025, 3, 17), sent_on=dt.date(2025, 3, 19), answered_on=dt.date(2025, 4, 1)
    )
    _recommendation(council, issued_on=dt.date(2025, 6, 2))  # a draft
    _recommendation(council, issued_on=dt.date(2024, 10, 1))
    _recommendation(other, issued_on=dt.date(2025, 3, 17), sent_on=dt.date(2025, 3, 19))

    request = services.information_request_create(
        council=council, subject="Запрос", text="Текст", organisation="ТОО «Алматы Су»", by=None
    )
    services.information_request_send(information_request=request, sent_on=dt.date(2025, 2, 3), by=None)

    f.AppealFactory(council=council, due_date=dt.date(2025, 6, 2))  # overdue
    f.AppealFactory(council=council, due_date=dt.date(2025, 6, 12))  # due within 3 working days
    f.AppealFactory(council=council, due_date=dt.date(2025, 6, 30))
    f.AppealFactory(council=council, due_date=dt.date(2025, 6, 2), status=AppealStatus.CLOSED)
    f.AppealFactory(council=other, due_date=dt.date(2025, 6, 2))


def test_dashboard_figures(personas):
    _world(personas)
    with translation.override("en"):
        context = dashboard_context(council=personas.council, today=TODAY)
    assert [m.date for m in context["meetings"]] == [TODAY, dt.date(2025, 7, 10)]
    assert context["overdue_recommendations_count"] == 1
    assert context["overdue_requests_count"] == 1
    assert context["overdue_requests"][0].subject == "Запрос"
    assert (context["appeals_overdue"], context["appeals_due_soon"]) == (1, 1)
    figures = {figure.label: figure for figure in context["figures"]}
    assert (figures["Council meetings"].this_year, figures["Council meetings"].last_year) == (4, 1)
    assert (figures["Recommendations issued"].this_year, figures["Recommendations issued"].last_year) == (3, 1)
    assert figures["Recommendations answered"].this_year == 1
    assert figures["Appeals"].this_year == 0  # the factory's appeals are registered in 2019


def _dashboard_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_dashboard_page_is_bounded_and_links_to_the_overdue_lists(personas):
    client = personas.client_for(personas.secretary)
    with translation.override("en"):
        url = reverse("workspace:dashboard", kwargs={"slug": personas.council.slug})
        inbox = reverse("appeals_staff:inbox", kwargs={"slug": personas.council.slug})
    today = timezone.localdate()
    few = _dashboard_queries(client, url)
    for i in range(15):
        f.MeetingFactory(council=personas.council, date=today + dt.timedelta(days=i % 20))
        f.AppealFactory(council=personas.council, due_date=today - dt.timedelta(days=1))
        _recommendation(personas.council, issued_on=dt.date(2025, 3, 17), sent_on=dt.date(2025, 3, 19))
    assert _dashboard_queries(client, url) == few

    page = client.get(url)
    html = page.content.decode()
    assert f'href="{inbox}?overdue=1"' in html
    assert page.context["appeals_overdue"] == 15
    assert page.context["overdue_recommendations_count"] == 15
    assert len(page.context["overdue_recommendations"]) == 10


def test_members_see_the_dashboard_and_other_councils_do_not(personas):
    with translation.override("en"):
        url = reverse("workspace:dashboard", kwargs={"slug": personas.council.slug})
    assert personas.client_for(personas.member).get(url).status_code == 200
    assert personas.client_for(personas.other_secretary).get(url).status_code == 404


def test_each_app_adds_its_own_dashboard_panel_and_a_clash_is_refused():
    from django.core.exceptions import ImproperlyConfigured

    from core import dashboard

    # Registered by the apps' AppConfig.ready(), in the order of INSTALLED_APPS: councils names none of them.
    assert dashboard.registered_panels() == [
        "councils",
        "hearings",
        "monitoring",
        "appeals",
        "news",
        "deputies",
        "stakeholders",
        "reports",
        "participation",
    ]
    with pytest.raises(ImproperlyConfigured):
        dashboard.register_panel("appeals", lambda **kwargs: {})


def test_the_plan_items_due_this_month_and_not_done_are_on_the_dashboard(personas):
    council = personas.council
    late = f.WorkPlanItemFactory(
        council=council, year=2025, number=1, activity="Отчёт акимата", due_date=dt.date(2025, 5, 31)
    )
    due = f.WorkPlanItemFactory(
        council=council, year=2025, number=2, activity="Мониторинг парков", due_date=dt.date(2025, 6, 30)
    )
    done = f.WorkPlanItemFactory(council=council, year=2025, number=3, due_date=dt.date(2025, 6, 1))
    event = f.MonitoringEventFactory(council=council, date=dt.date(2025, 5, 20))
    done.links.create(kind="monitoring_event", object_id=event.pk)
    f.WorkPlanItemFactory(council=council, year=2025, number=4, due_date=dt.date(2025, 7, 31))  # next month
    f.WorkPlanItemFactory(
        council=council, year=2025, number=5, due_date=dt.date(2025, 6, 5), status="cancelled", status_reason="Отменено"
    )
    f.WorkPlanItemFactory(council=personas.other_council, year=2025, number=1, due_date=dt.date(2025, 6, 5))
    context = dashboard_context(council=council, today=TODAY)
    assert [(r.item.pk, r.late) for r in context["plan_due"]] == [(late.pk, True), (due.pk, False)]
    assert context["plan_due_count"] == 2


def test_the_headline_figures_are_the_year_statistics_own_in_a_quarter_of_the_queries(personas):
    # The dashboard computed the whole year's statistics twice (29 queries each, ~125 ms at any scale) for nine
    # figures; now the same selectors for just those: the same numbers, this year as of today and last year as of
    # its 31 December.
    from reports.dashboard import figures_panel
    from reports.selectors import council_year_stats

    _world(personas)
    f.AppealFactory(council=personas.council, registered_at=dt.datetime(2024, 11, 5, 10, tzinfo=dt.UTC))
    with CaptureQueriesContext(connection) as queries, translation.override("en"):
        panel = figures_panel(council=personas.council, today=TODAY)
    assert len(queries) <= 16
    for year, column in ((2025, "this_year"), (2024, "last_year")):
        stats = council_year_stats(council=personas.council, year=year, today=TODAY)
        expected = {
            "Council meetings": stats.meetings.get("council", 0),
            "All meetings": sum(stats.meetings.values()),
            "Public hearings": stats.hearings,
            "Public monitoring": stats.monitoring.total,
            "Draft acts reviewed": stats.draft_acts["reviewed"],
            "Recommendations issued": stats.recommendations.total,
            "Recommendations answered": stats.recommendations.answered,
            "Appeals": stats.appeals.total,
            "Memoranda signed": stats.memoranda,
        }
        shown = {figure.label: getattr(figure, column) for figure in panel["figures"]}
        assert shown == expected, year
    assert panel["last_year_as_of"] == dt.date(2024, 12, 31)
