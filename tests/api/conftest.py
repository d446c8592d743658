"""Records for the open API's tests: a published council with some of everything, and an unpublished one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.core.cache import cache

from councils.models import BodyKind, Council, StateBody
from monitoring import services as monitoring_services
from monitoring.models import RecommendationStatus
from reports.models import BuildStatus
from tests import factories as f


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    """Most tests change data between requests: the response cache is off for them (test_cache.py turns it on)."""
    settings.OPEN_API_CACHE_SECONDS = 0
    cache.clear()
    yield
    cache.clear()


@dataclass
class World:
    council: Council
    hidden: Council
    police: StateBody
    akimat: StateBody


def fill(council: Council, *, n: int, year: int = 2019, state_body: StateBody | None = None) -> None:
    """`n` records of every kind in `council`, each with children, so that a list has nested data to load."""
    state_body = state_body or f.StateBodyFactory()
    convocation = f.ConvocationFactory(council=council, start_date=dt.date(year, 1, 1))
    for i in range(n):
        day = dt.date(year, 1 + i % 12, 1 + i % 28)
        body = f.BodyFactory(convocation=convocation, kind=BodyKind.COMMISSION)
        membership = f.MembershipFactory(convocation=convocation)
        f.BodyMembershipFactory(body=body, person=membership.person)
        f.ConsultativeSeatFactory(council=council, person=membership.person, state_body=state_body, start_date=day)
        meeting = f.MeetingFactory(council=council, date=day, body=body)
        f.AgendaItemFactory(meeting=meeting, number=1, state_body=state_body)
        f.AgendaItemFactory(meeting=meeting, number=2)
        f.PublicHearingFactory(council=council, date=day, organiser=body)
        event = f.MonitoringEventFactory(council=council, date=day, commission=body)
        f.MonitoringParticipantFactory(event=event, person=membership.person, name="")
        f.MonitoringParticipantFactory(event=event)
        f.PublicityLinkFactory(event=event)
        f.DraftActReviewFactory(council=council, discussion_start=day, developer=state_body)
        recommendation = f.RecommendationFactory(council=council, issued_on=day, state_body=state_body)
        recommendation.history.create(status=RecommendationStatus.SENT, changed_on=day)
        f.RecommendationResponseFactory(recommendation=recommendation)
        request = monitoring_services.information_request_create(
            council=council, subject=f"Запрос {i}", text="Просим", state_body=state_body, by=None
        )
        monitoring_services.information_request_send(information_request=request, sent_on=day, by=None)
        monitoring_services.information_request_extend(
            information_request=request, reasons="Большой объём", notice_on=day, by=None
        )
        monitoring_services.information_request_record_response(
            information_request=request, received_on=day, text="Ответ", kind="answered", by=None
        )
        f.ReportBuildFactory(council=council, year=2000 + i, status=BuildStatus.DONE, is_published=True)


@pytest.fixture
def world(db) -> World:
    police = f.StateBodyFactory(slug="almaty-police", name="Департамент полиции г. Алматы")
    akimat = f.StateBodyFactory(slug="almaty-akimat", name="Акимат г. Алматы")
    council = f.CouncilFactory(slug="almaty", code="ALM", name="Общественный совет города Алматы")
    hidden = f.CouncilFactory(slug="hidden", code="HID", name="Неопубликованный совет", is_published=False)
    fill(council, n=2, state_body=police)
    fill(hidden, n=1, state_body=police)
    return World(council=council, hidden=hidden, police=police, akimat=akimat)
