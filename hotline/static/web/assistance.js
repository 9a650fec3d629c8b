// Intake suggestions: a click (or its number key) on a suggestion fills the intake
// form's field. Selects are set directly; the category, region and lead pickers are
// searched for the code and the matching choice is checked once the picker's options
// have arrived. Focus stays on the suggestions, so the next one can be picked.
(function () {
  "use strict";

  var PICKERS = { category: "category", region: "region", lead: "lead" };

  function setSelect(name, value) {
    var select = document.querySelector("#intake-form [name=" + name + "]");
    if (!select) {
      return false;
    }
    select.value = value;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    return true;
  }

  function pick(name, value) {
    var box = document.getElementById(name + "-q");
    var options = document.getElementById(name + "-options");
    if (!box || !options) {
      return false;
    }
    var check = function () {
      var input = options.querySelector("input[name=" + name + "][value='" + value + "']");
      if (input) {
        input.checked = true;
        input.dispatchEvent(new Event("change", { bubbles: true }));
      }
      return Boolean(input);
    };
    if (check()) {
      return true;
    }
    options.addEventListener("htmx:afterSettle", function once() {
      options.removeEventListener("htmx:afterSettle", once);
      check();
    });
    box.value = value;
    if (window.htmx) {
      window.htmx.trigger(box, "search");
    }
    return true;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-fill]");
    if (!button) {
      return;
    }
    var field = button.dataset.fill;
    var value = button.dataset.value;
    var done = PICKERS[field] ? pick(PICKERS[field], value) : setSelect(field, value);
    button.classList.toggle("chosen", done);
    if (!done && field === "lead") {
      button.title = "点击「转派」后可选择主办单位";
    }
  });
})();
