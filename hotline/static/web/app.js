// Shared page behaviour: keyboard shortcuts, confirmations, focus on the first error.
(function () {
  "use strict";

  // <button data-key="F2"> is pressed by the F2 key (or "Alt+s" style combinations),
  // so an operator on the phone never has to reach for the mouse.
  function keyName(event) {
    var name = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    return (event.altKey ? "Alt+" : "") + (event.ctrlKey ? "Ctrl+" : "") + name;
  }

  document.addEventListener("keydown", function (event) {
    var target = document.querySelector('[data-key="' + keyName(event) + '"]');
    if (target && !target.disabled) {
      event.preventDefault();
      target.focus();
      target.click();
    }
  });

  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var question = (button && button.dataset.confirm) || event.target.dataset.confirm;
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var error = document.querySelector(".has-error input, .has-error select, .has-error textarea");
    if (error) {
      error.focus();
    }
  });
})();
