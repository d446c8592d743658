"""What search engines and link previews read: one canonical address per page, its alternates in every
language with x-default, a description, Open Graph and Twitter card tags; /sitemap.xml with the public pages
only; /robots.txt; /favicon.ico."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from lxml import html

from hearings.models import Meeting, PublicHearing
from monitoring.models import MonitoringEvent

pytestmark = pytest.mark.django_db

SITE = "https://oversight.example.kz"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture
def site(settings):
    settings.SITE_URL = SITE


def public_paths(portal) -> list[str]:
    meeting = Meeting.objects.filter(council=portal.council, is_open=True).first()
    hearing = PublicHearing.objects.filter(council=portal.council).first()
    event = MonitoringEvent.objects.filter(council=portal.council).first()
    council = "/councils/almaty"
    return [
        "/",
        "/councils/",
        "/state-bodies/",
        f"{council}/",
        f"{council}/composition/",
        f"{council}/meetings/",
        f"{council}/meetings/{meeting.pk}/",
        f"{council}/hearings/",
        f"{council}/hearings/{hearing.pk}/",
        f"{council}/monitoring/",
        f"{council}/monitoring/{event.pk}/",
        f"{council}/draft-reviews/",
        f"{council}/recommendations/",
        f"{council}/reports/",
    ]


def head(response) -> html.HtmlElement:
    assert response.status_code == 200, response.status_code
    return html.fromstring(response.content).find("head")


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_every_public_page_has_one_canonical_the_alternates_and_share_tags(portal, site, language):
    for path in public_paths(portal):
        page = head(Client().get(f"/{language}{path}"))

        canonical = page.xpath("link[@rel='canonical']/@href")
        assert canonical == [f"{SITE}/{language}{path}"], path
        alternates = {link.get("hreflang"): link.get("href") for link in page.xpath("link[@hreflang]")}
        assert alternates == {
            "ru": f"{SITE}/ru{path}",
            "kk": f"{SITE}/kk{path}",
            "en": f"{SITE}/en{path}",
            "x-default": f"{SITE}{path}",
        }, path
        og = {m.get("property"): m.get("content") for m in page.xpath("meta[@property]")}
        assert og["og:url"] == canonical[0]
        assert og["og:title"] and og["og:description"] and og["og:type"] in ("website", "article")
        assert og["og:locale"] == {"ru": "ru_RU", "kk": "kk_KZ", "en": "en_GB"}[language]
        assert len(page.xpath("meta[@property='og:locale:alternate']")) == 2
        assert og["og:image"].startswith(f"{SITE}/static/") and og["og:image"].endswith(".png")
        twitter = {m.get("name"): m.get("content") for m in page.xpath("meta[starts-with(@name, 'twitter:')]")}
        assert twitter["twitter:card"] == "summary_large_image"
        assert len(page.xpath("meta[@name='description']")) == 1
        assert page.xpath("meta[@name='description']/@content")[0].strip()


def test_filters_and_pages_are_canonicalised_to_the_bare_page_and_a_year_is_kept(portal, site):
    page = head(Client().get("/ru/councils/almaty/recommendations/?status=sent&page=2&year=2019"))
    assert page.xpath("link[@rel='canonical']/@href") == [f"{SITE}/ru/councils/almaty/recommendations/?year=2019"]

    page = head(Client().get("/kk/councils/?kind=city&page=1"))
    assert page.xpath("link[@rel='canonical']/@href") == [f"{SITE}/kk/councils/"]
    assert page.xpath("link[@hreflang='x-default']/@href") == [f"{SITE}/councils/"]


def test_a_councils_page_is_described_by_its_own_record(portal, site):
    portal.council.description = "Совет следит за работой акимата.\n\nВторой абзац."
    portal.council.save()

    page = head(Client().get("/ru/councils/almaty/"))

    description = page.xpath("meta[@name='description']/@content")[0]
    assert description == "Совет следит за работой акимата. Второй абзац."
    assert page.xpath("meta[@property='og:description']/@content") == [description]
    assert "ОС г. Алматы" in page.xpath("meta[@property='og:title']/@content")[0]


def sitemap_urls(response) -> dict[str, dict[str, str]]:
    root = ET.fromstring(response.content)  # noqa: S314 - our own response
    found = {}
    for url in root.findall(f"{SM}url"):
        links = {link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")}
        found[url.findtext(f"{SM}loc")] = links
    return found


def test_the_sitemap_lists_councils_and_public_records_in_every_language_at_the_site_address(portal, site):
    response = Client().get("/sitemap.xml")

    assert response.status_code == 200
    urls = sitemap_urls(response)
    for language in ("ru", "kk", "en"):
        assert f"{SITE}/{language}/councils/almaty/" in urls
        assert f"{SITE}/{language}/councils/almaty/meetings/" in urls
        assert f"{SITE}/{language}/open-data/" in urls
    hearing = PublicHearing.objects.filter(council=portal.council).first()
    assert f"{SITE}/kk/councils/almaty/hearings/{hearing.pk}/" in urls
    assert urls[f"{SITE}/en/councils/almaty/"] == {
        "ru": f"{SITE}/ru/councils/almaty/",
        "kk": f"{SITE}/kk/councils/almaty/",
        "en": f"{SITE}/en/councils/almaty/",
        "x-default": f"{SITE}/councils/almaty/",
    }
    assert all("testserver" not in url for url in urls)


def test_the_sitemap_leaves_out_closed_meetings_and_unpublished_councils(portal, site):
    portal.other.is_published = False
    portal.other.save()
    closed = Meeting.objects.get(council=portal.council, is_open=False)
    open_meeting = Meeting.objects.filter(council=portal.council, is_open=True).first()

    urls = sitemap_urls(Client().get("/sitemap.xml"))

    assert f"{SITE}/ru/councils/almaty/meetings/{open_meeting.pk}/" in urls
    assert not any(url.endswith(f"/meetings/{closed.pk}/") for url in urls)
    assert not any(f"/councils/{portal.other.slug}/" in url for url in urls)


def test_robots_txt_is_plain_text_that_keeps_crawlers_out_of_the_staff_pages(site):
    response = Client().get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    for language in ("ru", "kk", "en"):
        assert f"Disallow: /{language}/workspace/" in lines
        assert f"Disallow: /{language}/admin/" in lines
        assert f"Disallow: /{language}/appeals/track/" in lines
    assert f"Sitemap: {SITE}/sitemap.xml" in lines


def test_favicon_ico_leads_to_the_icon_and_every_page_links_it(portal):
    response = Client().get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith(".svg")

    page = head(Client().get("/ru/"))
    assert page.xpath("link[@rel='icon']/@href")


def test_x_default_is_the_address_that_picks_the_readers_language(portal):
    response = Client().get("/councils/almaty/", HTTP_ACCEPT_LANGUAGE="kk")

    assert response.status_code == 302
    assert response["Location"] == "/kk/councils/almaty/"


def test_a_kazakh_page_names_the_council_in_kazakh_when_it_has_no_kazakh_short_name(portal, site):
    # The Almaty demo: no official Kazakh abbreviation, so the Kazakh full name, not the Russian «ОС г. Алматы».
    portal.council.name_kk = "Алматы қаласының Қоғамдық кеңесі"
    portal.council.save()

    title = head(Client().get("/kk/councils/almaty/")).xpath("title/text()")[0]
    assert "— Алматы қаласының Қоғамдық кеңесі —" in title and "ОС г. Алматы" not in title
    assert "— ОС г. Алматы —" in head(Client().get("/ru/councils/almaty/")).xpath("title/text()")[0]
