"""The map on the appeal form: only when a tile server is configured (OVERSIGHT_MAP_TILES_URL), Leaflet from the
portal's own static files, and the tiles' origin the only address added to the CSP's img-src. Without the setting
the form has no map and the typed fields do the job."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from config.env import tiles_origin

pytestmark = pytest.mark.django_db

URL = "/ru/councils/almaty/appeals/new/"
ROOT = Path(__file__).resolve().parents[2]
OSM = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


def test_without_a_tile_server_the_form_has_no_map(personas, settings):
    settings.OVERSIGHT_MAP_TILES_URL = ""
    response = Client().get(URL)

    html = response.content.decode()
    assert 'id="id_latitude"' in html
    assert "map-point-picker" not in html
    assert "leaflet" not in html
    assert "openstreetmap" not in response["Content-Security-Policy"]


def test_with_a_tile_server_the_form_offers_the_map(personas, settings):
    settings.OVERSIGHT_MAP_TILES_URL = OSM
    settings.OVERSIGHT_MAP_ATTRIBUTION = "© OpenStreetMap contributors"
    html = Client().get(URL).content.decode()

    assert '<div class="map-point-picker" id="map-point-picker" hidden>' in html  # JavaScript shows it
    assert f'data-tiles="{OSM}"' in html
    assert 'data-attribution="© OpenStreetMap contributors"' in html
    assert "/static/vendor/leaflet/leaflet.js" in html
    assert "/static/vendor/leaflet/leaflet.css" in html
    assert 'id="id_latitude"' in html  # the typed fields stay


def test_leaflet_is_vendored_with_its_licence():
    vendor = ROOT / "static" / "vendor" / "leaflet"
    for name in ("leaflet.js", "leaflet.css", "LICENSE", "images/marker-icon.png", "images/marker-shadow.png"):
        assert (vendor / name).is_file(), name
    assert "BSD 2-Clause" in (vendor / "LICENSE").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        (OSM, "https://tile.openstreetmap.org"),
        ("https://{s}.tile.example.kz/{z}/{x}/{y}.png", "https://*.tile.example.kz"),
        ("http://localhost:8080/tiles/{z}/{x}/{y}.png", "http://localhost:8080"),
    ],
)
def test_tiles_origin(url, origin):
    assert tiles_origin("OVERSIGHT_MAP_TILES_URL", url) == origin


@pytest.mark.parametrize(
    "url",
    ["tile.openstreetmap.org/{z}/{x}/{y}.png", "javascript:alert(1)//{z}{x}{y}", "https://tiles.example.kz/map.png"],
)
def test_a_bad_tile_address_is_refused(url):
    with pytest.raises(ImproperlyConfigured, match="OVERSIGHT_MAP_TILES_URL"):
        tiles_origin("OVERSIGHT_MAP_TILES_URL", url)


def _img_src(tiles: str) -> subprocess.CompletedProcess[str]:
    code = "from django.conf import settings; print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])"
    return subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env={**os.environ, "OVERSIGHT_MAP_TILES_URL": tiles},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.heavy
def test_the_csp_allows_images_from_the_tile_server_only_when_one_is_set():
    assert "openstreetmap" not in _img_src("").stdout
    result = _img_src(OSM)
    assert result.returncode == 0, result.stderr
    assert "'https://tile.openstreetmap.org'" in result.stdout
    refused = _img_src("ftp://tiles/{z}/{x}/{y}")
    assert refused.returncode != 0
    assert "OVERSIGHT_MAP_TILES_URL must be an http(s) address" in refused.stderr
