/*
 * The map on the public appeal form: a click on the map fills the latitude and longitude fields, and the
 * fields typed by hand move the marker. Progressive enhancement: the map is in the page only when the portal has
 * a tile server (OVERSIGHT_MAP_TILES_URL); without JavaScript, Leaflet or tiles, the picker stays hidden and the
 * citizen types the numbers. Leaflet and its images come from the portal's own static files (static/vendor/leaflet);
 * only the tiles come from the configured server, the one address the CSP allows images from.
 */
(function () {
  "use strict";

  var KAZAKHSTAN = [48.0, 67.0];

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  function number(field) {
    var value = parseFloat((field.value || "").replace(",", "."));
    return isNaN(value) ? null : value;
  }

  function init() {
    var picker = document.getElementById("map-point-picker");
    var element = document.getElementById("map-point-map");
    var latitude = document.getElementById("id_latitude");
    var longitude = document.getElementById("id_longitude");
    if (!picker || !element || !latitude || !longitude || typeof window.L === "undefined") {
      return;
    }
    var status = picker.querySelector(".map-point-map-status");
    var bounds = (element.getAttribute("data-bounds") || "").split(" ").map(Number);

    function inside(lat, lon) {
      return bounds.length === 4 && lat >= bounds[0] && lat <= bounds[1] && lon >= bounds[2] && lon <= bounds[3];
    }

    picker.hidden = false;
    var map = window.L.map(element, {
      maxBounds: [
        [bounds[0], bounds[2]],
        [bounds[1], bounds[3]],
      ],
      maxBoundsViscosity: 0.5,
    });
    window.L.tileLayer(element.getAttribute("data-tiles"), {
      maxZoom: 19,
      attribution: escapeHtml(element.getAttribute("data-attribution") || ""),
    }).addTo(map);
    var marker = null;

    function place(lat, lon) {
      if (marker === null) {
        marker = window.L.marker([lat, lon], { keyboard: false }).addTo(map);
      } else {
        marker.setLatLng([lat, lon]);
      }
    }

    function fromFields(zoom) {
      var lat = number(latitude);
      var lon = number(longitude);
      if (lat !== null && lon !== null && inside(lat, lon)) {
        place(lat, lon);
        map.setView([lat, lon], zoom === undefined ? map.getZoom() : zoom);
        return true;
      }
      return false;
    }

    if (!fromFields(15)) {
      map.setView(KAZAKHSTAN, 4);
    }

    map.on("click", function (event) {
      var lat = event.latlng.lat;
      var lon = event.latlng.lng;
      if (!inside(lat, lon)) {
        status.textContent = element.getAttribute("data-msg-outside") || "";
        return;
      }
      status.textContent = "";
      latitude.value = lat.toFixed(6);
      longitude.value = lon.toFixed(6);
      place(lat, lon);
    });

    latitude.addEventListener("change", function () {
      fromFields();
    });
    longitude.addEventListener("change", function () {
      fromFields();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
