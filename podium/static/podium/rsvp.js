// One click in the email: the answer page submits itself. Link scanners that only fetch the
// page (and run no script) answer nothing; without script the person presses the button.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosubmit]");
  if (form) form.submit();
})();
