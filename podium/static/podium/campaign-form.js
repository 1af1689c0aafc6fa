// The campaign form, enhanced: choosing a template fills the subject and text at once (without script,
// the "Use this template" button does the same through the server). Text already typed is replaced
// only after the person agrees.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var select = document.getElementById("id_template");
    var data = document.getElementById("template-texts");
    if (!select || !data) { return; }
    var texts = JSON.parse(data.textContent);
    var subject = document.getElementById("id_subject");
    var body = document.getElementById("id_body");
    var button = document.querySelector("[data-use-template]");
    if (button) { button.hidden = true; }
    select.addEventListener("change", function () {
      var chosen = texts[select.value];
      if (!chosen) { return; }
      var typed = subject.value.trim() || body.value.trim();
      if (typed && !window.confirm("Replace the subject and text you have written with the template's?")) { return; }
      subject.value = chosen.subject;
      body.value = chosen.body;
    });
  });
})();
