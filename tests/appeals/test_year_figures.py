"""The year's appeals by applicant type and category, channel, month and locality are counted by the database as
appeals come, go and change (AppealYearFigure), so the council page's figures read a few dozen rows instead of
the year's appeals. Whatever path writes the appeals, the kept counts equal counting the appeals themselves."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import Count
from django.db.models.functions import ExtractMonth
from django.test import Client
from django.test.utils import CaptureQueriesContext

from appeals.categories import appeal_place_counts
from appeals.models import Appeal, ApplicantType, Category, Channel, Locality
from appeals.selectors import appeal_counts
from tests import factories as f

pytestmark = pytest.mark.django_db

ALMATY = ZoneInfo("Asia/Almaty")


def _at(year: int, month: int, day: int = 4, hour: int = 10) -> dt.datetime:
    return dt.datetime(year, month, day, hour, 0, tzinfo=ALMATY)


def counted(council, year: int) -> dict[str, dict[str, int]]:
    """The figures as the page used to count them: grouped over the year's appeals."""
    appeals = Appeal.objects.filter(council=council, year=year).order_by()
    out: dict[str, dict[str, int]] = {"type_category": {}, "channel": {}, "month": {}, "locality": {}}
    for row in appeals.values("applicant_type", "category").annotate(n=Count("id")):
        out["type_category"][f"{row['applicant_type']}:{row['category']}"] = row["n"]
    for row in appeals.values("channel").annotate(n=Count("id")):
        out["channel"][row["channel"]] = row["n"]
    for row in appeals.annotate(m=ExtractMonth("registered_at")).values("m").annotate(n=Count("id")):
        out["month"][str(row["m"])] = row["n"]
    for row in appeals.values("locality__code").annotate(n=Count("id")):
        out["locality"][row["locality__code"] or ""] = row["n"]
    return out


def shown(council, year: int) -> dict[str, dict[str, int]]:
    """The same figures as the selectors now give them, from the kept counts."""
    counts = appeal_counts(council=council, year=year, as_of=dt.date(year, 12, 31), outcomes=False)
    places = appeal_place_counts(council=council, year=year)
    by_type_category = {}
    for applicant_type, per_category in (
        (ApplicantType.INDIVIDUAL, counts.individuals_by_category),
        (ApplicantType.LEGAL_ENTITY, counts.legal_entities_by_category),
    ):
        by_type_category |= {f"{applicant_type}:{c}": n for c, n in per_category.items() if n}
    assert sum(places.by_category.values()) == counts.total
    assert {c: n for c, n in places.by_category.items() if n} == {c: n for c, n in counts.by_category.items() if n}
    return {
        "type_category": by_type_category,
        "channel": {c: n for c, n in counts.by_channel.items() if n},
        "month": {m: n for m, n in counts.by_month.items() if n},
        "locality": {c: n for c, n in places.by_locality.items() if n}
        | ({"": places.without_locality} if places.without_locality else {}),
    }


def test_kept_figures_equal_counting_through_every_kind_of_write(personas):
    council, other = personas.council, personas.other_council
    district = Locality.objects.create(council=council, code="medeu", name="Медеуский район")
    town = Locality.objects.create(council=council, code="talgar", name="Талгар")
    appeals = [
        f.AppealFactory(council=council, registered_at=_at(2019, 1, 1, hour=1)),  # 31 Dec 20:00 UTC: January here
        f.AppealFactory(council=council, registered_at=_at(2019, 3), channel=Channel.EMAIL, locality=district),
        f.AppealFactory(
            council=council,
            registered_at=_at(2019, 3),
            applicant_type=ApplicantType.LEGAL_ENTITY,
            category=Category.TRANSPORT,
            locality=town,
        ),
        f.AppealFactory(council=council, registered_at=_at(2019, 11), category=Category.HEALTH),
        f.AppealFactory(council=other, registered_at=_at(2019, 5)),
    ]
    Appeal.objects.bulk_create(
        f.AppealFactory.build(
            council=council, registered_at=_at(2019, 7), sequence=100 + n, number=f"B-{n}", locality=district
        )
        for n in range(4)
    )
    assert shown(council, 2019) == counted(council, 2019)
    assert shown(other, 2019) == counted(other, 2019)

    # Changes of every counted column, one by one and in bulk; a deletion; a move to another council and year.
    appeals[1].category = Category.ECOLOGY
    appeals[1].channel = Channel.PHONE
    appeals[1].locality = None
    appeals[1].save()
    Appeal.objects.filter(locality=district).update(locality=town, applicant_type=ApplicantType.LEGAL_ENTITY)
    Appeal.objects.filter(pk=appeals[3].pk).update(registered_at=_at(2019, 12))
    appeals[0].delete()
    Appeal.objects.filter(pk=appeals[2].pk).update(council=other)
    Appeal.objects.filter(pk=appeals[4].pk).update(year=2020, registered_at=_at(2020, 2))
    for each_council in (council, other):
        for year in (2019, 2020):
            assert shown(each_council, year) == counted(each_council, year), (each_council, year)
    Appeal.objects.filter(council=council).delete()
    assert (
        shown(council, 2019)
        == counted(council, 2019)
        == {"type_category": {}, "channel": {}, "month": {}, "locality": {}}
    )


def test_the_council_page_reads_no_appeal_however_many_the_year_has(personas):
    council = personas.council
    for n in range(30):
        f.AppealFactory(council=council, registered_at=_at(2019, 1 + n % 12), channel=Channel.EMAIL)
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = Client().get(f"/ru/councils/{council.slug}/?year=2019")
    assert response.status_code == 200
    reads = [q["sql"] for q in captured.captured_queries if 'FROM "appeals_appeal"' in q["sql"]]
    assert reads == [], reads
