// Live progress of a contact import: polls the JSON counts every second, reloads when it ends.
(function () {
  "use strict";
  var panel = document.getElementById("import-progress");
  if (!panel || !panel.dataset.url || !window.fetch) return;
  var bar = panel.querySelector("progress");
  var text = panel.querySelector("[data-progress-text]");
  function update(data) {
    bar.max = Math.max(data.total, 1);
    bar.value = data.processed;
    bar.textContent = data.progress_text;
    text.textContent = data.progress_text;
    return !data.finished;
  }
  function poll() {
    fetch(panel.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (data) {
        if (update(data)) setTimeout(poll, 1000);
        else window.location.reload();
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 1000);
})();
