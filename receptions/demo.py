"""The Almaty demo's receptions of citizens (`manage.py load_demo_receptions`, run by `make run` after
`load_demo`): a schedule around today, since a reception page shows what is to come. Three receptions held in the
last two months, each with its visitors' outcomes (advice given, referred to a competent body, did not come), and
three to come, in person and online, with a slot or two already booked.

The council-activity file (demo/almaty_2019.json) is a closed year and has no receptions, so its figures, which
the tests pin, do not change. The visitors are invented, as in every demo; their e-mails are on example.kz, a
domain that receives nothing. Running the loader again changes nothing while a demo reception is still to come;
once they have all passed, it adds a new schedule around the new today.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from councils.models import Council, Person

from .models import Booking, BookingStatus, Outcome, Reception, ReceptionFormat
from .services import ReceptionData, booking_record_outcome, reception_create

DEMO_COUNCIL = "almaty"
# In the council's own hall (the akimat of Almaty, Republic Square 4), or on a video link.
HALL_RU = "г. Алматы, площадь Республики, 4, здание акимата, зал общественного совета (1 этаж)"
ONLINE_LINK = "https://meet.example.kz/almaty-public-council"


@dataclass(frozen=True)
class DemoVisit:
    name: str
    category: str
    question: str
    outcome: str  # an Outcome, or "no_show"
    note: str = ""


@dataclass(frozen=True)
class DemoReception:
    days_from_today: int
    hour: int
    online: bool
    topics_ru: str
    topics_kk: str
    topics_en: str
    visits: tuple[DemoVisit, ...] = ()
    booked: int = 0  # slots already booked, for one to come


SCHEDULE = (
    DemoReception(
        -54,
        10,
        False,
        "Благоустройство дворов, освещение, детские площадки",
        "Аулаларды абаттандыру, жарықтандыру, балалар алаңдары",
        "Courtyards, street lighting, playgrounds",
        visits=(
            DemoVisit(
                "Ахметова Динара",
                "improvement",
                "Во дворе дома по ул. Толе би не работает освещение с осени.",
                Outcome.REFERRED,
                "Направлена в коммунальное государственное учреждение «Управление энергетики и водоснабжения».",
            ),
            DemoVisit(
                "Ким Виктор",
                "improvement",
                "Как включить двор в программу благоустройства на следующий год?",
                Outcome.ADVICE,
                "Разъяснён порядок подачи заявки через акимат района.",
            ),
            DemoVisit("Сейтжанов Ерлан", "transport", "", "no_show"),
        ),
    ),
    DemoReception(
        -33,
        15,
        True,
        "Общественный транспорт, остановки, доступность для людей с инвалидностью",
        "Қоғамдық көлік, аялдамалар, мүмкіндігі шектеулі адамдар үшін қолжетімділік",
        "Public transport, stops, access for people with disabilities",
        visits=(
            DemoVisit(
                "Нурланова Айгерим",
                "transport",
                "На остановке у рынка нет пандуса, коляска не проезжает.",
                Outcome.REFERRED,
                "Направлена в Управление городской мобильности.",
            ),
            DemoVisit(
                "Петренко Ольга",
                "social",
                "Как оформить льготный проезд для пенсионера?",
                Outcome.ADVICE,
                "Разъяснён порядок оформления транспортной карты.",
            ),
        ),
    ),
    DemoReception(
        -12,
        11,
        False,
        "Экология: воздух, зелёные насаждения, вырубка деревьев",
        "Экология: ауа, жасыл желектер, ағаш кесу",
        "Ecology: air, green spaces, tree felling",
        visits=(
            DemoVisit(
                "Жумабеков Асхат",
                "ecology",
                "Вырубка деревьев при расширении улицы: было ли общественное обсуждение?",
                Outcome.ADVICE,
                "Разъяснено, где опубликованы материалы общественных слушаний.",
            ),
            DemoVisit(
                "Исмаилова Мадина",
                "ecology",
                "Дым от частного сектора зимой в микрорайоне Шанырак.",
                Outcome.REFERRED,
                "Направлена в Управление экологии и окружающей среды.",
            ),
            DemoVisit(
                "Оспанов Талгат",
                "housing",
                "ОСИ не отчитывается о расходах.",
                Outcome.ADVICE,
                "Разъяснено право собственников требовать отчёт.",
            ),
        ),
    ),
    DemoReception(
        8,
        10,
        False,
        "Жилищно-коммунальное хозяйство, ОСИ, отопление",
        "Тұрғын үй-коммуналдық шаруашылық, ПИБ, жылыту",
        "Housing and utilities, owners' associations, heating",
        booked=2,
    ),
    DemoReception(
        22,
        16,
        True,
        "Образование и здравоохранение: очереди в детские сады, поликлиники",
        "Білім беру және денсаулық сақтау: балабақшаға кезек, емханалар",
        "Education and health: kindergarten queues, clinics",
        booked=1,
    ),
    DemoReception(
        36,
        10,
        False,
        "Благоустройство и транспорт",
        "Абаттандыру және көлік",
        "Urban improvement and transport",
    ),
)


def _working_day(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _hosts(council: Council) -> list[Person]:
    """The council's members on file, by name: the receptions go round them."""
    return list(Person.objects.filter(council=council, memberships__isnull=False).distinct().order_by("full_name")[:3])


@transaction.atomic
def load(*, now: dt.datetime | None = None) -> int:
    """Add the demo schedule to the Almaty council; returns how many receptions were added (0: nothing to do)."""
    now = now or timezone.now()
    council = Council.objects.filter(slug=DEMO_COUNCIL).first()
    if council is None:
        return 0
    hosts = _hosts(council)
    if not hosts or Reception.objects.filter(council=council, starts_at__gt=now).exists():
        return 0
    today = timezone.localdate(now)
    for number, demo in enumerate(SCHEDULE):
        day = _working_day(today + dt.timedelta(days=demo.days_from_today))
        starts_at = timezone.make_aware(dt.datetime.combine(day, dt.time(demo.hour)))
        reception = reception_create(
            council=council,
            data=ReceptionData(
                host=hosts[number % len(hosts)],
                starts_at=starts_at,
                slot_minutes=20,
                slots=6,
                format=ReceptionFormat.ONLINE if demo.online else ReceptionFormat.IN_PERSON,
                place="" if demo.online else HALL_RU,
                online_link=ONLINE_LINK if demo.online else "",
                topics_ru=demo.topics_ru,
                topics_kk=demo.topics_kk,
                topics_en=demo.topics_en,
            ),
        )
        visits = list(demo.visits) or [
            DemoVisit(f"Демо посетитель {n}", "other", "", "") for n in range(1, demo.booked + 1)
        ]
        for slot, visit in enumerate(visits, start=1):
            booking = Booking.objects.create(
                reception=reception,
                slot=slot,
                category=visit.category,
                name=visit.name,
                email=f"visitor{reception.pk}-{slot}@example.kz",
                question=visit.question,
                personal_data_consent=True,
                cancel_token=secrets.token_urlsafe(32),
                status=BookingStatus.BOOKED,
            )
            if visit.outcome:
                booking_record_outcome(booking=booking, outcome=visit.outcome, note=visit.note)
    return len(SCHEDULE)
