"""The stakeholder registry (issue 20, item 3) as its users see it: organisations and contact people in the
workspace, the contact log, sharing across a network of councils, and the counts that are public."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from councils.models import Partner
from reports.rendering import render_html
from stakeholders.models import Contact, ContactLogEntry, Network, PartnerProfile
from stakeholders.retention import contacts_anonymise_expired
from tests import factories as f

pytestmark = pytest.mark.django_db

SECRET = "Жанна Секретова QW-4471"


@pytest.fixture(autouse=True)
def _no_cache():
    cache.clear()
    yield
    cache.clear()


def _organisation(**overrides):
    data = {
        "name_ru": "ТОО «Казцинк»",
        "name_kk": "",
        "name_en": "Kazzinc LLP",
        "category": "extractive",
        "sector": "горнодобыча",
        "region": "ВКО",
        "website": "https://kazzinc.kz",
        "description": "",
    }
    data.update(overrides)
    return data


def _secretary_of(council):
    from django.contrib.auth.models import User

    from councils.models import CouncilStaff, StaffRole

    user = User.objects.create_user(username=f"{council.slug}-secretary", password="x", is_staff=True)
    CouncilStaff.objects.create(user=user, council=council, role=StaffRole.SECRETARY)
    return user


def _url(name, council, *args):
    return reverse(f"stakeholders_ws:{name}", args=[council.slug, *args])


def test_a_secretary_builds_the_registry_and_the_partner_serves_memoranda(personas):
    client = personas.client_for(personas.secretary)

    response = client.post(_url("organisation_add", personas.council), _organisation())

    partner = Partner.objects.get(name_ru="ТОО «Казцинк»")
    assert response.status_code == 302
    assert partner.council == personas.council and partner.kind == "business"  # the memoranda's coarse kind
    assert partner.stakeholder_profile.category == "extractive"
    assert partner.stakeholder_profile.region == "ВКО"
    add_contact = _url("contact_add", personas.council, partner.pk)
    assert (
        client.post(add_contact, {"full_name": SECRET, "position": "PR", "email": "pr@kazzinc.kz", "is_active": "on"})
    ).status_code == 302
    contact = Contact.objects.get()
    assert contact.full_name == SECRET and contact.can_be_mailed
    log = client.post(
        _url("log_add", personas.council, partner.pk),
        {"kind": "met", "date": "2019-06-03", "contact": contact.pk, "summary": "Встреча по выбросам"},
    )
    assert log.status_code == 302
    entry = ContactLogEntry.objects.get()
    assert entry.by == personas.secretary and entry.contact == contact
    page = client.get(_url("organisation", personas.council, partner.pk))
    assert page.status_code == 200
    assert SECRET in page.content.decode() and "Встреча по выбросам" in page.content.decode()
    # The organisation is a partner the memorandum form offers at once.
    memo = client.get(reverse("councils_ws:memorandum_add", args=[personas.council.slug]))
    assert "ТОО «Казцинк»" in memo.content.decode()


def test_a_duplicate_name_and_a_future_log_entry_are_refused_beside_the_field(personas):
    client = personas.client_for(personas.secretary)
    client.post(_url("organisation_add", personas.council), _organisation())
    partner = Partner.objects.get()

    again = client.post(_url("organisation_add", personas.council), _organisation(name_ru="тоо «казцинк»"))
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    future = client.post(_url("log_add", personas.council, partner.pk), {"kind": "wrote", "date": tomorrow})

    assert again.status_code == future.status_code == 400
    assert "уже есть организация" in again.content.decode()
    assert Partner.objects.count() == 1 and ContactLogEntry.objects.count() == 0


def test_a_member_reads_but_does_not_write_and_another_council_sees_nothing(personas):
    partner = f.PartnerProfileFactory(partner__council=personas.council).partner
    f.ContactFactory(partner=partner, full_name=SECRET)
    member = personas.client_for(personas.member)
    other = personas.client_for(personas.other_secretary)

    assert member.get(_url("organisation", personas.council, partner.pk)).status_code == 200
    assert member.get(_url("contact_add", personas.council, partner.pk)).status_code == 403
    assert other.get(_url("organisation", personas.council, partner.pk)).status_code == 404
    # Their own council's address with our record's id: not found either.
    assert other.get(_url("organisation", personas.other_council, partner.pk)).status_code == 404
    assert SECRET not in other.get(_url("contacts", personas.other_council)).content.decode()


def test_a_network_sees_what_the_owner_shares_and_changes_nothing(personas):
    shared = f.PartnerProfileFactory(partner__council=personas.council, partner__name="ОФ «Экосфера»", shared=True)
    kept = f.PartnerProfileFactory(partner__council=personas.council, partner__name="ОО «Своё»", shared=False)
    f.ContactFactory(partner=shared.partner, full_name=SECRET)
    outsider = f.CouncilFactory(slug="aktau", code="AKT")
    network = Network.objects.create(key="aarhus", name="Сеть Орхусских центров")
    network.councils.set([personas.council, personas.other_council])
    other = personas.client_for(personas.other_secretary)

    listing = other.get(_url("organisations", personas.other_council)).content.decode()
    detail = other.get(_url("organisation", personas.other_council, shared.partner.pk))

    assert "ОФ «Экосфера»" in listing and "ОО «Своё»" not in listing
    assert detail.status_code == 200 and SECRET in detail.content.decode()
    assert "только чтение" in detail.content.decode()
    assert other.get(_url("organisation", personas.other_council, kept.partner.pk)).status_code == 404
    # Read only: the owner's pages stay closed, and the reader's own addresses do not reach the record.
    assert other.get(_url("organisation_edit", personas.other_council, shared.partner.pk)).status_code == 404
    assert other.post(_url("contact_add", personas.other_council, shared.partner.pk), {}).status_code == 404
    # A council outside the network sees nothing.
    stranger = Client()
    stranger.force_login(_secretary_of(outsider))
    assert stranger.get(_url("organisation", outsider, shared.partner.pk)).status_code == 404
    # The owner stops sharing: gone from the network.
    shared.shared = False
    shared.save()
    assert other.get(_url("organisation", personas.other_council, shared.partner.pk)).status_code == 404


def test_the_export_names_people_for_staff_and_the_open_api_lists_organisations_only(personas):
    profile = f.PartnerProfileFactory(
        partner__council=personas.council, partner__name="Редакция «Время»", category="media"
    )
    f.ContactFactory(partner=profile.partner, full_name=SECRET, email="editor@time.kz")
    secretary = personas.client_for(personas.secretary)

    export = secretary.get(_url("contacts", personas.council), {"format": "csv"})
    api = Client().get("/api/v1/organisations/", {"council": personas.council.slug}).json()
    api_csv = Client().get("/api/v1/organisations/", {"format": "csv"})

    assert SECRET in b"".join(export.streaming_content).decode()
    (row,) = api["results"]
    assert row["name"] == "Редакция «Время»" and row["category"] == "media" and row["kind"] == "other"
    assert "contacts" not in row and SECRET not in str(api) and "editor@time.kz" not in str(api)
    assert SECRET not in b"".join(api_csv.streaming_content).decode()


def test_the_stats_api_and_the_report_count_the_year_without_naming_anyone(personas):
    client = personas.client_for(personas.secretary)
    media = f.PartnerProfileFactory(partner__council=personas.council, category="media").partner
    state = f.PartnerFactory(council=personas.council, kind="state")  # a memorandum's partner, no profile
    contact = f.ContactFactory(partner=media, full_name=SECRET)
    for partner, kind, day, who in (
        (media, "met", "2019-03-01", contact.pk),
        (media, "invited", "2019-05-01", ""),
        (state, "wrote", "2019-07-01", ""),
        (state, "wrote", "2018-07-01", ""),
    ):
        data = {"kind": kind, "date": day, "contact": who}
        assert client.post(_url("log_add", personas.council, partner.pk), data).status_code == 302

    stats = Client().get(reverse("api-council-stats", args=[personas.council.slug]), {"year": "2019"}).json()

    assert stats["stakeholders"]["organisations"] == 2
    assert stats["stakeholders"]["by_category"]["media"] == 1
    assert stats["stakeholders"]["by_category"]["state"] == 1  # by the partner's kind
    assert stats["stakeholders"]["log_entries"] == 3
    assert stats["stakeholders"]["log_by_kind"] == {"met": 1, "wrote": 1, "called": 0, "invited": 1, "signed": 0}
    assert SECRET not in str(stats)
    html = render_html(council=personas.council, year=2019, language="ru")
    assert "Работа с заинтересованными сторонами" in html
    assert SECRET not in html


def test_the_stats_api_counts_the_organisations_dealt_with_by_their_sector(personas):
    council = personas.council
    mining = [
        f.PartnerProfileFactory(partner__council=council, sector=sector).partner
        for sector in ("Горнодобывающая", " горнодобывающая ", "Горнодобывающая")
    ]
    water = f.PartnerProfileFactory(partner__council=council, sector="Водоснабжение").partner
    quiet = f.PartnerProfileFactory(partner__council=council, sector="Энергетика").partner  # no log in the year
    nameless = f.PartnerFactory(council=council)  # no profile, no sector
    day = dt.date(2019, 4, 1)
    for partner in [*mining, water, water, nameless]:
        ContactLogEntry.objects.create(partner=partner, kind="met", date=day)
    ContactLogEntry.objects.create(partner=quiet, kind="met", date=dt.date(2018, 4, 1))

    stats = Client().get(reverse("api-council-stats", args=[council.slug]), {"year": "2019"}).json()

    assert stats["stakeholders"]["organisations"] == 5
    assert stats["stakeholders"]["by_sector"] == {"Горнодобывающая": 3, "Водоснабжение": 1}


def test_a_contact_not_dealt_with_for_the_retention_period_is_cleared_with_its_history(personas, settings):
    settings.OVERSIGHT = {**settings.OVERSIGHT, "STAKEHOLDER_CONTACT_RETENTION_YEARS": 3}
    partner = f.PartnerFactory(council=personas.council)
    old = f.ContactFactory(partner=partner, full_name=SECRET, notes=f"Заметка {SECRET}")
    recent = f.ContactFactory(partner=partner, full_name="Свежий Контакт")
    Contact.objects.filter(pk=old.pk).update(last_dealt_on=timezone.localdate() - dt.timedelta(days=4 * 366))

    assert contacts_anonymise_expired() == 1
    assert contacts_anonymise_expired() == 0  # a re-run finds nothing

    old.refresh_from_db()
    assert old.full_name == old.email == old.notes == "" and old.anonymised_at is not None and not old.can_be_mailed
    assert not old.audit_history.filter(full_name=SECRET).exists()
    assert Contact.objects.get(pk=recent.pk).full_name == "Свежий Контакт"


def test_the_register_of_processing_lists_contact_people(personas):
    page = personas.client_for(personas.secretary).get(reverse("privacy_ws:register", args=[personas.council.slug]))

    text = page.content.decode()
    assert page.status_code == 200
    assert "контактное лицо организации" in text
    assert PartnerProfile.objects.count() == 0  # the page reads the register, not the rows


def test_the_demo_centre_gains_its_stakeholders_and_loading_again_changes_nothing(db):
    from django.core.management import call_command

    from councils.models import Council
    from reports.selectors import council_year_stats

    call_command("load_demo_aarhus")
    centre = Council.objects.get(slug="zhaik-caspian")
    first = council_year_stats(council=centre, year=2019).stakeholders
    call_command("load_demo_aarhus")
    again = council_year_stats(council=centre, year=2019).stakeholders

    assert first == again
    assert again.log_by_kind["signed"] == 2 and again.log_by_kind["invited"] == 1
    assert again.by_category["academia"] == 1 and again.by_category["media"] == 1
    assert Network.objects.get(key="aarhus-centres-kz").councils.filter(pk=centre.pk).exists()
    assert not Contact.objects.filter(partner__council=centre).exists()  # the demo names nobody
    html = render_html(council=centre, year=2019, language="ru")
    assert "Организации, с которыми взаимодействовал совет, по категориям" in html  # under cooperation
