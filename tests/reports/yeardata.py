"""A council-year shaped like the Almaty 2019 report, at any scale, for the report tests and the benchmark.

`make_council_year(council, scale=1)` gives the Almaty figures of DOMAIN.md (37 members, 17 council meetings,
18 monitoring events, 89 drafts, 764 appeals, ...) with the report's 18 monitoring topics; `scale=3` or `10`
multiplies every volume (the composition stays), which is what the "same query count" test and
`benchmarks/report.py` need. Bulk inserts keep the 10× year (7,640 appeals) to a few seconds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from appeals.models import Appeal, AppealStatus, ApplicantType, Category, Channel
from councils.models import (
    Affiliation,
    Body,
    BodyKind,
    BodyMembership,
    BodyRole,
    ConsultativeLevel,
    ConsultativeSeat,
    Convocation,
    Council,
    MemberRole,
    Membership,
    Memorandum,
    Partner,
    Person,
    StateBody,
)
from hearings.models import AgendaItem, AgendaItemKind, Meeting, MeetingKind, PublicHearing
from monitoring.models import (
    DraftActReview,
    DraftConclusion,
    MonitoringEvent,
    MonitoringParticipant,
    PublicityLink,
    Recommendation,
    RecommendationResponse,
    RecommendationStatus,
)

YEAR = 2019
KAZAKH_LETTERS = "ә ғ қ ң ө ұ ү һ і Ә Ғ Қ Ө Ұ Ү І"
KAZAKH_TITLE = (
    "«Жас кәсіпкер»: Әйелдер кәсіпкерлігі, Ғылым мен ағарту, Құқық, Өңір мен өнер, Ұлттық үкімет, Үй, һәм Іскерлік"
)

COMMISSIONS = [
    "Комиссия по вопросам экономики и местного государственного управления",
    "Комиссия по вопросам комфортной городской среды",
    "Комиссия по вопросам предпринимательства, экологии и городской мобильности",
    "Комиссия по вопросам социального благосостояния",
    "Комиссия по вопросам общественного развития, культуры и спорта",
    "Комиссия по вопросам энергоэффективности и инфраструктурного развития",
    "Комиссия по вопросам законности и правопорядка",
]

# (month, topic, participants, recommendations, links, results): the Almaty 2019 table.
SITE = "http://almatykenes.kz/"
FACEBOOK = "https://www.facebook.com/almatykenes/"
MONITORING = [
    (
        4,
        "Общественный мониторинг на постоянной основе по доступности объектов города",
        ["Инкарбеков У.А.", "Аманбаев А.А."],
        "Рекомендации направлены в Департамент комитета труда, и социальной защиты, миграции г. Алматы",
        [SITE, FACEBOOK],
        "На исполнении и общественном контроле ОС",
    ),
    (
        4,
        "Общественный мониторинг по доступности спортивных секций для детей и молодежи города Алматы",
        ["Сагымбекова М.М.", "Бабамуратов Д.А.", "Бейсенбаев Е."],
        "Рекомендации были озвучены на Общественных слушаниях (26.04.2019), включены в резолюцию",
        [SITE, FACEBOOK],
        "На исполнении и общественном контроле ОС",
    ),
    (
        4,
        "Общественный мониторинг Парка «Южный» на предмет реконструкции парка",
        ["Смайлов Е.В.", "Тажибекова Ж.К.", "Пономарев С.М."],
        "Трехсторонняя встреча с Управлением зеленой экономики и Защитниками Парка",
        [SITE, FACEBOOK],
        "На исполнении и общественном контроле ОС",
    ),
    (
        4,
        "Акция по «Весенней уборке»",
        ["Шибутов М.М."],
        "Рекомендации и предложения направлены в районные акиматы г. Алматы",
        [SITE, FACEBOOK],
        "Получены ответы, устранены нарушения",
    ),
    (
        5,
        "Общественный мониторинг Парка «Южный»",
        ["Пономарев С.М.", "Темешев А."],
        "Рекомендации озвучены на телеканале «Хабар 24»",
        [SITE, "https://24.kz/ru/news/social/item/315853-almatintsy-nedovolny-khodom-rekonstruktsii-parka-yuzhnyj"],
        "Рекомендовано до 25.07.2019г. устранить все нарушения",
    ),
    (
        5,
        "Встреча многодетных матерей с Управлением образования г Алматы",
        ["Ходжаберегнова Г.М.", "Байсакова З.М."],
        "Обеспечение бесплатным горячим питанием и школьной формой детей из многодетных семей",
        [],
        "Постоянный мониторинг",
    ),
    (
        6,
        "Общественный мониторинг парков «Фентази» и «Парка Горького» на предмет незаконной установки батутов",
        ["Жазылбеков Н.А."],
        "Нарушений не выявлено",
        [],
        "",
    ),
    (
        6,
        "Общественный мониторинг аэропорта по вопросам демонтажа скамеек",
        ["Жазылбеков Н.А."],
        "",
        [],
        "Вопрос решен, скамейки установлены",
    ),
    (
        6,
        "Мониторинг по обращению жителей массива ПКСТ «Тасты Булак» Наурызбайского района по благоустройству улиц",
        ["Абдушкуров М.М."],
        "",
        [SITE, FACEBOOK],
        "Рекомендации направлены в Управление городской мобильности",
    ),
    (
        6,
        "Мониторинг по обращению коллектива автопаркинга Дворца Республики",
        ["Джапаров Б.А."],
        "Обсуждение на заседании ОС",
        [SITE, FACEBOOK],
        "Рекомендации направлены в соответствующие госорганы",
    ),
    (
        6,
        "Мониторинг с аналитической группой «Кипр» обсуждение проблем инклюзивного высшего образования",
        ["Смайлов Е.В.", "Байсакова З.М."],
        "Обсуждение результатов исследования «Бiлiм — Центральная Азия»",
        ["http://agkipr.kz/archives/1477"],
        "Даны удовлетворительные ответы",
    ),
    (
        7,
        "Общественный мониторинг зоопарка",
        ["Байсакова З.М.", "Бейсенбаев Е.С.", "Смайлов Е.В."],
        "",
        [SITE, FACEBOOK, "https://www.zakon.kz/4977479-zhivotnyh-s-ruk-bez-dokumentov.html?fbclid=IwAR01zYojNsKZg"],
        "Рекомендации направлены в управление культуры г. Алматы, на рассмотрении",
    ),
    (
        7,
        "Общественный мониторинг по доступности объектов города для людей с ограниченными возможностями",
        ["Кисиков Б.С.", "Аманбаев А.А."],
        "",
        [SITE, FACEBOOK],
        "Рекомендации на рассмотрении",
    ),
    (
        8,
        "Мониторинг готовности общежитий колледжей к учебному году",
        ["Байсакова З.М.", "Ахметов М."],
        "Изучить опыт Алматинского государственного бизнес колледжа",
        [],
        "Рекомендации переданы в Управление образования",
    ),
    (
        10,
        "Общественный мониторинг по вопросу организации и расширения сети платных автопарковок",
        ["Джапаров Б.А."],
        "Рекомендации озвучены на Общественных слушаниях 12.12.2019г.",
        [],
        "",
    ),
    (
        10,
        "Общественный мониторинг по общежитиям ВУЗов",
        ["Жазылбеков Н.А."],
        "",
        ["https://informburo.kz/novosti/v-almaty-proshyol-reyd-po-obshchezhitiyam-vuzov.html"],
        "",
    ),
    (
        11,
        "Общественный мониторинг платных автопарковок в центре города",
        ["Джапаров Б.А.", "Данилина А.В.", "Жампиисов К.О."],
        "Рекомендации озвучены на Общественных слушаниях",
        ["https://www.zakon.kz/4995235-obshchestvenniki-vyyavili-problemy.html"],
        "",
    ),
    (
        12,
        "Общественный мониторинг объектов здравоохранения",
        ["Касымжанова Ж.К.", "Жазылбеков Н.А."],
        "Рекомендации в разработке",
        [],
        "",
    ),
]
HEARINGS = [
    (dt.date(2019, 4, 26), "Доступность спортивных секций для детей и молодежи города Алматы"),
    (dt.date(2019, 6, 20), "Презентация ТОО «Алматы СпецТехПаркинг сервис»"),
    (
        dt.date(2019, 10, 10),
        "Обеспечение экологической безопасности, охраны окружающей среды и сохранения "
        "природных ресурсов на территории города Алматы",
    ),
    (dt.date(2019, 12, 12), "Создание комфортных условий для проживания и передвижения жителей"),
]
PRESIDIUM_MONTHS = [4, 5, 10, 11]
SEMINARS = [
    "Основные формы деятельности, права и обязанности членов и экспертов Общественного совета",
    "Практика функционирования Общественных советов, принципы общественного участия",
    "Бюджет участия",
    "Взаимодействие ОС с другими ветвями власти и гражданским обществом",
    "Законотворческий процесс для ОС",
]
ROUND_TABLES = [
    ("Актуальные проблемные вопросы в сфере экологии", "Выявление проблемных вопросов в сфере экологии"),
    ("Обсуждение проекта дизайн-код города", ""),
    ("Обсуждение Плана работы правовой грамотности жителей г.Алматы", ""),
    (KAZAKH_TITLE, "Итоги исследований о степени влияния решений Общественного совета"),
]
MEMORANDA = [
    "О взаимопонимании с Алматинским городским филиалом «Союз защиты потребителей и предпринимателей»",
    "О сотрудничестве с Советом общественного согласия Ассамблеи народа Казахстана г. Алматы",
    "О партнерстве и взаимодействии с проектным офисом Алматы Адалдык Аланы",
]
# Individuals' appeals by category: 70% ecology/transport/improvement, 20% other, 10% KSK (of 213).
INDIVIDUAL_CATEGORIES = [
    (Category.ECOLOGY, 60),
    (Category.TRANSPORT, 50),
    (Category.IMPROVEMENT, 39),
    (Category.OTHER, 43),
    (Category.HOUSING, 21),
]
LEGAL_CATEGORIES = [Category.IMPROVEMENT, Category.TRANSPORT, Category.HEALTH, Category.EDUCATION, Category.OTHER]
CHANNELS = [Channel.WEB, Channel.SOCIAL, Channel.DUTY_SERVICE, Channel.EMAIL, Channel.IN_PERSON]


@dataclass(frozen=True)
class Expected:
    members: int = 37
    state: int = 3
    civil: int = 34
    commissions: int = 7
    council_meetings: int = 17
    presidium_meetings: int = 4
    hearings: int = 4
    monitoring: int = 18
    monitoring_by_month: tuple[tuple[int, int], ...] = (
        (4, 4),
        (5, 2),
        (6, 5),
        (7, 2),
        (8, 1),
        (10, 2),
        (11, 1),
        (12, 1),
    )
    drafts: int = 89
    drafts_approved: int = 89
    drafts_with_remarks: int = 4
    appeals: int = 764
    individuals: int = 213
    legal_entities: int = 551
    seminars: int = 5
    round_tables: int = 4
    memoranda: int = 3


CONSULTATIVE_BODIES = [
    ("Комиссия по вопросам благоустройства и озеленения при акимате города Алматы", ConsultativeLevel.LOCAL),
    ("Совет по противодействию коррупции при акимате города Алматы", ConsultativeLevel.LOCAL),
    ("Республиканский совет по делам молодежи при Министерстве информации", ConsultativeLevel.REPUBLICAN),
]


def _aware(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour), timezone.get_default_timezone())


def _day(i: int, months: range = range(3, 13)) -> dt.date:
    """A working-ish day spread over the months, deterministic."""
    month = months[i % len(months)]
    return dt.date(YEAR, month, 1 + (i * 7) % 27)


def make_council_year(council: Council, *, scale: int = 1, year: int = YEAR) -> Expected:
    """Fill `council` with a year like Almaty 2019 (scale 1) or `scale` times its volume; returns the figures."""
    assert year == YEAR, "the data is dated 2019"
    convocation = Convocation.objects.filter(council=council, number=2).first() or Convocation.objects.create(
        council=council, number=2, name="II состав", start_date=dt.date(2019, 3, 1)
    )
    if not council.legal_basis:
        council.legal_basis = (
            "Закон Республики Казахстан «Об общественных советах» от 2 ноября 2015 года № 383-V; Типовое "
            "положение об общественном совете (Постановление Правительства от 31 декабря 2015 года № 1194)."
        )
        council.website = "http://almatykenes.kz/ru/"
        council.save(update_fields=["legal_basis", "website"])
    state_bodies = [
        StateBody.objects.get_or_create(slug=slug, defaults={"name": name, "city": "Алматы"})[0]
        for slug, name in [
            ("almaty-education", "Управление образования г. Алматы"),
            ("almaty-mobility", "Управление городской мобильности г. Алматы"),
            ("almaty-culture", "Управление культуры г. Алматы"),
            ("almaty-green", "Управление зеленой экономики г. Алматы"),
        ]
    ]

    # 2. Composition: 37 members (3 state, 34 civil society), a presidium and 7 commissions with chairs.
    people = Person.objects.bulk_create(
        [
            Person(
                council=council,
                key=f"m{council.pk}-{i}",
                full_name=f"Демо Член {i:02d}" if i else "Ғалымжан Әбілқасымұлы Құрманғалиев",
                is_demo=True,
            )
            for i in range(37)
        ]
    )
    Membership.objects.bulk_create(
        [
            Membership(
                convocation=convocation,
                person=p,
                affiliation=Affiliation.STATE_BODY if i < 3 else Affiliation.CIVIL_SOCIETY,
                role=MemberRole.CHAIR if i == 3 else MemberRole.MEMBER,
                start_date=convocation.start_date,
            )
            for i, p in enumerate(people)
        ]
    )
    presidium = Body.objects.create(
        council=council,
        convocation=convocation,
        key=f"presidium-{council.pk}",
        kind=BodyKind.PRESIDIUM,
        name="Президиум Общественного совета",
    )
    commissions = Body.objects.bulk_create(
        [
            Body(
                council=council,
                convocation=convocation,
                key=f"c{council.pk}-{n}",
                kind=BodyKind.COMMISSION,
                number=n,
                name=name,
            )
            for n, name in enumerate(COMMISSIONS, 1)
        ]
    )
    BodyMembership.objects.bulk_create(
        [BodyMembership(body=body, person=people[4 + i], role=BodyRole.CHAIR) for i, body in enumerate(commissions)]
        + [BodyMembership(body=presidium, person=people[3], role=BodyRole.CHAIR)]
    )

    # 4–6, 11. Meetings with agenda items; hearings.
    meetings: list[Meeting] = []
    n = 0

    def meeting(kind: str, day: dt.date, title: str = "", **extra) -> Meeting:
        nonlocal n
        n += 1
        return Meeting(
            council=council, key=f"mt{council.pk}-{n}", kind=kind, date=day, title=title, is_demo=True, **extra
        )

    for s in range(scale):
        meetings += [meeting(MeetingKind.COUNCIL, _day(i + s * 17)) for i in range(17)]
        meetings += [meeting(MeetingKind.PRESIDIUM, dt.date(YEAR, m, 10 + s % 15)) for m in PRESIDIUM_MONTHS]
        meetings += [
            meeting(MeetingKind.COMMISSION, _day(i * 3 + s), is_extended=i % 2 == 0, body=commissions[i % 7])
            for i in range(14)
        ]
        meetings += [meeting(MeetingKind.SEMINAR, _day(i * 5 + s), title=t) for i, t in enumerate(SEMINARS)]
        meetings += [
            meeting(MeetingKind.ROUND_TABLE, _day(i * 4 + s), title=t, goal=g) for i, (t, g) in enumerate(ROUND_TABLES)
        ]
        meetings.append(
            meeting(
                MeetingKind.WORKING,
                _day(7 + s),
                title="Совершенствование законодательства о мирных собраниях",
                goal="Уведомление о проведении мирных собраний; ответственность организаторов",
                links=["https://vlast.kz/novosti/35231-zovtis-predlozil-otkazatsa-ot-podaci-zaavok.html"],
            )
        )
    meetings = Meeting.objects.bulk_create(meetings)
    items = []
    for m in meetings:
        count = {MeetingKind.COUNCIL: 2, MeetingKind.PRESIDIUM: 2, MeetingKind.COMMISSION: 2}.get(m.kind, 0)
        for k in range(1, count + 1):
            hearing_report = m.kind == MeetingKind.COMMISSION and k == 1
            items.append(
                AgendaItem(
                    meeting=m,
                    key=f"i{k}",
                    number=k,
                    kind=AgendaItemKind.REPORT_HEARING if hearing_report else AgendaItemKind.OTHER,
                    state_body=state_bodies[m.pk % 4] if hearing_report else None,
                    title=(
                        f"Заслушивание отчета о реализации бюджетных программ ({m.date:%d.%m})"
                        if hearing_report
                        else f"Вопрос повестки {k}: {m.get_kind_display()} {m.date:%d.%m.%Y}"
                    ),
                )
            )
    items = AgendaItem.objects.bulk_create(items)
    hearings = PublicHearing.objects.bulk_create(
        [
            PublicHearing(
                council=council,
                key=f"h{council.pk}-{s}-{i}",
                number=i + 1,
                topic=topic,
                date=day,
                organiser=commissions[i],
                resolution="Выработаны рекомендации, направлены в госорганы.",
                links=[SITE],
                is_demo=True,
            )
            for s in range(scale)
            for i, (day, topic) in enumerate(HEARINGS)
        ]
    )

    # 8. Monitoring: the 18 events of the Almaty table (scale × 18).
    events = MonitoringEvent.objects.bulk_create(
        [
            MonitoringEvent(
                council=council,
                key=f"e{council.pk}-{s}-{i}",
                topic=topic if s == 0 else f"{topic} (повтор {s})",
                date=dt.date(YEAR, month, 5 + s % 20),
                commission=commissions[i % 7],
                recommendations_summary=recs,
                results=results,
                is_demo=True,
            )
            for s in range(scale)
            for i, (month, topic, _people, recs, _links, results) in enumerate(MONITORING)
        ]
    )
    participants, links = [], []
    for event, row in zip(events, MONITORING * scale, strict=True):
        _month, _topic, names, _recs, urls, _results = row
        participants += [MonitoringParticipant(event=event, position=k, name=name) for k, name in enumerate(names)]
        participants.append(MonitoringParticipant(event=event, position=len(names), person=people[10]))
        links += [PublicityLink(event=event, position=k, url=url) for k, url in enumerate(urls)]
    MonitoringParticipant.objects.bulk_create(participants)
    PublicityLink.objects.bulk_create(links)

    # Recommendations on monitoring events, hearings and commission agenda items, half of them answered.
    types = ContentType.objects.get_for_models(MonitoringEvent, PublicHearing, AgendaItem)
    sources = (
        [(types[MonitoringEvent], e.pk, e.date) for e in events]
        + [(types[PublicHearing], h.pk, h.date) for h in hearings]
        + [(types[AgendaItem], i.pk, dt.date(YEAR, 6, 1)) for i in items if i.kind == AgendaItemKind.REPORT_HEARING]
    )
    statuses = [
        RecommendationStatus.IN_PROGRESS,
        RecommendationStatus.ANSWERED,
        RecommendationStatus.IMPLEMENTED,
        RecommendationStatus.UNDER_CONSIDERATION,
        RecommendationStatus.SENT,
        RecommendationStatus.REJECTED,
    ]
    recommendations = Recommendation.objects.bulk_create(
        [
            Recommendation(
                council=council,
                key=f"r{council.pk}-{k}",
                text="Рекомендуется устранить выявленные нарушения",
                state_body=state_bodies[k % 4],
                source_type=ct,
                source_id=pk,
                issued_on=day,
                sent_on=day,
                response_due=day + dt.timedelta(days=14),
                status=statuses[k % len(statuses)],
                is_demo=True,
            )
            for k, (ct, pk, day) in enumerate(sources)
        ]
    )
    RecommendationResponse.objects.bulk_create(
        [
            RecommendationResponse(
                recommendation=r,
                received_on=r.issued_on + dt.timedelta(days=9),
                text="Рекомендация принята к исполнению",
            )
            for r in recommendations
            if r.status in (RecommendationStatus.ANSWERED, RecommendationStatus.IMPLEMENTED)
        ]
    )

    # 9. Draft reviews: 89 (85 approved, 4 with remarks), discussion at least 10 calendar days.
    DraftActReview.objects.bulk_create(
        [
            DraftActReview(
                council=council,
                key=f"d{council.pk}-{k}",
                title=f"Проект постановления акимата города Алматы № {k + 1} (демо)",
                developer=state_bodies[k % 4],
                discussion_start=_day(k),
                discussion_end=_day(k) + dt.timedelta(days=12),
                conclusion=DraftConclusion.APPROVED_WITH_REMARKS
                if k % 89 in (3, 30, 55, 80)
                else DraftConclusion.APPROVED,
                remarks="Замечания по срокам реализации" if k % 89 in (3, 30, 55, 80) else "",
                is_demo=True,
            )
            for k in range(89 * scale)
        ]
    )

    # 10. Appeals: 213 from individuals (shares as in the report), 551 from legal entities.
    kinds = [(ApplicantType.INDIVIDUAL, c) for c, count in INDIVIDUAL_CATEGORIES for _ in range(count)]
    kinds += [(ApplicantType.LEGAL_ENTITY, LEGAL_CATEGORIES[k % 5]) for k in range(551)]
    appeals = []
    seq = 0
    for s in range(scale):
        for k, (applicant, category) in enumerate(kinds):
            seq += 1
            day = _day(k * 13 + s, range(1, 13))
            appeals.append(
                Appeal(
                    council=council,
                    year=YEAR,
                    sequence=seq,
                    number=f"{council.code}-{YEAR}-{seq:05d}",
                    registered_at=_aware(day),
                    channel=CHANNELS[k % 5],
                    applicant_type=applicant,
                    category=category,
                    status=AppealStatus.ANSWERED,
                    subject="Демо обращение",
                    text="Демо",
                    is_demo=True,
                )
            )
    Appeal.objects.bulk_create(appeals, batch_size=2000)

    # 11. Memoranda.
    partners = Partner.objects.bulk_create(
        [Partner(council=council, key=f"p{council.pk}-{k}", name=f"Партнер {k + 1}") for k in range(3)]
    )
    Memorandum.objects.bulk_create(
        [
            Memorandum(
                council=council,
                key=f"mm{council.pk}-{s}-{k}",
                title=title,
                partner=partners[k],
                signed_on=dt.date(YEAR, 4 + k * 3, 15),
                is_demo=True,
            )
            for s in range(scale)
            for k, title in enumerate(MEMORANDA)
        ]
    )
    # 7. Seats in consultative bodies: two at the city level and one republican (× scale).
    ConsultativeSeat.objects.bulk_create(
        [
            ConsultativeSeat(
                council=council,
                key=f"cs{council.pk}-{s}-{k}",
                person=people[10 + k],
                body_name=f"{name} ({s + 1})" if s else name,
                level=level,
                start_date=dt.date(YEAR, 5 + k, 1),
                is_demo=True,
            )
            for s in range(scale)
            for k, (name, level) in enumerate(CONSULTATIVE_BODIES)
        ]
    )
    e = Expected()
    if scale == 1:
        return e
    return Expected(
        commissions=7,
        council_meetings=17 * scale,
        presidium_meetings=4 * scale,
        hearings=4 * scale,
        monitoring=18 * scale,
        monitoring_by_month=tuple((m, c * scale) for m, c in e.monitoring_by_month),
        drafts=89 * scale,
        drafts_approved=89 * scale,
        drafts_with_remarks=4 * scale,
        appeals=764 * scale,
        individuals=213 * scale,
        legal_entities=551 * scale,
        seminars=5 * scale,
        round_tables=4 * scale,
        memoranda=3 * scale,
    )
