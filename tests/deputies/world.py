"""A small maslikhat for the deputies tests: an NGO monitor (a council of kind ngo_monitor) watching Pavlodar's
city maslikhat, two constituencies with their localities, three deputies (one on a party list)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from councils.models import Council, CouncilKind, CouncilStaff, StaffRole
from deputies.models import (
    BodyConvocation,
    BodyLevel,
    Committee,
    Constituency,
    Deputy,
    DeputyOffice,
    Locality,
    Mandate,
    MonitoredBody,
    Party,
    RepresentativeBody,
)

START = dt.date(2023, 3, 29)


@dataclass
class DeputiesWorld:
    ngo: Council
    body: RepresentativeBody
    convocation: BodyConvocation
    district_1: Constituency
    district_2: Constituency
    locality: Locality
    other_locality: Locality
    ivanova: Deputy
    seitkali: Deputy
    listed: Deputy
    monitor: object
    reviewer: object
    office: object


def build(*, slug: str = "desenta", city: str = "pavlodar") -> DeputiesWorld:
    User = get_user_model()
    ngo = Council.objects.create(
        slug=slug, code=slug[:3].upper(), name="ОФ «Десента»", kind=CouncilKind.NGO_MONITOR, city="Павлодар"
    )
    body = RepresentativeBody.objects.create(
        slug=f"{city}-city-maslikhat",
        level=BodyLevel.CITY,
        name_ru="Павлодарский городской маслихат",
        name_kk="Павлодар қалалық мәслихаты",
        city=city,
        seats=25,
    )
    MonitoredBody.objects.create(council=ngo, body=body)
    convocation = BodyConvocation.objects.create(body=body, number=8, name_ru="VIII созыв", start_date=START)
    locality = Locality.objects.create(name_ru="микрорайон Восток", name_kk="Шығыс шағын ауданы", city=city)
    other_locality = Locality.objects.create(name_ru="посёлок Ленинский", name_kk="Ленин кенті", city=city)
    district_1 = Constituency.objects.create(body=body, number=1, name_ru="Восточный", description="мкр. Восток")
    district_1.localities.add(locality)
    district_2 = Constituency.objects.create(body=body, number=2, name_ru="Ленинский")
    district_2.localities.add(other_locality)
    party, _created = Party.objects.get_or_create(slug="amanat", defaults={"name_ru": "Amanat"})
    committee = Committee.objects.create(body=body, name_ru="Постоянная комиссия по социальным вопросам")
    ivanova = Deputy.objects.create(slug=f"{slug}-ivanova", full_name_ru="Иванова Анна Петровна", office_email="o@m.kz")
    seitkali = Deputy.objects.create(slug=f"{slug}-seitkali", full_name_ru="Сейткали Ерлан Маратович")
    listed = Deputy.objects.create(slug=f"{slug}-listed", full_name_ru="Жумабаев Арман")
    m1 = Mandate.objects.create(deputy=ivanova, convocation=convocation, constituency=district_1, start_date=START)
    m1.committees.add(committee)
    Mandate.objects.create(deputy=seitkali, convocation=convocation, constituency=district_2, start_date=START)
    Mandate.objects.create(deputy=listed, convocation=convocation, party=party, start_date=START)
    monitor = User.objects.create_user(username=f"{slug}-monitor", password="x-not-real")
    reviewer = User.objects.create_user(username=f"{slug}-reviewer", password="x-not-real")
    CouncilStaff.objects.create(user=monitor, council=ngo, role=StaffRole.SECRETARY)
    CouncilStaff.objects.create(user=reviewer, council=ngo, role=StaffRole.CHAIR)
    office = User.objects.create_user(username=f"{slug}-office", password="x-not-real")
    DeputyOffice.objects.create(user=office, deputy=ivanova)
    return DeputiesWorld(
        ngo=ngo,
        body=body,
        convocation=convocation,
        district_1=district_1,
        district_2=district_2,
        locality=locality,
        other_locality=other_locality,
        ivanova=ivanova,
        seitkali=seitkali,
        listed=listed,
        monitor=monitor,
        reviewer=reviewer,
        office=office,
    )
