"""A council with a little of everything the public pages show, built with the shared factories.

`fill_council(council, copies=n)` adds n sets of records, so a test can compare query counts for small and
larger data. Every set carries personal data that must never reach a public page: members' e-mail and phone,
and an appeal with its applicant's name, e-mail and a word that the search must not find there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache

from councils.models import Affiliation, BodyKind, BodyRole, Council, MemberRole
from hearings.models import MeetingKind
from monitoring.models import DraftConclusion, LinkKind, ParticipantKind, RecommendationStatus
from tests.factories import (
    AgendaItemFactory,
    AppealFactory,
    BodyFactory,
    BodyMembershipFactory,
    ConsultativeSeatFactory,
    ConvocationFactory,
    CouncilFactory,
    DraftActReviewFactory,
    ExpertAppointmentFactory,
    MeetingFactory,
    MembershipFactory,
    MonitoringEventFactory,
    MonitoringParticipantFactory,
    PersonFactory,
    PublicHearingFactory,
    PublicityLinkFactory,
    RecommendationFactory,
    RecommendationResponseFactory,
    StateBodyFactory,
)

SECRET_NAME = "Секретова Айгерим Заявителевна"
SECRET_EMAIL = "secret.applicant@example.kz"
MEMBER_EMAIL = "chair.private@example.kz"
MEMBER_PHONE = "+7 701 555 12 34"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The page cache lives in process memory: every test starts without it."""
    cache.clear()
    yield
    cache.clear()


@dataclass
class Portal:
    council: Council
    other: Council


def _source(record) -> dict:
    return {"source_type": ContentType.objects.get_for_model(record), "source_id": record.pk}


def fill_council(council: Council, *, copies: int = 1, year: int = 2019) -> None:
    """`copies` sets of members, bodies, meetings, monitoring, hearings, draft reviews, recommendations (one
    answered, one overdue, one draft) and appeals for the council's `year`."""
    convocation = council.convocations.order_by("number").first() or ConvocationFactory(
        council=council, number=2, name="II состав", start_date=dt.date(year, 3, 1)
    )
    for n in range(copies):
        chair = PersonFactory(
            council=council,
            full_name=f"Инкарбеков Улан {n}",
            email=MEMBER_EMAIL if n == 0 else f"member{n}@example.kz",
            phone=MEMBER_PHONE,
        )
        MembershipFactory(convocation=convocation, person=chair, role=MemberRole.CHAIR if n == 0 else MemberRole.MEMBER)
        MembershipFactory(convocation=convocation, affiliation=Affiliation.STATE_BODY)
        ExpertAppointmentFactory(council=convocation.council, person__full_name=f"Эксперт Советов {n}")
        commission = BodyFactory(convocation=convocation, kind=BodyKind.COMMISSION, name=f"Комиссия по экологии {n}")
        BodyMembershipFactory(body=commission, person=chair, role=BodyRole.CHAIR)
        BodyMembershipFactory(body=commission)
        ConsultativeSeatFactory(
            council=council,
            person=chair,
            body_name=f"Комиссия по вопросам благоустройства № {n} при акимате города Алматы",
            start_date=dt.date(year, 4, 1),
        )

        body = StateBodyFactory(name=f"Управление зелёной экономики {n}")
        meeting = MeetingFactory(
            council=council,
            kind=MeetingKind.COUNCIL,
            date=dt.date(year, 5, 15 + n),
            title=f"Заседание совета № {n}",
            place="Акимат, зал 1; 3-й этаж",
        )
        item = AgendaItemFactory(
            meeting=meeting,
            number=1,
            title="Заслушивание отчёта об озеленении",
            decision="Принять к сведению, направить рекомендации",
            state_body=body,
        )
        MeetingFactory(council=council, kind=MeetingKind.PRESIDIUM, date=dt.date(year, 10, 2 + n), is_open=False)
        event = MonitoringEventFactory(
            council=council,
            topic="Общественный мониторинг зоопарка" if n == 0 else f"Мониторинг парков № {n}",
            date=dt.date(year, 4, 10 + n),
            commission=commission,
            findings="Вольеры зоопарка требуют ремонта; <b>не экранировано</b>",
            results="Управление приняло план ремонта",
        )
        MonitoringParticipantFactory(event=event, person=chair, name="", kind=ParticipantKind.MEMBER)
        MonitoringParticipantFactory(event=event, name="Активист Внешний", kind=ParticipantKind.OUTSIDER)
        PublicityLinkFactory(event=event, url="https://www.facebook.com/almatykenes/", kind=LinkKind.FACEBOOK)
        hearing = PublicHearingFactory(
            council=council,
            topic=f"Слушания по генеральному плану № {n}",
            date=dt.date(year, 9, 20),
            organiser=commission,
            resolution="Рекомендовать акимату пересмотреть проект",
        )
        DraftActReviewFactory.create_batch(
            2, council=council, discussion_start=dt.date(year, 3, 1), developer=body, title="Проект постановления"
        )
        DraftActReviewFactory(
            council=council,
            discussion_start=dt.date(year, 6, 1),
            conclusion=DraftConclusion.APPROVED_WITH_REMARKS,
            remarks="Уточнить сроки",
        )
        answered = RecommendationFactory(
            council=council,
            state_body=body,
            text=f"Отремонтировать вольеры № {n}",
            issued_on=dt.date(year, 4, 20),
            sent_on=dt.date(year, 4, 22),
            response_due=dt.date(year, 5, 8),
            status=RecommendationStatus.ANSWERED,
            **_source(event),
        )
        RecommendationResponseFactory(
            recommendation=answered, received_on=dt.date(year, 5, 6), text="Ремонт вольеров включён в план"
        )
        RecommendationFactory(
            council=council,
            state_body=body,
            text=f"Пересмотреть генеральный план № {n}",
            issued_on=dt.date(year, 9, 25),
            sent_on=dt.date(year, 9, 26),
            response_due=dt.date(year, 10, 10),
            status=RecommendationStatus.SENT,
            **_source(hearing),
        )
        RecommendationFactory(
            council=council,
            state_body=body,
            text=f"Озеленить дворы № {n}",
            issued_on=dt.date(year, 5, 20),
            sent_on=dt.date(year, 5, 21),
            response_due=dt.date(year, 6, 5),
            status=RecommendationStatus.IN_PROGRESS,
            **_source(item),
        )
        RecommendationFactory(
            council=council,
            state_body=body,
            text=f"Черновик рекомендации, не для публики № {n}",
            issued_on=dt.date(year, 6, 1),
            sent_on=None,
            response_due=None,
            status=RecommendationStatus.DRAFT,
        )
        appeal = AppealFactory(
            council=council,
            applicant_name=SECRET_NAME,
            email=SECRET_EMAIL,
            subject="Жалоба на зоопарк",
            text="Прошу проверить зоопарк, мой телефон +7 777 000 00 00",
        )
        RecommendationFactory(
            council=council,
            state_body=body,
            text=f"Рекомендация по обращению № {n}",
            issued_on=dt.date(year, 7, 1),
            sent_on=dt.date(year, 7, 2),
            response_due=dt.date(year, 7, 16),
            status=RecommendationStatus.SENT,
            **_source(appeal),
        )


@pytest.fixture
def portal(db) -> Portal:
    council = CouncilFactory(
        slug="almaty", code="ALM", name="Общественный совет города Алматы", short_name="ОС г. Алматы", city="Алматы"
    )
    other = CouncilFactory(slug="karaganda", code="KRG", name="Общественный совет Караганды", city="Караганда")
    fill_council(council)
    return Portal(council=council, other=other)
