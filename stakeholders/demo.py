"""The demo Aarhus centre's stakeholders (`manage.py load_demo_aarhus`, a step registered in `StakeholdersConfig`):
the profiles of the partners its file names, a regional broadcaster for its media group, the contact log of its
memoranda, and the network of Kazakhstan's Aarhus centres. No contact person: the demo names nobody. Idempotent."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from councils.models import Council, Memorandum, Partner, PartnerKind
from councils.plan import plan_record_kinds

from .models import PARTNER_KIND, Contact, ContactKind, ContactLogEntry, Network, OrganisationCategory, PartnerProfile
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


# ---- the Almaty demo (`manage.py load_demo`) ----------------------------------------------------------------

# The memoranda's partners the file names: (category, sector).
ALMATY_PROFILES = {
    "public-defender": (OrganisationCategory.NGO, "защита прав потребителей и предпринимателей"),
    "apk-almaty-accord-council": (OrganisationCategory.OTHER, "общественное согласие"),
    "adaldyq-alany": (OrganisationCategory.STATE, "противодействие коррупции"),
}
# The companies among the state bodies the council heard (the rest are state bodies).
QUASI_STATE_BODIES = {"almaty-spk", "almaty-heating-networks", "almaty-spectechparking", "almaty-veterinary-service"}
# Organisations the report names that the file holds no record of: the analytical group and the education centre
# of the monitoring of June 2019 (mon-06-5).
ALMATY_OTHERS = [
    (
        "kipr-analytical-group",
        "Аналитическая группа «Кипр»",
        OrganisationCategory.NGO,
        "аналитика",
        "http://agkipr.kz/",
        "mon-06-5",
    ),
    (
        "bilim-central-asia",
        "Образовательный центр «Бiлiм — Центральная Азия»",
        OrganisationCategory.ACADEMIA,
        "образование и исследования",
        "",
        "mon-06-5",
    ),
]
# The media whose publications on the council's meetings and monitoring the file holds: (key, name, host, sector).
ALMATY_MEDIA = [
    ("khabar-24", "Телеканал «Хабар 24»", "24.kz", "телевидение"),
    ("almaty-tv", "Телеканал «Алматы»", "almaty.tv", "телевидение"),
    ("zakon-kz", "Zakon.kz", "zakon.kz", "интернет-издание"),
    ("inalmaty", "Inalmaty.kz", "inalmaty.kz", "интернет-издание"),
    ("informburo", "Informburo.kz", "informburo.kz", "интернет-издание"),
    ("time-kz", "Газета «Время» (time.kz)", "time.kz", "пресса"),
    ("vlast-kz", "Vlast.kz", "vlast.kz", "интернет-издание"),
    ("tengrinews", "Tengrinews.kz", "tengrinews.kz", "интернет-издание"),
    ("kaztag", "Агентство KazTAG", "kaztag.kz", "информационное агентство"),
    ("zona-kz", "Zona.kz", "zonakz.net", "интернет-издание"),
    ("today-kz", "Today.kz", "today.kz", "интернет-издание"),
]
# A plainly fictional placeholder, so that the demo's media group can be mailed: never a real address.
DEMO_NEWSROOM = "Редакция (демонстрационный контакт)"


def _host(url: str) -> str:
    host = url.split("://", 1)[-1].split("/", 1)[0].lower()
    return host.removeprefix("www.")


def _record_pk(council: Council, kind_key: str, key: str) -> int | None:
    kind = plan_record_kinds().get(kind_key)
    if kind is None:
        return None
    pk = kind.council_records(council).filter(key=key).values_list("pk", flat=True).first()
    return int(pk) if pk is not None else None


def _profiled(council: Council, key: str, name: str, category: str, sector: str, website: str = "") -> Partner:
    partner, _created = Partner.objects.get_or_create(
        council=council,
        key=key,
        defaults={"name_ru": name, "kind": PARTNER_KIND.get(OrganisationCategory(category), PartnerKind.OTHER)},
    )
    if website and not partner.website:
        Partner.objects.filter(pk=partner.pk).update(website=website)
    PartnerProfile.objects.get_or_create(
        partner=partner, defaults={"category": category, "sector": sector, "region": "Алматы"}
    )
    return partner


def _log(partner: Partner, kind: str, date: str, summary: str, record: tuple[str, int | None] = ("", None)) -> None:
    record_kind, record_id = record if record[1] is not None else ("", None)
    ContactLogEntry.objects.get_or_create(
        partner=partner,
        kind=kind,
        date=dt.date.fromisoformat(date),
        record_kind=record_kind,
        record_id=record_id,
        defaults={"summary": summary[:500]},
    )


@transaction.atomic
def load_almaty_stakeholders(*, council: Council, year: int, data: dict[str, Any]) -> None:
    """The organisations the 2019 report says the council worked with, from the council-activity file: the state
    bodies whose reports it heard (met at that meeting), the memoranda's partners (signed), the analytical group
    and the education centre of a monitoring event, and the media that wrote about its meetings and monitoring
    (one entry a record they covered), with the council's media group. A media outlet gets one plainly fictional
    newsroom contact (`@example.org`) so that the group can be tried; nobody real is named. Idempotent."""
    for key, (category, sector) in ALMATY_PROFILES.items():
        partner = Partner.objects.filter(council=council, key=key).first()
        if partner is not None:
            PartnerProfile.objects.get_or_create(
                partner=partner, defaults={"category": category, "sector": sector, "region": "Алматы"}
            )
    for memorandum in Memorandum.objects.filter(council=council, signed_on__year=year, partner__isnull=False):
        if memorandum.partner is not None and memorandum.signed_on is not None:
            _log(memorandum.partner, ContactKind.SIGNED, memorandum.signed_on.isoformat(), memorandum.title)

    bodies = {body["key"]: body for body in data.get("state_bodies", [])}
    for meeting in data.get("meetings", []):
        for item in meeting.get("agenda", []):
            body = bodies.get(item.get("state_body") or "")
            if body is None or item.get("kind") != "report_hearing":
                continue
            quasi = body["key"] in QUASI_STATE_BODIES
            category = OrganisationCategory.QUASI_STATE if quasi else OrganisationCategory.STATE
            partner = _profiled(council, body["key"][:64], body["name"], category, "местное государственное управление")
            record = ("meeting", _record_pk(council, "meeting", meeting["key"]))
            _log(partner, ContactKind.MET, meeting["date"], item["title"], record)

    monitoring = {event["key"]: event for event in data.get("monitoring", [])}
    for key, name, category, sector, website, event_key in ALMATY_OTHERS:
        partner = _profiled(council, key, name, category, sector, website)
        event = monitoring.get(event_key)
        if event is not None:
            record = ("monitoring_event", _record_pk(council, "monitoring_event", event_key))
            _log(partner, ContactKind.MET, event["date"], event["topic"], record)

    covered: list[tuple[str, str, str, tuple[str, int | None]]] = []  # (host, date, what, record)
    for meeting in data.get("meetings", []):
        urls = list(meeting.get("links", [])) + [u for item in meeting.get("agenda", []) for u in item.get("links", [])]
        record = ("meeting", _record_pk(council, "meeting", meeting["key"]))
        covered += [(_host(url), meeting["date"], meeting["title"], record) for url in urls]
    for event in data.get("monitoring", []):
        record = ("monitoring_event", _record_pk(council, "monitoring_event", event["key"]))
        covered += [(_host(link["url"]), event["date"], event["topic"], record) for link in event.get("publicity", [])]
    for key, name, host, sector in ALMATY_MEDIA:
        partner = _profiled(council, key, name, OrganisationCategory.MEDIA, sector, f"https://{host}/")
        if not Contact.objects.filter(partner=partner).exists():
            Contact.objects.create(partner=partner, full_name=DEMO_NEWSROOM, email=f"newsroom.{key}@example.org")
        for covered_host, date, what, record in covered:
            if covered_host == host:
                _log(partner, ContactKind.INVITED, date, f"Освещение: {what}", record)
    media_group_get_or_create(council=council)
