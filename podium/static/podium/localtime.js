// Shows an event's time in the visitor's own time zone, beside the event's zone. No dependencies.
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
