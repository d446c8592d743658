"""The frame every page shares: an icon the browser finds, a language switcher in one style, the portal's name
from a setting, and the workspace's report page in plain words."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from councils.models import BodyKind
from reports.rendering import render_html
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_favicon_ico_leads_to_the_svg_icon_instead_of_a_404(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")


def test_every_page_links_its_icon(client):
    html = client.get("/ru/").content.decode()

    assert re.search(r'<link rel="icon" href="[^"]*favicon\.svg" type="image/svg\+xml">', html)


def test_language_switcher_names_each_language_in_full_in_its_own_language(client):
    html = client.get("/ru/").content.decode()
    switcher = html.split('<nav class="lang-switch"')[1].split("</nav>")[0]

    assert re.findall(r">([^<>]+)</a>", switcher) == ["Русский", "Қазақша", "English"]


def test_report_cover_names_the_portal_from_the_setting_not_oversight(personas, settings):
    settings.OVERSIGHT_PORTAL_NAME = "Портал общественных советов Алматы"

    html = render_html(council=personas.council, year=2019, language="ru")

    assert "на портале «Портал общественных советов Алматы»" in html
    assert "Oversight portal" not in html and "портале Oversight" not in html


def test_workspace_reports_page_speaks_of_preparing_a_report_not_builds(personas):
    html = personas.client_for(personas.secretary).get("/ru/workspace/almaty/reports/").content.decode()

    assert "Годовой отчёт: подготовить файл PDF или DOCX" in html
    assert "Подготовить отчёт" in html
    assert "Сборки" not in html and "Запросить сборку" not in html


def test_public_presidium_table_scroll_area_is_reachable_by_keyboard(personas):
    f.BodyFactory(convocation=personas.council.convocations.get(), kind=BodyKind.PRESIDIUM, name="Президиум")
    html = Client().get("/ru/councils/almaty/").content.decode()

    assert re.search(r'<div class="table-scroll" tabindex="0" role="region" aria-labelledby="presidium-h">', html)
