// The report period form: shows only the fields the chosen kind of report needs
// (month, quarter, year, or a free range of dates).
(function () {
  "use strict";

  var NEEDS = {
    month: ["year", "month"],
    quarter: ["year", "quarter"],
    year: ["year"],
    range: ["start", "end"]
  };
  var FIELDS = ["year", "month", "quarter", "start", "end"];

  function fieldBox(form, name) {
    var input = form.querySelector('[name="' + name + '"]');
    return input ? input.closest(".field") : null;
  }

  function update(form) {
    var kind = form.querySelector('[name="kind"]');
    if (!kind) {
      return;
    }
    var shown = NEEDS[kind.value] || FIELDS;
    FIELDS.forEach(function (name) {
      var box = fieldBox(form, name);
      if (box) {
        box.hidden = shown.indexOf(name) < 0;
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.period-form").forEach(function (form) {
      update(form);
      form.addEventListener("change", function (event) {
        if (event.target.name === "kind") {
          update(form);
        }
      });
    });
  });
})();
