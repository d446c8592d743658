/*
 * The workspace's annual reports page (issue 14, item 12): a build queued or running is asked about every few
 * seconds (GET its data-status-url, JSON from reports.workspace_views.ReportBuildStatusView) until it is done or
 * failed; its status cell then says so and a finished file gets its download link, without reloading the page.
 * Progressive enhancement: without JavaScript the page shows the state as it was rendered and a reload updates it.
 * A file, not an inline script: the CSP allows scripts from the site's own origin only.
 */
(function () {
  "use strict";

  var EVERY_MS = 3000;
  var GIVE_UP_AFTER = 400; // about 20 minutes: a build stuck longer is for a person to look at, not this page

  function show(row, state) {
    var status = row.querySelector(".status");
    if (status) {
      status.textContent = state.label;
      status.className = "status status-build-" + state.status;
    }
    row.setAttribute("data-build-status", state.status);
    if (state.pending) {
      return;
    }
    var waiting = row.querySelector(".build-waiting");
    if (waiting) {
      waiting.parentNode.removeChild(waiting);
    }
    var actions = row.querySelector(".build-actions");
    if (state.download_url && actions && !actions.querySelector("a.build-download")) {
      var link = document.createElement("a");
      link.href = state.download_url;
      link.className = "build-download";
      link.textContent = state.download_label;
      actions.insertBefore(link, actions.firstChild);
    }
    if (state.error && status) {
      var error = document.createElement("p");
      error.className = "meta";
      error.textContent = state.error;
      status.parentNode.appendChild(error);
    }
  }

  function poll(row, tries) {
    if (tries > GIVE_UP_AFTER) {
      return;
    }
    window.setTimeout(function () {
      fetch(row.getAttribute("data-status-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(String(response.status));
          }
          return response.json();
        })
        .then(function (state) {
          show(row, state);
          if (state.pending) {
            poll(row, tries + 1);
          }
        })
        .catch(function () {
          poll(row, tries + 1); // a dropped connection is retried; the page stays as it is meanwhile
        });
    }, EVERY_MS);
  }

  function start() {
    var rows = document.querySelectorAll("tr[data-status-url][data-build-status='queued'], tr[data-status-url][data-build-status='running']");
    for (var i = 0; i < rows.length; i++) {
      poll(rows[i], 0);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
