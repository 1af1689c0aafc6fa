// Every page's small enhancements: an event's time in the visitor's own time zone, and focus on a form's error summary. No dependencies.
(function () {
  "use strict";
  function show(el) {
    var start = new Date(el.dataset.localStart), end = new Date(el.dataset.localEnd);
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!zone || isNaN(start) || zone === el.dataset.eventZone) { return; }
    var day = { weekday: "long", day: "numeric", month: "long", year: "numeric" };
    var time = { hour: "2-digit", minute: "2-digit", hour12: false };
    var zoneName = new Intl.DateTimeFormat(undefined, { timeZoneName: "short" })
      .formatToParts(start).filter(function (p) { return p.type === "timeZoneName"; })
      .map(function (p) { return p.value; }).join("");
    var text = "In your time zone (" + zone + "): " +
      start.toLocaleDateString(undefined, day) + ", " +
      start.toLocaleTimeString(undefined, time) + "–" + end.toLocaleTimeString(undefined, time) +
      (zoneName ? " " + zoneName : "");
    el.textContent = text;
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-local-start]").forEach(show);
  });
})();

// A form sent back with errors: its error summary takes focus, so it is read first; its links lead to
// the fields. Nothing moves when there is no summary.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) { return; }
  // The title is the first thing a screen reader says of a page: it says the form came back.
  if (document.title.indexOf("Error: ") !== 0) { document.title = "Error: " + document.title; }
  summary.focus();
  // A link to a field focuses the field itself (a plain fragment link would only scroll to it).
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    var field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!field) { return; }
    event.preventDefault();
    field.focus();
    var label = document.querySelector("label[for='" + field.id + "']") || field;
    label.scrollIntoView({ block: "center" });
  });
});

// A table too wide for the screen scrolls inside its frame: the frame then takes keyboard focus (the arrow
// keys scroll it) and is named after the table, so it can be reached without a mouse.
(function () {
  "use strict";
  function mark() {
    document.querySelectorAll(".table-wrap").forEach(function (wrap) {
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      if (scrolls && !wrap.hasAttribute("tabindex")) {
        var table = wrap.querySelector("table");
        var caption = table && table.caption ? table.caption.textContent : "";
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", (caption || "Table") + " (scrolls sideways)");
      } else if (!scrolls && wrap.getAttribute("role") === "region") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", mark);
  window.addEventListener("resize", mark);
})();
