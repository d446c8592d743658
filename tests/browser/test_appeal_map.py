"""The appeal form's map in a real browser, under the site's CSP: with a tile server set, clicking the map fills
the latitude and longitude, and nothing is refused by the policy. The tiles come from the live server itself
(one of Leaflet's own images stands in for every tile), so nothing leaves the machine."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

URL = "/ru/councils/almaty/appeals/new/"


def test_clicking_the_map_fills_the_coordinates(personas, page, live_server, settings, shoot):
    settings.OVERSIGHT_MAP_TILES_URL = live_server.url + "/static/vendor/leaflet/images/layers.png?z={z}&x={x}&y={y}"
    refused = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )

    page.goto(URL)
    page.wait_for_selector("#map-point-picker:not([hidden]) .leaflet-tile-loaded")
    assert page.locator(".leaflet-control-attribution").inner_text().endswith("© OpenStreetMap contributors")

    page.locator("#map-point-map").click()  # the middle of the map: Kazakhstan
    latitude = float(page.input_value("#id_latitude"))
    longitude = float(page.input_value("#id_longitude"))
    assert 40.5 <= latitude <= 55.5
    assert 46.5 <= longitude <= 87.5
    assert page.locator(".leaflet-marker-icon").count() == 1

    # A typed point moves the marker; the fields stay the source of truth.
    page.fill("#id_latitude", "43.238949")
    page.fill("#id_longitude", "76.889709")
    page.locator("#id_latitude").dispatch_event("change")
    shoot(page, "appeal-map")
    assert refused == []


def test_without_javascript_the_form_keeps_the_typed_fields(personas, browser, live_server, settings):
    settings.OVERSIGHT_MAP_TILES_URL = live_server.url + "/static/vendor/leaflet/images/layers.png?z={z}&x={x}&y={y}"
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto(URL)

    assert page.locator("#map-point-picker").is_hidden()
    assert page.locator("#id_latitude").is_visible()
    assert page.locator("#id_longitude").is_visible()
    context.close()
