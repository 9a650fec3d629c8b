// The intake and split forms, made for typing while on the phone:
// Enter moves to the next field (it never submits: outcomes have their own keys),
// and in a picker's search box Enter or ↓ goes to the matches.
(function () {
  "use strict";

  var FIELDS = "input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])";

  function shown(element) {
    return element.tabIndex >= 0 && element.getClientRects().length > 0;
  }

  function nextField(form, from) {
    var fields = Array.prototype.filter.call(form.querySelectorAll(FIELDS), shown);
    var at = fields.indexOf(from);
    if (at < 0) {
      return null;
    }
    // A group of radio buttons is one stop, as with Tab.
    while (from.type === "radio" && fields[at + 1] && fields[at + 1].name === from.name) {
      at += 1;
    }
    return fields[at + 1] || null;
  }

  function firstMatch(searchBox) {
    var box = searchBox.dataset.picker && document.getElementById(searchBox.dataset.picker);
    return box ? box.querySelector("input") : null;
  }

  document.addEventListener("keydown", function (event) {
    var field = event.target;
    var form = field && field.form;
    if (!form || !form.hasAttribute("data-enter-next")) {
      return;
    }
    // A Chinese input method uses Enter to commit what is being composed.
    if (event.isComposing || event.keyCode === 229 || event.altKey || event.ctrlKey) {
      return;
    }
    var match = field.dataset.picker ? firstMatch(field) : null;
    if (event.key === "ArrowDown" && match) {
      event.preventDefault();
      match.focus();
      return;
    }
    if (event.key !== "Enter" || event.shiftKey) {
      return;
    }
    if (field.tagName !== "INPUT" && field.tagName !== "SELECT") {
      return; // a textarea takes new lines; a button does what it says
    }
    event.preventDefault();
    if (match) {
      if (match.type === "radio") {
        match.checked = true;
      }
      match.focus();
      return;
    }
    var next = nextField(form, field);
    if (next) {
      next.focus();
    }
  });
})();
