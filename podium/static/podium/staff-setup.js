// Staff event set-up, enhanced: the viewer's time beside the event's, directory type-ahead, and
// reordering the agenda by dragging or by keyboard without leaving the page, each move announced. Every action also works without it.
(function () {
  "use strict";

  // The UTC offset (minutes) of a zone at an instant, from Intl: no library needed.
  function offsetAt(instant, zone) {
    var parts = {};
    new Intl.DateTimeFormat("en-GB", {
      timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", second: "2-digit"
    }).formatToParts(instant).forEach(function (p) { parts[p.type] = p.value; });
    var asUtc = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second);
    return (asUtc - instant.getTime()) / 60000;
  }

  // The instant when the wall clock in `zone` shows the date and time given.
  function instantIn(date, time, zone) {
    var d = date.split("-"), t = time.split(":");
    var wall = Date.UTC(+d[0], +d[1] - 1, +d[2], +t[0], +t[1]);
    var guess = new Date(wall - offsetAt(new Date(wall), zone) * 60000);
    return new Date(wall - offsetAt(guess, zone) * 60000);
  }

  function timePreview() {
    var box = document.getElementById("time-preview");
    if (!box) { return; }
    var out = box.querySelector("[data-viewer-time]");
    var fields = ["id_date", "id_starts", "id_ends", "id_time_zone"].map(function (id) { return document.getElementById(id); });
    var viewer = Intl.DateTimeFormat().resolvedOptions().timeZone;
    function show() {
      var date = fields[0].value, starts = fields[1].value, ends = fields[2].value, zone = fields[3].value.trim();
      if (!date || !starts || !ends || !zone) { out.textContent = "Fill in the date, times and zone to see them in your own time zone."; return; }
      var start, end;
      try { start = instantIn(date, starts, zone); end = instantIn(date, ends, zone); }
      catch (e) { out.textContent = "“" + zone + "” is not a time zone in the list."; return; }
      // "Wed 2 Dec, 15:00–16:30 GMT+5": the zone after the range, not between its ends.
      function range(z) {
        var day = new Intl.DateTimeFormat(undefined, { timeZone: z, weekday: "short", day: "numeric", month: "short" }).format(start);
        var zoneName = new Intl.DateTimeFormat(undefined, { timeZone: z, timeZoneName: "short" })
          .formatToParts(start).filter(function (p) { return p.type === "timeZoneName"; })
          .map(function (p) { return p.value; }).join("");
        return day + ", " + hm(start, z) + "–" + hm(end, z) + " " + zoneName;
      }
      function hm(instant, z) {
        return new Intl.DateTimeFormat(undefined, { timeZone: z, hour: "2-digit", minute: "2-digit", hour12: false }).format(instant);
      }
      out.textContent = "";
      var a = document.createElement("span"), b = document.createElement("span");
      a.textContent = "Event's time (" + zone + "): " + range(zone);
      b.textContent = "Your time (" + viewer + "): " + range(viewer);
      out.appendChild(a); out.appendChild(document.createElement("br")); out.appendChild(b);
      out.classList.remove("muted");
    }
    fields.forEach(function (f) { if (f) { f.addEventListener("input", show); f.addEventListener("change", show); } });
    if (fields.every(Boolean)) { show(); }
  }

  // Replace the agenda list and the preview with the server's fresh copy (after a move by dragging).
  function refreshAgenda(focusSelector) {
    return fetch(window.location.pathname, { headers: { "X-Requested-With": "fetch-page" } })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        ["agenda-order", "agenda-preview"].forEach(function (id) {
          var fresh = doc.getElementById(id), old = document.getElementById(id);
          if (fresh && old) { old.replaceWith(fresh); }
        });
        agendaList();
        if (focusSelector) {
          var el = document.querySelector(focusSelector);
          if (el) { el.focus(); }
        }
      });
  }

  // Says, through the page's one polite live region, where a moved row now stands.
  function announceMove(rowId) {
    var region = document.getElementById("agenda-announce");
    var rows = Array.prototype.slice.call(document.querySelectorAll("#agenda-list .agenda-row"));
    var row = document.getElementById(rowId);
    if (!region || !row) { return; }
    var text = row.dataset.name + " moved to position " + (rows.indexOf(row) + 1) + " of " + rows.length + ".";
    // Emptied first so that the same words said twice are still read out.
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  function post(url, data) {
    var builder = document.getElementById("agenda-builder");
    var body = new URLSearchParams(data);
    body.append("csrfmiddlewaretoken", builder.dataset.csrf);
    return fetch(url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-Requested-With": "fetch", "X-CSRFToken": builder.dataset.csrf }
    }).then(function (r) {
      return r.json().then(function (answer) {
        if (!r.ok) { throw new Error(answer.error || "That did not work; reload the page."); }
        return answer;
      });
    });
  }

  function agendaList() {
    var list = document.getElementById("agenda-list");
    if (!list) { return; }
    // Up and Down stay on the page and keep the focus on the button pressed.
    list.querySelectorAll("form.js-move").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var button = event.submitter, row = form.closest("li");
        post(form.action, { direction: button.value })
          .then(function () { return refreshAgenda("#" + row.id + " button[value=" + button.value + "]:not([disabled]), #" + row.id + " button[value]"); })
          .then(function () { announceMove(row.id); })
          .catch(function (error) { window.alert(error.message); });
      });
    });
    var dragged = null;
    function clearMarks() {
      list.querySelectorAll(".drop-before, .drop-after").forEach(function (r) { r.classList.remove("drop-before", "drop-after"); });
    }
    function lowerHalf(row, event) {
      var box = row.getBoundingClientRect();
      return event.clientY > box.top + box.height / 2;
    }
    list.querySelectorAll(".agenda-row").forEach(function (row) {
      row.draggable = true;
      row.addEventListener("dragstart", function (event) {
        dragged = row; row.classList.add("dragging");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", row.id);
      });
      row.addEventListener("dragend", function () {
        row.classList.remove("dragging");
        clearMarks();
      });
      row.addEventListener("dragover", function (event) {
        if (!dragged || dragged === row) { return; }
        event.preventDefault();
        clearMarks();
        row.classList.add(lowerHalf(row, event) ? "drop-after" : "drop-before");
      });
      row.addEventListener("drop", function (event) {
        event.preventDefault();
        if (!dragged || dragged === row) { return; }
        var from = +dragged.dataset.index, to = +row.dataset.index + (lowerHalf(row, event) ? 1 : 0);
        var position = from < to ? to - 1 : to;  // the place it lands once taken out of its own
        clearMarks();
        var id = dragged.id;
        dragged = null;
        post(list.querySelector("#" + id).dataset.moveUrl, { position: String(position) })
          .then(function () { return refreshAgenda("#" + id + " button"); })
          .then(function () { announceMove(id); })
          .catch(function (error) { window.alert(error.message); });
      });
    });
  }

  function typeAhead() {
    var form = document.querySelector("form[data-results-url]");
    if (!form) { return; }
    var input = form.querySelector("input[name=q]"), results = document.getElementById("agenda-results");
    var timer = null, asked = "";
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var q = input.value.trim();
        if (q === asked) { return; }
        asked = q;
        fetch(form.dataset.resultsUrl + "?q=" + encodeURIComponent(q), { credentials: "same-origin" })
          .then(function (r) { return r.text(); })
          .then(function (html) { if (asked === q) { results.innerHTML = html; } });
      }, 200);
    });
  }

  // The designations as the agenda will write them (people.naming.designations_text), while typing.
  function designationPreview() {
    var box = document.getElementById("designation-preview");
    if (!box) { return; }
    var out = box.querySelector("[data-designation-text]");
    var form = box.closest("form");
    function one(n) {
      var position = form.elements["position_" + n].value.trim();
      var organisation = form.elements["organisation_" + n].value.trim();
      if (position && organisation) {
        return position + (form.elements["comma_" + n].checked ? ", " : " ") + organisation;
      }
      return position || organisation;
    }
    function show() {
      var texts = [one(1), one(2)].filter(Boolean);
      box.hidden = !texts.length;
      out.textContent = texts.length > 1 ? texts[0] + ", and " + texts[1] : (texts[0] || "");
    }
    form.addEventListener("input", show);
    form.addEventListener("change", show);
    show();
  }

  document.addEventListener("DOMContentLoaded", function () {
    timePreview();
    designationPreview();
    agendaList();
    typeAhead();
  });
})();
