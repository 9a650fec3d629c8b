// Forms marked data-enter-next (the intake and split forms, made for typing while on
// the phone, and the portal's request form with its region picker): Enter moves to the
// next field (it never submits: the buttons do), and in a picker's search box Enter or
// ↓ goes to the matches. Enter picks a leaf
// category, never the level above it (marked data-branch): in the search box the
// first leaf listed, on a highlighted branch the first leaf after it.
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
    return box ? box.querySelector("input:not([data-branch])") : null;
  }

  function leafFrom(radio) {
    var options = Array.prototype.slice.call(
      radio.closest(".picker-options").querySelectorAll("input[name='" + radio.name + "']")
    );
    return options.slice(options.indexOf(radio)).filter(function (option) {
      return !option.hasAttribute("data-branch");
    })[0];
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
    if (field.type === "radio" && field.hasAttribute("data-branch")) {
      var leaf = leafFrom(field);
      if (leaf) {
        leaf.checked = true;
        leaf.focus();
      }
      return;
    }
    var next = nextField(form, field);
    if (next) {
      next.focus();
    }
  });
})();
