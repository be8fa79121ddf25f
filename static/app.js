// Small progressive enhancements; every page works without this file.
// No inline scripts anywhere: the Content-Security-Policy forbids them.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
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
  // A refused form: name each error after its field's label, link it to
  // the field, and move focus to the summary (screen readers read it out).
  function fieldLabel(field) {
    var holder = field.closest("label") || field.closest("fieldset");
    if (!holder) return "";
    var copy = holder.cloneNode(true);
    copy.querySelectorAll("input, select, textarea, small, .field-error, legend ~ *").forEach(function (el) {
      el.remove();
    });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }
  document.querySelectorAll("[data-error-summary] a[data-field]").forEach(function (link) {
    var scope = link.closest("form") || document;
    var field = scope.querySelector('[name="' + link.getAttribute("data-field") + '"]:not([type="hidden"])');
    if (!field) return;
    if (!field.id) field.id = "field-" + link.getAttribute("data-field");
    link.setAttribute("href", "#" + field.id);
    var label = fieldLabel(field);
    if (label) link.textContent = label + ": " + link.textContent;
    link.addEventListener("click", function (event) {
      event.preventDefault();
      field.focus();
    });
  });
  var refused = document.querySelector("[data-focus]");
  if (refused && document.activeElement !== refused) refused.focus();
  // The language switch on a refused form's page sends the form again in
  // the other language, so nothing typed is lost.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-resubmit]");
    var summary = document.querySelector("form [data-focus]");
    var form = summary && summary.closest("form");
    if (!link || !form || form.method.toLowerCase() !== "post") return;
    event.preventDefault();
    var action = new URL(form.action, window.location.href);
    action.searchParams.set("lang", link.getAttribute("hreflang"));
    form.action = action.toString();
    form.submit();
  });
  // An open header dropdown closes on a click elsewhere or on Escape.
  function closeDropdowns(except) {
    document.querySelectorAll("details.dropdown[open]").forEach(function (d) {
      if (d !== except) d.removeAttribute("open");
    });
  }
  document.addEventListener("click", function (event) {
    closeDropdowns(event.target.closest && event.target.closest("details.dropdown"));
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") closeDropdowns(null);
  });
  // Long text fields say how much room is left ("120 / 4000").
  document.querySelectorAll("textarea[maxlength]").forEach(function (field) {
    var max = Number(field.getAttribute("maxlength"));
    var counter = document.createElement("small");
    counter.className = "muted char-count";
    counter.setAttribute("aria-live", "polite");
    var update = function () {
      counter.textContent = field.value.length + " / " + max;
    };
    update();
    field.addEventListener("input", update);
    field.insertAdjacentElement("afterend", counter);
  });
  // A group's size changes the rows of the registration form at once
  // (without script, the "set" button reloads the form with that many).
  var people = document.querySelector('[data-test="people"]');
  var register = document.querySelector("form[data-participant-label]");
  if (people && register) {
    var resize = function () {
      var max = Number(people.getAttribute("max")) || 1;
      var n = Math.min(Math.max(Number(people.value) || 1, 1), max);
      var rows = register.querySelectorAll('fieldset[data-test="participant-row"]');
      var last = rows[rows.length - 1];
      for (var i = rows.length; i < n; i++) {
        var row = rows[0].cloneNode(true);
        row.querySelector("legend").textContent = register.getAttribute("data-participant-label").replace("{n}", String(i + 1));
        row.querySelectorAll("input, select").forEach(function (field) {
          field.removeAttribute("required");
          field.removeAttribute("aria-invalid");
          if (field.tagName === "SELECT") field.selectedIndex = 0;
          else field.value = "";
          var test = field.getAttribute("data-test");
          if (test) field.setAttribute("data-test", test.replace(/-\d+$/, "-" + i));
        });
        row.querySelectorAll(".field-error").forEach(function (e) { e.textContent = ""; });
        last.insertAdjacentElement("afterend", row);
        last = row;
      }
      for (var j = rows.length - 1; j >= n; j--) rows[j].remove();
      var keep = register.querySelector('input[name="keep_unnamed"]');
      if (n > 1 && !keep) {
        keep = document.createElement("input");
        keep.type = "hidden";
        keep.name = "keep_unnamed";
        keep.value = "1";
        register.appendChild(keep);
      } else if (n <= 1 && keep) {
        keep.remove();
      }
      var later = register.querySelector("[data-name-later]");
      if (later) later.hidden = n <= 1;
    };
    people.addEventListener("input", resize);
    people.addEventListener("change", resize);
  }
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
  // The hall's booking form: group fields only for groups. (The number of
  // people is checked by the server, whose refusal says what to do.)
  var book = document.querySelector('[data-test="book-form"]');
  if (book) {
    var kinds = book.querySelectorAll('input[name="kind"]');
    var sync = function () {
      var picked = book.querySelector('input[name="kind"]:checked');
      var group = picked && picked.value === "group";
      book.querySelectorAll("[data-group-only]").forEach(function (el) {
        el.hidden = !group;
        var input = el.querySelector("input");
        if (input && input.name === "organisation") input.required = group;
      });
    };
    kinds.forEach(function (k) { k.addEventListener("change", sync); });
    sync();
  }
})();
