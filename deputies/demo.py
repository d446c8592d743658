"""The deputies demo: Pavlodar city maslikhat (VIII convocation) and a year of its deputies' work, 2024, watched
by a demo NGO monitor. Every name is invented and every record is marked as demo (`is_demo`, and the NGO's name
says «демо»). Loaded by `manage.py load_deputies_demo` (`make run`); loading it again changes nothing."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from councils.models import Council, CouncilKind, CouncilStaff, StaffRole

from . import services
from .models import (
    ActivityKind,
    BodyConvocation,
    BodyLevel,
    Committee,
    Constituency,
    Deputy,
    DeputyOffice,
    EndReason,
    Locality,
    Mandate,
    MonitoredBody,
    Party,
    Post,
    Presence,
    PromiseStatus,
    RepresentativeBody,
    VoteOption,
)

BODY_SLUG = "pavlodar-city-maslikhat"
START = dt.date(2023, 3, 29)
YEAR = 2024

DISTRICTS = [
    (1, "Центральный", "Орталық", ["Центр", "микрорайон Усольский"], ["Орталық", "Усольский шағын ауданы"]),
    (2, "Северный", "Солтүстік", ["микрорайон Дачный", "микрорайон Зелёная роща"], ["Саяжай", "Жасыл тоғай"]),
    (3, "Восточный", "Шығыс", ["микрорайон Восток", "микрорайон Лесозавод"], ["Шығыс", "Лесозавод"]),
    (4, "Южный", "Оңтүстік", ["микрорайон Химгородок", "улица Камзина"], ["Химқалашық", "Қамзин көшесі"]),
    (5, "Ленинский", "Ленин", ["посёлок Ленинский", "посёлок Кенжеколь"], ["Ленин кенті", "Кенжекөл ауылы"]),
    (6, "Затонский", "Затон", ["микрорайон Затон", "микрорайон Сырымбет"], ["Затон", "Сырымбет"]),
    (7, "Западный", "Батыс", ["микрорайон Западный", "улица Торайгырова"], ["Батыс", "Торайғыров көшесі"]),
    (8, "Промышленный", "Өнеркәсіп", ["Промышленная зона", "посёлок Жетекши"], ["Өнеркәсіп аймағы", "Жетекші"]),
]
# Invented names (demo): surname, name, patronymic.
NAMES = [
    "Ахметова Динара Сериковна",
    "Белоусов Игорь Павлович",
    "Жакупов Ерлан Маратович",
    "Ким Светлана Викторовна",
    "Мусин Талгат Кайратович",
    "Оспанова Айгерим Болатовна",
    "Петренко Олег Николаевич",
    "Сарсенбаев Нурлан Адилетович",
    "Тлеубаева Гульнара Ержановна",
    "Юсупов Руслан Ильдарович",
    "Абдрахманов Арман Бахытович",
    "Гончаренко Наталья Сергеевна",
    "Есенова Камила Асхатовна",
    "Исмаилов Данияр Ринатович",
    "Левченко Андрей Юрьевич",
    "Нургалиева Салтанат Муратовна",
]
PARTIES = [("amanat", "Amanat"), ("ak-zhol", "Ак жол"), ("auyl", "Ауыл"), ("respublica", "Respublica")]
TOPICS = [
    "О городском бюджете на 2024–2026 годы",
    "Об уточнении бюджета города",
    "О правилах благоустройства территории города",
    "Об отчёте акима города о работе за 2023 год",
    "О социальной помощи отдельным категориям граждан",
    "О ставках платы за пользование водными ресурсами",
]


def _slug(n: int) -> str:
    return f"pavlodar-demo-{n:02d}"


@transaction.atomic
def load() -> bool:
    """Load the demo; False when it is there already."""
    if RepresentativeBody.objects.filter(slug=BODY_SLUG).exists():
        return False
    rng = random.Random(2024)  # noqa: S311 - a repeatable demo, not security
    User = get_user_model()
    ngo, _created = Council.objects.get_or_create(
        slug="desenta-demo",
        defaults={
            "code": "DSD",
            "name_ru": "ОФ «Десента» (демо)",
            "name_kk": "«Десента» ҚҚ (демо)",
            "name_en": "Desenta Foundation (demo)",
            "kind": CouncilKind.NGO_MONITOR,
            "city": "Павлодар",
            "description_ru": "Демонстрационная НПО-наблюдатель: все данные вымышлены.",
        },
    )
    body = RepresentativeBody.objects.create(
        slug=BODY_SLUG,
        level=BodyLevel.CITY,
        name_ru="Павлодарский городской маслихат (демо)",
        name_kk="Павлодар қалалық мәслихаты (демо)",
        name_en="Pavlodar City Maslikhat (demo)",
        city="pavlodar",
        region="Павлодарская область",
        seats=16,
        is_demo=True,
    )
    MonitoredBody.objects.create(council=ngo, body=body)
    convocation = BodyConvocation.objects.create(
        body=body, number=8, name_ru="VIII созыв", name_kk="VIII шақырылым", name_en="8th convocation", start_date=START
    )
    committees = [
        Committee.objects.create(body=body, name_ru=name_ru, name_kk=name_kk)
        for name_ru, name_kk in (
            ("Постоянная комиссия по бюджету и экономике", "Бюджет және экономика жөніндегі тұрақты комиссия"),
            ("Постоянная комиссия по социальным вопросам", "Әлеуметтік мәселелер жөніндегі тұрақты комиссия"),
            ("Постоянная комиссия по городскому хозяйству", "Қала шаруашылығы жөніндегі тұрақты комиссия"),
        )
    ]
    parties = [Party.objects.get_or_create(slug=s, defaults={"name_ru": n})[0] for s, n in PARTIES]
    constituencies = []
    for number, name_ru, name_kk, places_ru, places_kk in DISTRICTS:
        constituency = Constituency.objects.create(
            body=body,
            number=number,
            name_ru=name_ru,
            name_kk=name_kk,
            description_ru="В границах: " + ", ".join(places_ru) + " (демо).",
        )
        for place_ru, place_kk in zip(places_ru, places_kk, strict=True):
            locality, _ = Locality.objects.get_or_create(
                name_ru=place_ru, city="pavlodar", defaults={"name_kk": place_kk}
            )
            constituency.localities.add(locality)
        constituencies.append(constituency)
    mandates = []
    for n, name in enumerate(NAMES, start=1):
        deputy = Deputy.objects.create(
            slug=_slug(n),
            full_name_ru=name,
            biography_ru="Вымышленная биография для демонстрации портала.",
            biography_kk="Порталды көрсетуге арналған ойдан шығарылған өмірбаян.",
            office_email=f"deputy{n:02d}@maslikhat-demo.example.kz",
            office_phone=f"+7 7182 00 00 {n:02d}",
            office_address="г. Павлодар, ул. Академика Сатпаева, 49 (демо)",
            is_demo=True,
        )
        single = n <= len(constituencies)
        mandate = Mandate.objects.create(
            deputy=deputy,
            convocation=convocation,
            constituency=constituencies[n - 1] if single else None,
            party=parties[n % len(parties)],
            post=Post.CHAIR if n == 1 else (Post.COMMITTEE_CHAIR if n in (2, 3, 4) else Post.DEPUTY),
            start_date=START,
        )
        mandate.committees.add(committees[n % len(committees)])
        mandates.append(mandate)
    # An early termination and a by-election in the demo year.
    left = mandates[6]
    services.mandate_end(
        mandate=left, end_date=dt.date(YEAR, 4, 30), reason=EndReason.INCOMPATIBLE, decision="Решение № 95/VIII (демо)"
    )
    newcomer = Deputy.objects.create(slug=_slug(len(NAMES) + 1), full_name_ru="Рахимова Жанна Алмасовна", is_demo=True)
    services.mandate_by_election(vacated=left, deputy=newcomer, start_date=dt.date(YEAR, 9, 8), party=parties[0])

    monitor, _ = User.objects.get_or_create(username="demo-monitor", defaults={"first_name": "Монитор"})
    reviewer, _ = User.objects.get_or_create(username="demo-reviewer", defaults={"first_name": "Рецензент"})
    for user, role in ((monitor, StaffRole.SECRETARY), (reviewer, StaffRole.CHAIR)):
        CouncilStaff.objects.get_or_create(user=user, council=ngo, defaults={"role": role})
    office, _ = User.objects.get_or_create(username="demo-deputy-office", defaults={"first_name": "Приёмная"})
    DeputyOffice.objects.get_or_create(user=office, deputy=mandates[2].deputy)

    from .selectors import composition_on

    session_dates = [dt.date(YEAR, m, d) for m, d in ((2, 22), (4, 25), (6, 27), (9, 26), (11, 28), (12, 20))]
    for number, date in enumerate(session_dates, start=21):
        members = composition_on(body=body, day=date)
        marks = {
            m.deputy_id: rng.choices([Presence.PRESENT, Presence.EXCUSED, Presence.ABSENT], [17, 2, 1])[0]
            for m in members
        }
        session = services.session_record(
            monitor=ngo,
            user=monitor,
            data=services.SessionData(
                body=body,
                number=number,
                date=date,
                agenda="\n".join(rng.sample(TOPICS, 3)),
                source_url=f"https://maslikhat-demo.example.kz/sessions/{number}",
            ),
            attendance=marks,
        )
        for topic in session.agenda_items[:2]:
            ballots = {
                deputy_id: (
                    rng.choices([VoteOption.YES, VoteOption.NO, VoteOption.ABSTAIN], [14, 1, 1])[0]
                    if presence == Presence.PRESENT
                    else VoteOption.ABSENT
                )
                for deputy_id, presence in marks.items()
            }
            services.vote_record(session=session, motion=topic, ballots=ballots)
        services.record_publish(record=session, reviewer=reviewer)

    for n, mandate in enumerate(mandates):
        deputy = mandate.deputy
        for k in range(rng.randint(1, 3)):
            date = dt.date(YEAR, rng.randint(1, 11), rng.randint(1, 28))
            if mandate.end_date and date > mandate.end_date:
                continue
            answered = date + dt.timedelta(days=rng.randint(7, 25)) if rng.random() < 0.75 else None
            activity = services.activity_record(
                monitor=ngo,
                user=monitor,
                data=services.ActivityData(
                    deputy=deputy,
                    kind=ActivityKind.INQUIRY,
                    date=date,
                    title=rng.choice(
                        [
                            "О ремонте дворовых территорий",
                            "Об освещении улиц микрорайона",
                            "О графике движения автобусов",
                            "О состоянии школы и детского сада",
                        ]
                    ),
                    addressee="Аким города Павлодара (демо)",
                    answered_on=answered,
                    answer="Работы включены в план на следующий год (демо)." if answered else "",
                    source_url=f"https://maslikhat-demo.example.kz/inquiries/{n}-{k}",
                ),
            )
            services.record_publish(record=activity, reviewer=reviewer)
        for k in range(rng.randint(2, 5)):
            date = dt.date(YEAR, rng.randint(1, 12), rng.randint(1, 28))
            if mandate.end_date and date > mandate.end_date:
                continue
            activity = services.activity_record(
                monitor=ngo,
                user=monitor,
                data=services.ActivityData(
                    deputy=deputy,
                    kind=ActivityKind.RECEPTION,
                    date=date,
                    title="Приём граждан в избирательном округе",
                    visitors=rng.randint(3, 25),
                    source_url=f"https://maslikhat-demo.example.kz/receptions/{n}-{k}",
                ),
            )
            services.record_publish(record=activity, reviewer=reviewer)
        report = services.activity_record(
            monitor=ngo,
            user=monitor,
            data=services.ActivityData(
                deputy=deputy,
                kind=ActivityKind.REPORT,
                date=dt.date(YEAR, 3, rng.randint(1, 28)),
                title="Отчёт перед избирателями о работе за 2023 год",
                source_url=f"https://maslikhat-demo.example.kz/reports/{n}",
            ),
        )
        services.record_publish(record=report, reviewer=reviewer)
        rating = rng.choice(list(PromiseStatus.values))
        promise = services.promise_record(
            monitor=ngo,
            user=monitor,
            data=services.PromiseData(
                deputy=deputy,
                text=rng.choice(
                    [
                        "Добиться ремонта дорог в округе",
                        "Открыть спортивную площадку во дворе",
                        "Провести освещение в частном секторе",
                        "Ежемесячно проводить приём граждан",
                    ]
                ),
                rating=rating,
                evidence="" if rating == PromiseStatus.NOT_RATED else "Решение маслихата и фотоотчёт (демо).",
                source_url="https://maslikhat-demo.example.kz/programme",
            ),
        )
        services.record_publish(record=promise, reviewer=reviewer)

    asked = timezone.make_aware(dt.datetime(YEAR, 10, 1, 10))
    for k, (subject, text, lang) in enumerate(
        [
            ("Освещение во дворе", "Когда установят фонари во дворе дома на улице Камзина?", "ru"),
            ("Аялдама", "Біздің ауданда аялдама қашан салынады?", "kk"),
            ("Спортивная площадка", "Будет ли построена спортивная площадка, обещанная на выборах?", "ru"),
        ]
    ):
        question = services.question_submit(
            deputy=mandates[2].deputy,
            data=services.QuestionData(
                author_name="Демо Житель",
                author_email=f"citizen{k}@demo.example.kz",
                subject=subject,
                text=text,
                personal_data_consent=True,
            ),
            language=lang,
            now=asked + dt.timedelta(days=7 * k),
        )
        services.question_moderate(
            question=question, user=reviewer, publish=True, now=asked + dt.timedelta(days=7 * k, hours=5)
        )
        if k < 2:
            services.question_answer(
                question=question,
                user=office,
                text="Вопрос включён в план благоустройства; ответ подготовлен приёмной депутата (демо).",
                now=asked + dt.timedelta(days=7 * k + 3 + 4 * k),
            )
    return True
