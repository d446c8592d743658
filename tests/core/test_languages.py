"""Every list of languages follows settings.LANGUAGES (core/languages.py): a fourth language added to the settings
shows up in the switcher, the page's alternates, the sitemap, robots.txt, the appeal API and the report's
language choices, with no other edit.

Model fields translated by django-modeltranslation are the exception by design: their columns are made by a
migration, so a new language there is the settings line, the catalogue, the format module and one generated
migration (`manage.py makemigrations`); this test does not fake a column that only a migration can make.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from rest_framework.test import APIClient

from alerts.models import Subscription
from appeals.models import Appeal
from core import languages
from reports.management.commands.build_report import Command as BuildReportCommand
from reports.models import ReportBuild
from reports.report_api import BuildRequestSerializer
from reports.workspace_views import BuildRequestForm

from ..appeals.test_api import URL as APPEALS_URL
from ..appeals.test_api import payload

pytestmark = pytest.mark.django_db

SITE = "https://oversight.example.kz"
XHTML = "{http://www.w3.org/1999/xhtml}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def german(settings):
    """A fourth language, German, added the way an operator would: a line in LANGUAGES (Django ships German's
    catalogue and formats, so the pages have something to show)."""
    settings.LANGUAGES = [*settings.LANGUAGES, ("de", "German")]
    settings.SITE_URL = SITE
    return settings


def test_the_language_lists_are_the_settings_in_their_order(settings):
    assert languages.codes() == tuple(code for code, _name in settings.LANGUAGES) == ("ru", "kk", "en")
    assert languages.others() == ("kk", "en")
    assert [languages.native_name(code) for code in languages.codes()] == ["Русский", "Қазақша", "English"]
    assert [languages.og_locale(code) for code in languages.codes()] == ["ru_RU", "kk_KZ", "en_GB"]


def test_a_fourth_language_is_in_the_switcher_and_the_pages_alternates(personas, german):
    html = Client().get("/ru/councils/almaty/").content.decode()

    switcher = html.split('<nav class="lang-switch"')[1].split("</nav>")[0]
    assert re.findall(r">([^<>]+)</a>", switcher) == ["Русский", "Қазақша", "English", "Deutsch"]
    assert 'href="/de/councils/almaty/" hreflang="de" lang="de"' in switcher
    assert f'<link rel="alternate" hreflang="de" href="{SITE}/de/councils/almaty/">' in html
    assert '<meta property="og:locale:alternate" content="de">' in html


def test_a_fourth_language_has_its_pages(personas, german):
    response = Client().get("/de/councils/almaty/")

    assert response.status_code == 200
    assert '<html lang="de">' in response.content.decode()


def test_a_fourth_language_is_in_the_sitemap_and_robots_txt(personas, german):
    root = ET.fromstring(Client().get("/sitemap.xml").content)  # noqa: S314 - our own response
    urls = {
        url.findtext(f"{SM}loc"): {link.get("hreflang") for link in url.findall(f"{XHTML}link")}
        for url in root.findall(f"{SM}url")
    }

    assert urls[f"{SITE}/de/councils/almaty/"] == {"ru", "kk", "en", "de", "x-default"}
    assert urls[f"{SITE}/ru/councils/almaty/"] == {"ru", "kk", "en", "de", "x-default"}
    robots = Client().get("/robots.txt").content.decode().splitlines()
    assert {line.split("/")[1] for line in robots if line.startswith("Disallow: /") and "/workspace" in line} >= {
        "ru",
        "kk",
        "en",
        "de",
    }


def test_the_appeal_api_takes_a_fourth_language_and_still_refuses_an_unknown_one(personas, german):
    api = APIClient()

    assert api.post(APPEALS_URL, payload(language="de"), format="json").status_code == 201
    assert Appeal.objects.get().language == "de"
    refused = api.post(APPEALS_URL, payload(language="fr"), format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400
    assert refused.json()["language"] == ["This language is not available; the languages are: ru, kk, en, de."]


def test_the_report_language_choices_follow(personas, german):
    assert BuildRequestSerializer(data={"year": 2019, "language": "de"}).is_valid()
    assert not BuildRequestSerializer(data={"year": 2019, "language": "fr"}).is_valid()
    assert [code for code, _name in BuildRequestForm().fields["language"].choices] == ["ru", "kk", "en", "de"]
    for model in (ReportBuild, Subscription):
        assert [code for code, _name in model._meta.get_field("language").choices] == ["ru", "kk", "en", "de"]
    parser = BuildReportCommand().create_parser("manage.py", "build_report")
    assert parser.parse_args(["almaty", "2019", "--language", "de"]).language == "de"
    with pytest.raises(CommandError, match="invalid choice: 'fr'"):
        call_command("build_report", "almaty", "2019", "--language", "fr")


def test_translated_model_columns_stay_those_a_migration_made(german):
    # django-modeltranslation's columns exist only once a migration made them: a language added to the settings
    # alone reads names through the Russian fallback rather than a column that is not there.
    assert languages.columns("name") == ("name_ru", "name_kk", "name_en")
