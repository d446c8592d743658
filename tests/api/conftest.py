"""Records for the open API's tests: a published council with some of everything, and an unpublished one."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.utils import timezone

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
        hearing = f.PublicHearingFactory(council=council, date=day, organiser=body)
        # A published comment from the public on it (participation/), its author private.
        hearing.public_comments.create(
            council=council,
            number=hearing.pk,
            author_name="Гражданин",
            email="citizen@example.kz",
            text="Прошу учесть шум",
            status="published",
        )
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
        item = f.WorkPlanItemFactory(council=council, year=year, due_date=day)
        item.links.create(kind="monitoring_event", object_id=event.pk)
        item.links.create(kind="meeting", object_id=meeting.pk)
        memorandum = f.MemorandumFactory(
            council=council, signed_on=day, valid_until=day + dt.timedelta(days=365), terminated_on=day
        )
        memorandum.other_parties.add(f.PartnerFactory(council=council))
        memorandum.commitments.create(text="Совместный мониторинг", owner="Совет", due_date=day, done_on=day)
        document = f.DocumentFactory(council=council, published_on=day)
        training = f.TrainingFactory(council=council, date=day, end_date=day + dt.timedelta(days=1))
        training.materials.add(document)
        training.partners.add(f.PartnerFactory(council=council))
        reception = council.receptions.create(
            host=membership.person,
            starts_at=dt.datetime(day.year, day.month, day.day, 10, tzinfo=dt.UTC),
            place="Дом дружбы, каб. 5",
            topics="Экология",
        )
        reception.bookings.create(
            slot=1,
            category="other",
            status="visited",
            outcome="advice",
            name="Посетитель",
            email="v@example.kz",
            cancel_token=secrets.token_urlsafe(16),
        )
        news_item = f.NewsItemFactory(council=council, publish_at=timezone.make_aware(dt.datetime(year, 5, 15, 10)))
        news_item.links.create(kind="meeting", object_id=meeting.pk)
        f.MediaPublicationFactory(item=news_item, published_on=day)


def _deputies() -> None:
    """A maslikhat with deputies, one ended mandate, a published session with attendance and a roll call
    (deputies/), so that its open-data lists have rows in every column."""
    import datetime as dt

    from deputies import services
    from tests.deputies.world import build

    dw = build()
    session = services.session_record(
        monitor=dw.ngo,
        user=dw.monitor,
        data=services.SessionData(body=dw.body, number=1, date=dt.date(2024, 4, 25), source_url="https://m.kz/1"),
        attendance={dw.ivanova.pk: "present", dw.seitkali.pk: "absent"},
    )
    services.vote_record(session=session, motion="О бюджете", ballots={dw.ivanova.pk: "yes", dw.listed.pk: "no"})
    services.record_publish(record=session, reviewer=dw.reviewer)
    services.mandate_end(mandate=dw.seitkali.mandates.get(), end_date=dt.date(2024, 5, 31), reason="resignation")


@pytest.fixture
def world(db) -> World:
    police = f.StateBodyFactory(slug="almaty-police", name="Департамент полиции г. Алматы")
    akimat = f.StateBodyFactory(slug="almaty-akimat", name="Акимат г. Алматы")
    council = f.CouncilFactory(slug="almaty", code="ALM", name="Общественный совет города Алматы")
    hidden = f.CouncilFactory(slug="hidden", code="HID", name="Неопубликованный совет", is_published=False)
    fill(council, n=2, state_body=police)
    fill(hidden, n=1, state_body=police)
    _deputies()
    return World(council=council, hidden=hidden, police=police, akimat=akimat)
