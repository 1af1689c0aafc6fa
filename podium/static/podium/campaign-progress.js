// Live progress of a campaign: polls the JSON counts every two seconds while it sends.
(function () {
  "use strict";
  var panel = document.getElementById("campaign-progress");
  if (!panel || !panel.dataset.live) return;
  var bar = panel.querySelector("[data-progress-bar]");
  function update(data) {
    document.querySelectorAll("[data-progress]").forEach(function (el) {
      var key = el.dataset.progress;
      if (key in data) el.textContent = data[key];
    });
    if (bar) {
      bar.max = Math.max(data.total, 1);
      bar.value = data.sent;
      bar.textContent = data.sent + " of " + data.total;
    }
    return data.status === "sending" || data.status === "scheduled";
  }
  function poll() {
    fetch(panel.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (data) { if (update(data)) setTimeout(poll, 2000); })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 1000);
})();
