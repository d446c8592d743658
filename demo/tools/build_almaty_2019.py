# ruff: noqa: E501
"""Build demo/almaty_2019.json: the hand transcription (transcribed.py) plus the generated demo records.

    .venv/bin/python demo/tools/build_almaty_2019.py     # writes demo/almaty_2019.json
    .venv/bin/python demo/tools/check_figures.py         # checks it

Deterministic: a fixed seed and fixed lists, so running it twice writes the same bytes.
Generated (all `"demo": true`): 21 demo council members (20 on 31 Dec 2019 + one who left on 30 Sep),
3 demo experts, 88 of the 89 draft reviews, the 764 appeals, 4 seats in consultative bodies (the report names none).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import transcribed as T  # noqa: E402
from workdays import add_working_days, is_working_day, working_days  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "almaty_2019.json"
YEAR = 2019
SEED = 2019
RESPONSE_WORKING_DAYS = 10  # Law on public control: the body answers within 10 working days
APPEAL_WORKING_DAYS = 15  # АППК art. 76: 15 working days from registration
# The report names only some members; the others are invented, with names a council in Almaty would have (Kazakh
# names in Russian and in Kazakh forms, Russian, Korean, Uyghur, Tatar). None is a real member: the records carry
# "demo": true (is_demo in the database), and the flag, never the text a visitor reads, says so.
DEMO_MEMBER_NAMES = [
    "Ахметова Динара Сериковна",
    "Жумабеков Ерлан Маратович",
    "Ким Ольга Викторовна",
    "Сейітқали Айгерім Бекзатқызы",
    "Нурпеисов Асхат Кайратович",
    "Волкова Елена Николаевна",
    "Тұрсынбаев Нұрлан Серікұлы",
    "Абдрахманова Салтанат Ерболовна",
    "Исмаилов Рашид Абдуллаевич",
    "Оспанова Гульнара Жумабаевна",
    "Цой Александр Сергеевич",
    "Байжанов Марат Есенович",
    "Мухамеджанова Айжан Талгатовна",
    "Қасымов Дәулет Бауыржанұлы",
    "Садыкова Мадина Рустемовна",
    "Петренко Игорь Васильевич",
    "Ергалиева Жанар Амангельдиевна",
    "Сатпаев Берик Нурланович",
    "Хасанова Алия Ринатовна",
    "Есенова Әсел Қайратқызы",
    "Омаров Тимур Бахытжанович",
]
DEMO_EXPERT_NAMES = ["Рахимова Камила Азатовна", "Ли Денис Эдуардович", "Жаксылыков Арман Болатович"]


def d(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


def iso(day: dt.date) -> str:
    return day.isoformat()


# ---------------------------------------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------------------------------------
CONVOCATION_START = T.CONVOCATION["start_date"]
CONVOCATION_NUMBER = T.CONVOCATION["number"]
FIRST_MEETING = "2019-03-14"  # approves the II convocation, the presidium and the commission chairs
COMMISSIONS_APPROVED = "2019-04-11"  # approves the composition of the commissions
EXPERTS_APPROVED = "2019-05-16"  # «Собеседование и утверждение кандидатов в эксперты»

# Demo members: (number, affiliation, role, commissions, presidium seat role, start, end)
DEMO_MEMBERS = [
    (1, "civil_society", "chair", ["com-1"], "chair", None, None),
    (2, "civil_society", "deputy_chair", ["com-6"], "member", None, None),
    (3, "civil_society", "deputy_chair", ["com-7"], "member", None, None),
    (4, "civil_society", "member", ["com-1"], "member", None, None),
    (5, "civil_society", "member", ["com-2"], "member", None, None),
    (6, "civil_society", "member", ["com-3"], "member", None, None),
    (7, "civil_society", "member", ["com-4"], "member", None, None),
    (8, "civil_society", "member", ["com-5"], "member", None, None),
    (9, "civil_society", "member", ["com-6"], "member", None, None),
    (10, "civil_society", "member", ["com-7"], "member", None, None),
    (11, "civil_society", "member", ["com-1"], None, None, None),
    (12, "civil_society", "member", ["com-1"], None, None, None),
    (13, "civil_society", "member", ["com-6"], None, None, None),
    (14, "civil_society", "member", ["com-6"], None, None, None),
    (15, "civil_society", "member", ["com-7"], None, None, None),
    (16, "civil_society", "member", ["com-2"], None, None, None),
    (17, "civil_society", "member", ["com-6"], None, "2019-10-10", None),  # replaced no. 21
    (18, "state_body", "member", ["com-1"], None, None, None),
    (19, "state_body", "member", ["com-6"], None, None, None),
    (20, "state_body", "member", ["com-7"], None, None, None),
    (21, "civil_society", "member", ["com-6"], None, None, "2019-09-30"),  # left the council
]
# Commission chairs: demo members 04..10 chair commissions 1..7 (the report names no chair).
COMMISSION_CHAIRS = {f"com-{n}": f"p-demo-{n + 3:02d}" for n in range(1, 8)}
DEMO_EXPERTS = [(1, "com-3"), (2, "com-4"), (3, "com-7")]


def seat(body: str, role: str, start: str | None, end: str | None = None) -> dict:
    return {"body": body, "role": role, "start_date": start, "end_date": end}


def build_people() -> list[dict]:
    people = []
    for key, name, commissions in T.NAMED_MEMBERS:
        people.append(
            {
                "key": key,
                "full_name": name,
                "memberships": [
                    {
                        "convocation": CONVOCATION_NUMBER,
                        "affiliation": "civil_society",
                        "role": "member",
                        "start_date": CONVOCATION_START,
                        "end_date": None,
                    }
                ],
                "bodies": [seat(c, "member", COMMISSIONS_APPROVED) for c in commissions],
            }
        )
    for n, affiliation, role, commissions, presidium, start, end in DEMO_MEMBERS:
        key = f"p-demo-{n:02d}"
        start = start or CONVOCATION_START
        bodies = []
        if presidium:
            bodies.append(seat("presidium", presidium, FIRST_MEETING, end))
        for c in commissions:
            chair = COMMISSION_CHAIRS[c] == key
            seat_start = FIRST_MEETING if chair else max(COMMISSIONS_APPROVED, start)
            bodies.append(seat(c, "chair" if chair else "member", seat_start, end))
        person = {
            "key": key,
            "full_name": DEMO_MEMBER_NAMES[n - 1],
            "demo": True,
            "memberships": [
                {
                    "convocation": CONVOCATION_NUMBER,
                    "affiliation": affiliation,
                    "role": role,
                    "start_date": start,
                    "end_date": end,
                }
            ],
            "bodies": bodies,
        }
        if affiliation == "state_body":
            person["position"] = "представитель государственного органа"
        people.append(person)
    # Experts are no members (version 2 lists their appointments in `experts`): no membership, a commission seat.
    for n, commission in DEMO_EXPERTS:
        people.append(
            {
                "key": f"p-demo-expert-{n:02d}",
                "full_name": DEMO_EXPERT_NAMES[n - 1],
                "demo": True,
                "memberships": [],
                "bodies": [seat(commission, "member", EXPERTS_APPROVED)],
            }
        )
    for o in T.OUTSIDERS:
        person = {"key": o["key"], "full_name": o["full_name"]}
        for field in ("organisation", "position"):
            if o.get(field):
                person[field] = o[field]
        person["memberships"] = []
        if o.get("bodies"):
            person["bodies"] = [seat(b["body"], b["role"], None) for b in o["bodies"]]
        people.append(person)
    return people


# ---------------------------------------------------------------------------------------------------------
# Meetings
# ---------------------------------------------------------------------------------------------------------
def agenda(meeting_key: str, items: list[dict]) -> list[dict]:
    out = []
    for n, item in enumerate(items, start=1):
        row = {"key": f"{meeting_key}-ai-{n}", "number": n, "title": item["title"], "kind": item["kind"]}
        row["state_body"] = item["state_body"]
        if item["speakers"]:
            row["speakers"] = item["speakers"]
        if item["decision"]:
            row["decision"] = item["decision"]
        row["links"] = item["links"]
        out.append(row)
    return out


def meeting(key, kind, date, *, body=None, title="", goal="", items=(), links=None, extended=False):
    links = links if links is not None else [u for it in items for u in it["links"]]
    row = {"key": key, "kind": kind, "body": body, "title": title}
    if goal:
        row["goal"] = goal
    row.update(
        {
            "date": date,
            "is_open": True,
            "is_extended": extended,
            "attendance": None,
            "links": links,
            "demo": True,  # the report gives no meeting dates: every meeting date here is chosen
            "agenda": agenda(key, list(items)),
        }
    )
    return row


def build_meetings() -> list[dict]:
    body_names = {b["key"]: b["name"] for b in T.BODIES}
    out = []
    for n, (date, items) in enumerate(T.COUNCIL_MEETINGS, start=1):
        out.append(meeting(f"m-council-{n:02d}", "council", date, title="Заседание Общественного совета", items=items))
    for n, (date, items) in enumerate(T.PRESIDIUM_MEETINGS, start=1):
        out.append(
            meeting(
                f"m-presidium-{n:02d}",
                "presidium",
                date,
                body="presidium",
                title="Заседание Президиума Общественного совета",
                items=items,
            )
        )
    for n, (body, date, items) in enumerate(sorted(T.COMMISSION_MEETINGS, key=lambda m: m[1]), start=1):
        out.append(
            meeting(
                f"m-com-{n:02d}",
                "commission",
                date,
                body=body,
                title=f"Расширенное заседание: {body_names[body]}",
                items=items,
                extended=True,
            )
        )
    for n, (date, topic) in enumerate(T.SEMINARS, start=1):
        out.append(meeting(f"m-seminar-{n:02d}", "seminar", date, title=topic))
    for n, (date, topic, goal, links) in enumerate(T.ROUND_TABLES, start=1):
        out.append(meeting(f"m-rt-{n:02d}", "round_table", date, title=topic, goal=goal, links=links))
    w = T.WORKING_MEETING
    out.append(
        meeting(
            "m-working-01",
            "working",
            w["date"],
            body=w["body"],
            title=w["title"],
            goal=w["goal"],
            items=w["agenda"],
            links=w["links"],
        )
    )
    return out


# ---------------------------------------------------------------------------------------------------------
# Monitoring, hearings
# ---------------------------------------------------------------------------------------------------------
def link_kind(url: str) -> str:
    host = urlsplit(url).hostname or ""
    host = host.removeprefix("www.")
    if host == "almatykenes.kz":
        return "site"
    if host.endswith("facebook.com"):
        return "facebook"
    if host in {"24.kz", "almaty.tv"}:
        return "tv"
    if host in {
        "zakon.kz",
        "inalmaty.kz",
        "informburo.kz",
        "time.kz",
        "tengrinews.kz",
        "vlast.kz",
        "zonakz.net",
        "kaztag.kz",
        "today.kz",
    }:
        return "press"
    return "other"


def build_monitoring() -> list[dict]:
    out = []
    for m in T.MONITORING:
        participants = []
        for who, kind in m["participants"]:
            if who.startswith("="):
                participants.append({"person": None, "name": who[1:], "kind": kind})
            else:
                participants.append({"person": who, "kind": kind})
        out.append(
            {
                "key": m["key"],
                "topic": m["topic"],
                "date": f"{YEAR}-{m['month']:02d}-01",
                "date_precision": "month",
                "commission": m["commission"],
                "participants": participants,
                "recommendations_summary": m["recommendations_summary"],
                "publicity": [{"url": u, "kind": link_kind(u)} for u in m["publicity"]],
                "publicity_note": m["publicity_note"],
                "results": m["results"],
            }
        )
    return out


def build_hearings() -> list[dict]:
    out = []
    for h in T.HEARINGS:
        row = {k: h[k] for k in ("key", "number", "topic", "date", "organiser")}
        row["participants"] = ""
        row["resolution"] = h["resolution"]
        row["links"] = h["links"]
        if h.get("demo"):
            row["demo"] = True
        out.append(row)
    return out


# ---------------------------------------------------------------------------------------------------------
# Recommendations
# ---------------------------------------------------------------------------------------------------------
def recommendation(key, text, state_body, source_type, source_key, issued_on, sent_on, history, responses, demo=False):
    row = {
        "key": key,
        "text": text,
        "state_body": state_body,
        "source": {"type": source_type, "key": source_key},
        "issued_on": issued_on,
        "sent_on": sent_on,
        "response_due": iso(add_working_days(d(sent_on), RESPONSE_WORKING_DAYS)) if sent_on else None,
        "status": history[-1][0],
        "responses": [{"received_on": r, "text": t} for r, t in responses],
        "history": [{"status": s, "date": day, "note": note} for s, day, note in history],
    }
    if demo:
        row["demo"] = True
    return row


def build_recommendations(meetings: list[dict], draft_review_key: str) -> list[dict]:
    out = []
    for r in T.MONITORING_RECOMMENDATIONS:
        out.append(
            recommendation(
                r["key"],
                r["text"],
                r["state_body"],
                "monitoring",
                r["source"],
                r["issued_on"],
                r["sent_on"],
                r["history"],
                r["responses"],
            )
        )
        if r["key"] == "rec-mon-04-3":
            # «Рекомендации и предложения направлены в районные акиматы г. Алматы»: one per district akimat.
            for i, (slug, _gen) in enumerate(T.DISTRICTS):
                answered = iso(add_working_days(d("2019-04-23"), 6 + i % 3))
                out.append(
                    recommendation(
                        f"rec-mon-04-4-{slug}",
                        "Рекомендации и предложения по итогам акции по «Весенней уборке»",
                        f"almaty-{slug}-district-akimat",
                        "monitoring",
                        "mon-04-4",
                        "2019-04-19",
                        "2019-04-23",
                        [
                            ("sent", "2019-04-23", ""),
                            ("answered", answered, "Получены ответы"),
                            (
                                "implemented",
                                "2019-06-14",
                                "Устранены нарушения, предложения и рекомендации взяты на контроль и внесены в планы программы развития «Алматы-2020»",
                            ),
                        ],
                        [(answered, "Получен ответ акимата района: нарушения устранены.")],
                    )
                )
    for r in T.HEARING_RECOMMENDATIONS:
        out.append(
            recommendation(
                r["key"],
                r["text"],
                r["state_body"],
                "hearing",
                r["source"],
                r["issued_on"],
                r["sent_on"],
                r["history"],
                r["responses"],
            )
        )
    # «По всем заслушанным отчетам государственных органов ... были выработаны и направлены рекомендации»,
    # «реализация которых Общественным советом взята на контроль»: one per report heard at a commission.
    sb_names = {s["key"]: s["name"] for s in T.STATE_BODIES}
    for m in meetings:
        if m["kind"] != "commission":
            continue
        for item in m["agenda"]:
            if item["kind"] != "report_hearing":
                continue
            sent = add_working_days(d(m["date"]), 5)
            control = add_working_days(sent, 15)
            out.append(
                recommendation(
                    f"rec-{item['key']}",
                    f"Рекомендации Общественного совета по итогам заслушивания отчета: {sb_names[item['state_body']]} "
                    "(с рекомендациями можно ознакомиться на сайте http://almatykenes.kz/ru/)",
                    item["state_body"],
                    "agenda_item",
                    item["key"],
                    m["date"],
                    iso(sent),
                    [
                        ("sent", iso(sent), ""),
                        ("in_progress", iso(control), "Реализация рекомендаций взята на контроль Общественного совета"),
                    ],
                    [],
                )
            )
    p = T.PEACEFUL_ASSEMBLIES_RECOMMENDATION
    out.append(
        recommendation(
            f"rec-{draft_review_key}",
            p["text"],
            p["state_body"],
            "draft_review",
            draft_review_key,
            p["issued_on"],
            p["sent_on"],
            p["history"],
            p["responses"],
        )
    )
    return out


# ---------------------------------------------------------------------------------------------------------
# Draft reviews: 1 transcribed + 88 demo. 85 approved, 4 approved with remarks (3 demo + «О мирных собраниях»).
# ---------------------------------------------------------------------------------------------------------
EDU = "almaty-education-department"
SOC = "almaty-social-welfare-department"
MOB = "almaty-mobility-department"
GREEN = "almaty-green-economy-department"
ENT = "almaty-entrepreneurship-investment-department"
URB = "almaty-urban-planning-department"
CUL = "almaty-culture-department"
LAND = "almaty-land-relations-department"
BUD = "almaty-strategy-budget-department"
ENV = "almaty-comfortable-environment-department"
AKIMAT = "almaty-akimat"

DRAFT_SUBJECTS = [
    (
        "Об утверждении государственного образовательного заказа на дошкольное воспитание и обучение, размера родительской платы на 2019 год",
        EDU,
    ),
    (
        "Об утверждении государственного образовательного заказа на подготовку кадров с техническим и профессиональным, послесредним образованием на 2019-2020 учебный год",
        EDU,
    ),
    ("Об организации бесплатного горячего питания обучающихся из малообеспеченных и многодетных семей", EDU),
    ("Об утверждении Правил организации летнего отдыха и оздоровления детей", EDU),
    (
        "Об утверждении Правил предоставления мест в общежитиях организаций технического и профессионального образования",
        EDU,
    ),
    ("Об установлении квоты рабочих мест для трудоустройства лиц с инвалидностью на 2019 год", SOC),
    ("Об установлении квоты рабочих мест для трудоустройства лиц, освобожденных из мест лишения свободы", SOC),
    (
        "Об установлении квоты рабочих мест для трудоустройства граждан из числа молодежи, потерявших или оставшихся до наступления совершеннолетия без попечения родителей",
        SOC,
    ),
    ("Об организации оплачиваемых общественных работ на 2019 год", SOC),
    ("Об оказании социальной помощи многодетным семьям на приобретение школьной формы", SOC),
    (
        "Об утверждении плана мероприятий по обеспечению доступности объектов социальной и транспортной инфраструктуры для лиц с инвалидностью",
        SOC,
    ),
    (
        "Об определении мест для размещения агитационных печатных материалов и предоставлении помещений для встреч с избирателями",
        AKIMAT,
    ),
    (
        "Об утверждении Плана мероприятий по противодействию коррупции в местных исполнительных органах города Алматы на 2019-2020 годы",
        AKIMAT,
    ),
    ("Об утверждении Правил обеспечения общественного порядка при проведении массовых мероприятий", AKIMAT),
    (
        "Об утверждении Комплексного плана мероприятий по реализации программы «Безопасный город»",
        "almaty-police-department",
    ),
    ("Об установлении тарифов на регулярные автомобильные перевозки пассажиров и багажа в городском сообщении", MOB),
    ("Об утверждении маршрутной сети регулярных автомобильных перевозок пассажиров и багажа города Алматы", MOB),
    ("Об организации платных парковок на территории города Алматы", MOB),
    ("Об утверждении схемы организации дорожного движения на проспекте Аль-Фараби", MOB),
    ("Об утверждении Правил организации зон ограничения въезда грузового автотранспорта", MOB),
    ("Об утверждении перечня автомобильных дорог общего пользования местного значения города Алматы", MOB),
    ("Об утверждении схемы развития велосипедной инфраструктуры города Алматы", MOB),
    (
        "О проведении весеннего и осеннего месячников по благоустройству, санитарной очистке и озеленению территории города Алматы",
        ENV,
    ),
    ("О проведении ремонта фасадов и кровель многоквартирных жилых домов", ENV),
    ("Об утверждении Правил благоустройства и содержания дворовых территорий", ENV),
    ("Об утверждении нормативов образования и накопления коммунальных отходов", GREEN),
    ("Об утверждении Плана мероприятий по снижению загрязнения атмосферного воздуха города Алматы", GREEN),
    ("Об утверждении Правил проведения компенсационной посадки деревьев", GREEN),
    ("Об определении мест для размещения площадок раздельного сбора твердых бытовых отходов", GREEN),
    ("Об утверждении Правил организации отлова и содержания безнадзорных животных", "almaty-veterinary-division"),
    ("Об утверждении Правил содержания домашних животных на территории города Алматы", "almaty-veterinary-division"),
    ("Об определении перечня социально значимых продовольственных товаров и предельно допустимых розничных цен", ENT),
    ("Об утверждении Правил организации торговли на ярмарках выходного дня", ENT),
    (
        "О предоставлении субсидий субъектам малого и среднего предпринимательства в рамках программы «Дорожная карта бизнеса-2020»",
        ENT,
    ),
    ("Об утверждении Правил размещения объектов наружной (визуальной) рекламы в городе Алматы", URB),
    ("Об утверждении дизайн-кода города Алматы", URB),
    ("Об утверждении проекта детальной планировки микрорайона «Карасу»", URB),
    (
        "Об утверждении Правил выдачи разрешений на производство земляных работ",
        "almaty-urban-development-control-department",
    ),
    ("Об установлении границ охранных зон объектов историко-культурного наследия местного значения", CUL),
    ("Об утверждении Правил проведения культурно-массовых мероприятий на открытых площадках", CUL),
    ("Об утверждении Правил пользования местами отдыха на водных объектах города Алматы", "almaty-tourism-department"),
    ("Об утверждении туристских маршрутов и троп на территории города Алматы", "almaty-tourism-department"),
    ("Об утверждении порядка предоставления земельных участков для индивидуального жилищного строительства", LAND),
    ("Об установлении публичного сервитута на земельные участки для прокладки инженерных сетей", LAND),
    ("Об изъятии земельных участков для государственных нужд", LAND),
    ("О внесении изменений в Программу развития территории города Алматы на 2016-2020 годы «Алматы-2020»", BUD),
    ("Об утверждении Правил проведения пилотного проекта «Бюджет участия города Алматы» на 2019-2020 годы", BUD),
    ("Об утверждении бюджетных программ администраторов бюджетных программ города Алматы на 2020 год", BUD),
    ("Об утверждении Положения об общественных пространствах города Алматы", "almaty-public-development-department"),
    ("О подготовке к отопительному сезону 2019-2020 годов", "almaty-heating-networks"),
] + [
    (
        f"Об утверждении плана благоустройства и озеленения территории {gen} района на 2019 год",
        f"almaty-{slug}-district-akimat",
    )
    for slug, gen in T.DISTRICTS
]
AMEND = "О внесении изменений и дополнений в постановление акимата города Алматы «{}»"
N_AMENDMENTS = 88 - len(DRAFT_SUBJECTS)
WITH_REMARKS = {
    "Об организации платных парковок на территории города Алматы": "Рекомендовано уточнить порядок определения зон платной парковки и предусмотреть льготы для жителей.",
    "Об утверждении дизайн-кода города Алматы": "Рекомендовано провести дополнительное обсуждение с жителями и предпринимателями исторического центра.",
    "Об утверждении Правил организации отлова и содержания безнадзорных животных": "Рекомендовано учесть предложения рабочей группы «Проект Добрый Город» о гуманном обращении с животными.",
}


def build_draft_reviews(rng: random.Random) -> tuple[list[dict], str]:
    titles = [(s, dev) for s, dev in DRAFT_SUBJECTS]
    amendable = [t for t in DRAFT_SUBJECTS if not t[0].startswith("О внесении")]
    titles += [(AMEND.format(s), dev) for s, dev in rng.sample(amendable, N_AMENDMENTS)]
    assert len(titles) == 88
    rng.shuffle(titles)
    days = working_days(dt.date(YEAR, 3, 4), dt.date(YEAR, 12, 13))
    starts = sorted(rng.choice(days) for _ in titles)
    rows = []
    for (subject, developer), start in zip(titles, starts, strict=True):
        end = min(start + dt.timedelta(days=rng.randint(10, 20)), dt.date(YEAR, 12, 31))
        remarks = WITH_REMARKS.get(subject, "")
        rows.append(
            {
                "title": f"Проект постановления акимата города Алматы «{subject}»",
                "developer": developer,
                "discussion_start": iso(start),
                "discussion_end": iso(end),
                "conclusion": "approved_with_remarks" if remarks else "approved",
                "remarks": remarks,
                "demo": True,
            }
        )
    p = T.PEACEFUL_ASSEMBLIES_REVIEW
    rows.append({**p})
    rows.sort(key=lambda r: (r["discussion_start"], r["title"]))
    out = []
    real_key = ""
    for n, r in enumerate(rows, start=1):
        key = f"dr-{n:03d}"
        if not r.get("demo"):
            real_key = key
        out.append({"key": key, **r})
    return out, real_key


# ---------------------------------------------------------------------------------------------------------
# Appeals: 764 = 213 individuals + 551 legal entities
# ---------------------------------------------------------------------------------------------------------
# Individuals: 70% ecology/transport/improvement (149), 20% other (43), 10% housing/КСК (21).
INDIVIDUAL_CATEGORIES = {
    "ecology": 45,
    "transport": 47,
    "improvement": 57,
    "health": 10,
    "education": 9,
    "social": 10,
    "law_order": 7,
    "other": 7,
    "housing": 21,
}
LEGAL_CATEGORIES = {
    "improvement": 130,
    "transport": 85,
    "ecology": 70,
    "housing": 60,
    "social": 45,
    "education": 40,
    "health": 35,
    "law_order": 30,
    "other": 56,
}
CHANNELS = {
    "individual": {"social": 40, "duty_service": 25, "email": 15, "in_person": 12, "web": 8},
    "legal_entity": {"email": 50, "in_person": 25, "social": 10, "web": 10, "duty_service": 5},
}
ASSIGNED_COMMISSION = {
    "ecology": "com-3",
    "transport": "com-3",
    "improvement": "com-2",
    "housing": "com-2",
    "health": "com-4",
    "education": "com-4",
    "social": "com-4",
    "law_order": "com-7",
    "other": "com-1",
}
FORWARD_TO = {
    "ecology": [GREEN],
    "transport": [MOB],
    "improvement": [ENV, *T.DISTRICT_AKIMATS],
    "housing": T.DISTRICT_AKIMATS,
    "health": ["almaty-health-department"],
    "education": [EDU],
    "social": [SOC, "almaty-labour-social-protection-department"],
    "law_order": ["almaty-police-department"],
    "other": [AKIMAT],
}
LAST_REGISTRATION = dt.date(YEAR, 12, 6)  # + 15 working days = 31 Dec: every deadline stays in 2019
LATE = dt.date(YEAR, 11, 18)  # appeals registered from here on may still be open at the end of the year


def weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def build_appeals(rng: random.Random) -> list[dict]:
    pool = [("individual", c) for c, n in INDIVIDUAL_CATEGORIES.items() for _ in range(n)]
    pool += [("legal_entity", c) for c, n in LEGAL_CATEGORIES.items() for _ in range(n)]
    assert len(pool) == 764
    rng.shuffle(pool)
    days = working_days(dt.date(YEAR, 3, 1), LAST_REGISTRATION)
    dates = sorted(rng.choice(days) for _ in pool)
    out = []
    for seq, ((applicant, category), registered) in enumerate(zip(pool, dates, strict=True), start=1):
        if registered >= LATE:
            status = weighted(rng, {"forwarded": 40, "answer_received": 15, "answered": 25, "closed": 20})
        else:
            status = weighted(rng, {"closed": 64, "answered": 33, "left_without_consideration": 3})
        forwarded_to = None
        if status in {"forwarded", "answer_received"} or (status in {"closed", "answered"} and rng.random() < 0.4):
            forwarded_to = rng.choice(FORWARD_TO[category])
        answered_on = None
        if status in {"closed", "answered"}:
            answered_on = iso(add_working_days(registered, rng.randint(3, 14)))
        out.append(
            {
                "number": f"{T.COUNCIL['code']}-{YEAR}-{seq:06d}",
                "registered_on": iso(registered),
                "applicant_type": applicant,
                "channel": weighted(rng, CHANNELS[applicant]),
                "category": category,
                "status": status,
                "due_date": iso(add_working_days(registered, APPEAL_WORKING_DAYS)),
                "answered_on": answered_on,
                "forwarded_to": forwarded_to,
                "assigned_body": ASSIGNED_COMMISSION[category],
                "demo": True,
            }
        )
    return out


# ---------------------------------------------------------------------------------------------------------
# Seats in consultative and advisory bodies (part 7 of the report): the report says only that members sat in
# such bodies «как на региональном, так и на республиканском уровнях» and names none, so every seat is demo.
# (key, demo member, body, state body, level, start, end)
DEMO_CONSULTATIVE_SEATS = [
    (
        "cs-2019-04-15",
        5,
        "Комиссия по вопросам благоустройства и озеленения при акимате города Алматы",
        "almaty-akimat",
        "local",
        "2019-04-15",
        None,
    ),
    (
        "cs-2019-05-20",
        6,
        "Комиссия по обеспечению безопасности дорожного движения при акимате города Алматы",
        "almaty-akimat",
        "local",
        "2019-05-20",
        None,
    ),
    (
        "cs-2019-06-10",
        10,
        "Совет по противодействию коррупции при акимате города Алматы",
        "almaty-akimat",
        "local",
        "2019-06-10",
        "2019-12-20",
    ),
    (
        "cs-2019-09-16",
        2,
        "Республиканский совет по делам молодежи при Министерстве информации и общественного развития Республики Казахстан",
        None,
        "republican",
        "2019-09-16",
        None,
    ),
]


def build_consultative_seats() -> list[dict]:
    return [
        {
            "key": key,
            "person": f"p-demo-{member:02d}",
            "body_name": body,
            "state_body": state_body,
            "level": level,
            "start_date": start,
            "end_date": end,
            "note": "Демо-запись: отчет не называет консультативно-совещательные органы.",
            "demo": True,
        }
        for key, member, body, state_body, level, start, end in DEMO_CONSULTATIVE_SEATS
    ]


# ---------------------------------------------------------------------------------------------------------
# Official Kazakh names (version 2 of the format). The report is in Russian only, so these are not transcribed:
# a name is written only where the official Kazakh form is certain; elsewhere `name_kk` is left out and the page
# shows the Russian marked lang="ru" (an empty name is better than a wrong one). The council's Kazakh short name
# is not written: no official abbreviation is certain.
COUNCIL_KK = {"name_kk": "Алматы қаласының Қоғамдық кеңесі"}
CONVOCATION_KK = {"name_kk": "II құрам"}
BODY_NAMES_KK = {
    "presidium": "Қоғамдық кеңестің президиумы",
    "com-1": "Экономика және жергілікті мемлекеттік басқару мәселелері жөніндегі комиссия",
    "com-2": "Жайлы қалалық орта мәселелері жөніндегі комиссия",
    "com-3": "Кәсіпкерлік, экология және қалалық мобильділік мәселелері жөніндегі комиссия",
    "com-4": "Әлеуметтік әл-ауқат мәселелері жөніндегі комиссия",
    "com-5": "Қоғамдық даму, мәдениет және спорт мәселелері жөніндегі комиссия",
    "com-6": "Энергия тиімділігі және инфрақұрылымдық даму мәселелері жөніндегі комиссия",
    "com-7": "Заңдылық және құқықтық тәртіп мәселелері жөніндегі комиссия",
    # wg-dobry-gorod: the project's name has no official Kazakh form.
}
STATE_BODY_NAMES_KK = {
    "almaty-akimat": "Алматы қаласының әкімдігі",
    # The departments' official Kazakh names (Алматы қаласының ... басқармасы) were renamed often around 2019 and
    # none is certain from the sources at hand: left out.
}


def build_bodies() -> list[dict]:
    out = []
    for b in T.BODIES:
        row = {"key": b["key"], "convocation": CONVOCATION_NUMBER, **{k: v for k, v in b.items() if k != "key"}}
        if b["key"] in BODY_NAMES_KK:
            row["name_kk"] = BODY_NAMES_KK[b["key"]]
        out.append(row)
    return out


def build_state_bodies() -> list[dict]:
    out = []
    for s in T.STATE_BODIES:
        row = {k: s[k] for k in ("key", "name", "kind", "city") if k in s}
        if s["key"] in STATE_BODY_NAMES_KK:
            row["name_kk"] = STATE_BODY_NAMES_KK[s["key"]]
        out.append(row)
    return out


def build_experts() -> list[dict]:
    """The 3 demo experts, approved at the council meeting of 16 May 2019 (not members, never counted)."""
    return [
        {"person": f"p-demo-expert-{n:02d}", "start_date": EXPERTS_APPROVED, "end_date": None}
        for n, _commission in DEMO_EXPERTS
    ]


# ---------------------------------------------------------------------------------------------------------
def build() -> dict:
    rng = random.Random(SEED)
    meetings = build_meetings()
    for m in meetings:
        assert is_working_day(d(m["date"])), m["key"]
    draft_reviews, real_review_key = build_draft_reviews(rng)
    appeals = build_appeals(rng)
    return {
        "format": "oversight.council-activity/3",
        "year": YEAR,
        "council": {**T.COUNCIL, **COUNCIL_KK},
        "convocations": [{**T.CONVOCATION, **CONVOCATION_KK}],
        "bodies": build_bodies(),
        "people": build_people(),
        "state_bodies": build_state_bodies(),
        "meetings": meetings,
        "hearings": build_hearings(),
        "monitoring": build_monitoring(),
        "draft_reviews": draft_reviews,
        "recommendations": build_recommendations(meetings, real_review_key),
        "appeals": appeals,
        "partners": T.PARTNERS,
        "memoranda": T.MEMORANDA,
        "consultative_seats": build_consultative_seats(),
        "experts": build_experts(),
        "work_plan": build_work_plan(meetings, draft_reviews),
    }


def build_work_plan(meetings: list[dict], draft_reviews: list[dict]) -> list[dict]:
    """The 2019 plan with its execution: each item's due date and the records that carried it out."""
    records = {n: list(links) for n, links in T.WORK_PLAN_RECORDS.items()}
    records[2] = [
        ("meeting", m["key"])
        for m in meetings
        if any(a["kind"] == "report_hearing" and a.get("state_body") for a in m.get("agenda", []))
    ]
    records[3] = [("hearing", h["key"]) for h in build_hearings()]
    records[4] = [("monitoring", e["key"]) for e in build_monitoring()]
    records[5] = [("draft_review", r["key"]) for r in draft_reviews]
    records[7] = [("meeting", m["key"]) for m in meetings if m["kind"] == "seminar"]
    records[8] = [("meeting", m["key"]) for m in meetings if m["kind"] == "round_table"]
    return [
        {
            "number": n,
            "activity": a,
            "period": p,
            "expected_result": r,
            "responsible": who,
            "status": s,
            "due_date": T.WORK_PLAN_DUE[n],
            "status_reason": "",
            "records": [{"record": {"type": kind, "key": key}} for kind, key in records.get(n, [])],
        }
        for n, a, p, r, who, s in T.WORK_PLAN
    ]


def main() -> None:
    data = build()
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
