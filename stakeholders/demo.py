"""The demo Aarhus centre's stakeholders (`manage.py load_demo_aarhus`, a step registered in `StakeholdersConfig`):
the profiles of the partners its file names, a regional broadcaster for its media group, the contact log of its
memoranda, and the network of Kazakhstan's Aarhus centres. No contact person: the demo names nobody. Idempotent."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from councils.models import Council, Memorandum, Partner, PartnerKind

from .models import ContactKind, ContactLogEntry, Network, OrganisationCategory, PartnerProfile
from .services import media_group_get_or_create

# The file's partners: (category, sector, region).
PROFILES = {
    "us-embassy": (OrganisationCategory.INTERNATIONAL, "дипломатическое представительство", "Астана"),
    "uk-embassy": (OrganisationCategory.INTERNATIONAL, "дипломатическое представительство", "Астана"),
    "iied": (OrganisationCategory.INTERNATIONAL, "окружающая среда и развитие", ""),
    "soros-kz": (OrganisationCategory.NGO, "гражданское общество", "Алматы"),
    "civil-service-centre": (OrganisationCategory.STATE, "государственная служба", "Атырауская область"),
    "atyrau-university": (OrganisationCategory.ACADEMIA, "образование", "Атырауская область"),
}
MEDIA = {
    "key": "atyrau-tv",
    "name_ru": "Телерадиокомпания «Атырау»",
    "name_kk": "«Атырау» телерадиокомпаниясы",
    "name_en": "Atyrau TV and Radio",
}


@transaction.atomic
def load_demo_stakeholders(*, council: Council, year: int, data: dict[str, Any]) -> None:
    for key, (category, sector, region) in PROFILES.items():
        partner = Partner.objects.filter(council=council, key=key).first()
        if partner is not None:
            PartnerProfile.objects.update_or_create(
                partner=partner, defaults={"category": category, "sector": sector, "region": region, "shared": True}
            )
    media, _created = Partner.objects.update_or_create(
        council=council, key=MEDIA["key"], defaults={**MEDIA, "kind": PartnerKind.OTHER}
    )
    PartnerProfile.objects.update_or_create(
        partner=media,
        defaults={"category": OrganisationCategory.MEDIA, "sector": "телевидение и радио", "region": "Атырау"},
    )
    media_group_get_or_create(council=council)
    for memorandum in Memorandum.objects.filter(council=council, signed_on__year=year, partner__isnull=False):
        if memorandum.partner is None or memorandum.signed_on is None:
            continue
        ContactLogEntry.objects.get_or_create(
            partner=memorandum.partner,
            kind=ContactKind.SIGNED,
            date=memorandum.signed_on,
            defaults={"memorandum": memorandum, "summary": memorandum.title[:500]},
        )
    ContactLogEntry.objects.get_or_create(
        partner=media, kind=ContactKind.INVITED, date=dt.date(year, 6, 5), defaults={"summary": "Пресс-тур"}
    )
    network, _created = Network.objects.get_or_create(
        key="aarhus-centres-kz", defaults={"name": "Сеть Орхусских центров Казахстана"}
    )
    network.councils.add(council)
