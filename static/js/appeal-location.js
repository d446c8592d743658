/*
 * "Use my location" on the public appeal form: fills the latitude and longitude fields from the browser's
 * location. Progressive enhancement: without JavaScript or geolocation the button stays hidden and the citizen
 * types the numbers. Nothing leaves the page: the coordinates go only into the two fields, sent with the form.
 */
(function () {
  "use strict";

  function init() {
    var box = document.querySelector(".map-point-locate");
    var latitude = document.getElementById("id_latitude");
    var longitude = document.getElementById("id_longitude");
    if (!box || !latitude || !longitude || !("geolocation" in navigator) || !window.isSecureContext) {
      return;
    }
    var button = box.querySelector("button");
    var status = box.querySelector(".map-point-status");
    var bounds = (box.getAttribute("data-bounds") || "").split(" ").map(Number);

    function say(key) {
      status.textContent = box.getAttribute("data-msg-" + key) || "";
    }

    function inside(lat, lon) {
      return bounds.length === 4 && lat >= bounds[0] && lat <= bounds[1] && lon >= bounds[2] && lon <= bounds[3];
    }

    button.addEventListener("click", function () {
      button.disabled = true;
      say("wait");
      navigator.geolocation.getCurrentPosition(
        function (position) {
          button.disabled = false;
          var lat = position.coords.latitude;
          var lon = position.coords.longitude;
          if (!inside(lat, lon)) {
            say("outside");
            return;
          }
          latitude.value = lat.toFixed(6);
          longitude.value = lon.toFixed(6);
          say("done");
          latitude.focus();
        },
        function (error) {
          button.disabled = false;
          say(error.code === error.PERMISSION_DENIED ? "denied" : "failed");
        },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
      );
    });
    box.hidden = false;
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
