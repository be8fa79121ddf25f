// Small progressive enhancements; every page works without this file.
// No inline scripts anywhere: the Content-Security-Policy forbids them.
(function () {
  "use strict";
  // Ask before a form marked data-confirm is sent.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form && form.getAttribute && form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
  // A button marked data-print opens the print dialog (name cards, itinerary).
  document.addEventListener("click", function (event) {
    var el = event.target;
    if (el && el.closest && el.closest("[data-print]")) {
      window.print();
    }
  });
  // A new secret link is shown as a path; make it the whole address to copy,
  // and select it when focused.
  document.querySelectorAll("input[data-absolute]").forEach(function (input) {
    if (input.value.charAt(0) === "/") {
      input.value = window.location.origin + input.value;
    }
    input.addEventListener("focus", function () {
      input.select();
    });
  });
})();
