"""The Almaty demo's news (`manage.py load_demo` adds them after the council-activity file, which does not carry
news yet): the council's statement «for fair elections», whose draft the Presidium discussed on 14 May 2019 (the
2019 report), and two items on its public hearings. The texts are short demo summaries of what the report says,
marked as such; the statement is given in Kazakh and English too, the others in Russian only (a Kazakh reader sees
the Russian, marked). Running it again changes nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from councils.models import Council
from councils.ownership import council_path
from councils.plan import plan_record_kinds

from .models import NewsItem, NewsKind, NewsLink, NewsStatus

DEMO_NOTE = "Демонстрационная запись по годовому отчёту совета за 2019 год."


@dataclass(frozen=True)
class DemoItem:
    key: str
    kind: str
    publish_at: dt.datetime  # local time (DJANGO_TIME_ZONE)
    title_ru: str
    body_ru: str
    title_kk: str = ""
    title_en: str = ""
    body_kk: str = ""
    body_en: str = ""
    links: tuple[tuple[str, str], ...] = ()  # (kind of record, its key in the council-activity file)


ALMATY_2019: list[DemoItem] = [
    DemoItem(
        key="statement-fair-elections-2019",
        kind=NewsKind.STATEMENT,
        publish_at=dt.datetime(2019, 5, 15, 10, 0),
        title_ru="Общественный совет города Алматы за честные выборы",
        title_kk="Алматы қаласының Қоғамдық кеңесі адал сайлау үшін",
        title_en="The Almaty Public Council for fair elections",
        body_ru=(
            "Президиум Общественного совета города Алматы 14 мая 2019 года обсудил проект обращения совета "
            "«Общественный совет города Алматы за честные выборы» в связи с досрочными выборами Президента "
            "Республики Казахстан.\n\n" + DEMO_NOTE
        ),
        body_kk=(
            "Алматы қаласы Қоғамдық кеңесінің Президиумы 2019 жылғы 14 мамырда Қазақстан Республикасы Президентінің "
            "кезектен тыс сайлауына байланысты «Алматы қаласының Қоғамдық кеңесі адал сайлау үшін» үндеуінің "
            "жобасын талқылады.\n\nКеңестің 2019 жылғы есебі бойынша демонстрациялық жазба."
        ),
        body_en=(
            "On 14 May 2019 the Presidium of the Almaty Public Council discussed the council's draft appeal "
            "«The Almaty Public Council for fair elections», on the early presidential election in Kazakhstan.\n\n"
            "A demo record based on the council's 2019 report."
        ),
        links=(("meeting", "m-presidium-02"),),
    ),
    DemoItem(
        key="press-hearing-sports-2019",
        kind=NewsKind.PRESS_RELEASE,
        publish_at=dt.datetime(2019, 4, 26, 18, 0),
        title_ru="Общественные слушания о доступности спортивных секций для детей и молодёжи",
        body_ru=(
            "26 апреля 2019 года Общественный совет провёл общественные слушания о доступности спортивных секций "
            "для детей и молодёжи города Алматы. Рекомендации, прозвучавшие на слушаниях, включены в резолюцию и "
            "направлены в государственные органы.\n\n" + DEMO_NOTE
        ),
        links=(("hearing", "h-1"),),
    ),
    DemoItem(
        key="news-hearing-comfort-2019",
        kind=NewsKind.NEWS,
        publish_at=dt.datetime(2019, 12, 12, 18, 0),
        title_ru="Слушания о комфортных условиях для проживания и передвижения жителей",
        body_ru=(
            "12 декабря 2019 года прошли общественные слушания о создании комфортных условий для проживания и "
            "передвижения жителей и рациональном использовании территории города.\n\n" + DEMO_NOTE
        ),
        links=(("hearing", "h-4"),),
    ),
]


def _record_id(council: Council, kind_key: str, record_key: str) -> int | None:
    kind = plan_record_kinds().get(kind_key)
    path = council_path(kind.model) if kind is not None else None
    if kind is None or path is None:
        return None
    pk = kind.model._default_manager.filter(**{path: council, "key": record_key}).values_list("pk", flat=True).first()
    return int(pk) if pk is not None else None


@transaction.atomic
def load_demo_news(*, council: Council, items: list[DemoItem] | None = None) -> int:
    """The demo items of the council that are not there yet; returns how many were added."""
    added = 0
    zone = timezone.get_current_timezone()
    for entry in ALMATY_2019 if items is None else items:
        if NewsItem.objects.filter(council=council, key=entry.key).exists():
            continue
        item = NewsItem.objects.create(
            council=council,
            key=entry.key,
            kind=entry.kind,
            status=NewsStatus.PUBLISHED,
            publish_at=timezone.make_aware(entry.publish_at, zone),
            released=True,
            is_demo=True,
            title_ru=entry.title_ru,
            title_kk=entry.title_kk,
            title_en=entry.title_en,
            body_ru=entry.body_ru,
            body_kk=entry.body_kk,
            body_en=entry.body_en,
        )
        for kind_key, record_key in entry.links:
            object_id = _record_id(council, kind_key, record_key)
            if object_id is not None:
                NewsLink.objects.create(item=item, kind=kind_key, object_id=object_id)
        added += 1
    return added
