// A part of a form marked data-shown-with="NAME=VALUE" is shown only while the form's
// field NAME has that value (人大代表级别 only on 人大代表专席), so the operator is not
// asked what does not apply; while hidden its fields are disabled, so a value picked
// before the choice changed is not sent. Without scripts it stays shown; the server
// checks anyway.
(function () {
  "use strict";

  function update(form) {
    form.querySelectorAll("[data-shown-with]").forEach(function (part) {
      var rule = part.getAttribute("data-shown-with").split("=");
      var field = form.elements[rule[0]];
      var off = Boolean(field) && field.value !== rule[1];
      part.hidden = off;
      part.querySelectorAll("input, select, textarea").forEach(function (input) {
        input.disabled = off;
      });
    });
  }

  function all() {
    document.querySelectorAll("form").forEach(update);
  }

  document.addEventListener("change", function (event) {
    if (event.target.form) {
      update(event.target.form);
    }
  });
  document.addEventListener("DOMContentLoaded", all);
  document.addEventListener("htmx:afterSettle", all);
})();
