/*
 * The workspace's forms, a little quicker by hand (issue 14, item 8). Progressive enhancement: without JavaScript
 * every form still works as Django renders it (blank rows at the end of a formset, "remove" tick boxes, a plain
 * attendance checklist). No inline script anywhere: this file is loaded from the site's own origin under the CSP.
 *
 * 1. Formsets (`fieldset.formset[data-prefix]`): an "add a row" button clones the formset's empty form (kept in a
 *    <template>, its `__prefix__` replaced by the next index) and raises TOTAL_FORMS; each row's "remove" tick box
 *    becomes a button that ticks it and hides the row (Django skips a deleted row, saved or new).
 * 2. Attendance (`[data-attendance]`): "everyone present" ticks every name, "clear" unticks them, and a live count
 *    says how many are ticked, so the secretary unticks the absent instead of ticking thirty names.
 * 3. The sections' menu (`details.workspace-menu`): the current section marked and named; folded on a phone.
 */
(function () {
  "use strict";

  function wireRemove(box, row) {
    var tick = row.querySelector("input[type=checkbox][name$='-DELETE']");
    if (!tick || tick.getAttribute("data-wired")) {
      return;
    }
    tick.setAttribute("data-wired", "1");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button-link formset-remove";
    button.textContent = box.getAttribute("data-msg-remove") || "×";
    tick.hidden = true;
    tick.parentNode.appendChild(button);
    button.addEventListener("click", function () {
      tick.checked = true;
      row.hidden = true;
      var next = box.querySelector(".formset-add");
      if (next) {
        next.focus();
      }
    });
  }

  function enhanceFormset(box) {
    var prefix = box.getAttribute("data-prefix");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var max = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
    var template = box.querySelector("template.formset-empty");
    var body = box.querySelector("tbody");
    if (!total || !template || !body) {
      return;
    }
    Array.prototype.forEach.call(body.querySelectorAll("tr"), function (row) {
      wireRemove(box, row);
    });
    var add = document.createElement("button");
    add.type = "button";
    add.className = "button button-secondary formset-add";
    add.textContent = box.getAttribute("data-msg-add") || "+";
    box.querySelector(".table-scroll").insertAdjacentElement("afterend", add);
    add.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      if (max && index >= parseInt(max.value, 10)) {
        return;
      }
      var holder = document.createElement("tbody");
      holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
      var row = holder.querySelector("tr");
      body.appendChild(row);
      total.value = String(index + 1);
      wireRemove(box, row);
      var first = row.querySelector("textarea, input[type=text], input[type=url], select");
      if (first) {
        first.focus();
      }
    });
  }

  function enhanceAttendance(box) {
    var boxes = box.querySelectorAll("input[type=checkbox][name=present]");
    var tools = box.querySelector(".attendance-tools");
    var count = box.querySelector(".attendance-count");
    if (!tools || !boxes.length) {
      return;
    }
    function update() {
      var ticked = 0;
      Array.prototype.forEach.call(boxes, function (input) {
        ticked += input.checked ? 1 : 0;
      });
      count.textContent = (count.getAttribute("data-template") || "{n} / {total}")
        .replace("{n}", String(ticked))
        .replace("{total}", String(boxes.length));
    }
    function setAll(value) {
      Array.prototype.forEach.call(boxes, function (input) {
        input.checked = value;
      });
      update();
    }
    tools.querySelector(".attendance-all").addEventListener("click", function () {
      setAll(true);
    });
    tools.querySelector(".attendance-none").addEventListener("click", function () {
      setAll(false);
    });
    Array.prototype.forEach.call(boxes, function (input) {
      input.addEventListener("change", update);
    });
    tools.hidden = false;
    update();
  }

  // The sections' menu: the link of the section this page is in (the longest link the address starts with; the
  // dashboard's only on the dashboard itself) is marked as current and named in the summary; on a phone the
  // menu is folded, so that the page's own content is the first thing on the screen.
  function enhanceMenu(menu) {
    var links = menu.querySelectorAll("ul a[href]");
    var path = window.location.pathname;
    var current = null;
    Array.prototype.forEach.call(links, function (link, index) {
      var href = link.getAttribute("href");
      var matches = index === 0 ? path === href : path.indexOf(href) === 0;
      if (matches && (!current || href.length > current.getAttribute("href").length)) {
        current = link;
      }
    });
    if (current) {
      current.setAttribute("aria-current", "page");
      menu.querySelector(".workspace-menu-current").textContent = ": " + current.textContent;
    }
    if (window.matchMedia && window.matchMedia("(max-width: 40rem)").matches) {
      menu.open = false;
    }
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("details.workspace-menu"), enhanceMenu);
    Array.prototype.forEach.call(document.querySelectorAll("fieldset.formset[data-prefix]"), enhanceFormset);
    Array.prototype.forEach.call(document.querySelectorAll("[data-attendance]"), enhanceAttendance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
