// Lists of choices beside the form (the knowledge answers, the suggestions), picked
// with the keys: Alt+S goes to the suggestions, ↓ in the knowledge box to its answers;
// inside a list ↑/↓ move between rows and ←/→ along a row, and a number key picks
// that item (the n-th answer, the n-th suggestion of the row).
(function () {
  "use strict";

  function buttons(scope) {
    return Array.prototype.slice.call(scope.querySelectorAll("button"));
  }

  function rowOf(button) {
    return button.closest("[data-choice-row]");
  }

  function rows(list) {
    return Array.prototype.slice.call(list.querySelectorAll("[data-choice-row]")).filter(
      function (row) {
        return buttons(row).length > 0;
      }
    );
  }

  function enter(list) {
    var first = list && list.querySelector("[data-choice-row] button");
    if (first) {
      first.focus();
    }
    return Boolean(first);
  }

  function step(button, key) {
    var list = button.closest("[data-choices]");
    var row = rowOf(button);
    if (key === "ArrowLeft" || key === "ArrowRight") {
      var along = buttons(row);
      return along[along.indexOf(button) + (key === "ArrowRight" ? 1 : -1)];
    }
    var all = rows(list);
    var next = all[all.indexOf(row) + (key === "ArrowDown" ? 1 : -1)];
    return next ? buttons(next)[0] : null;
  }

  function numbered(button, digit) {
    var scope = button.closest("[data-choice-numbers]");
    if (!scope) {
      return null;
    }
    var items = scope.hasAttribute("data-choice-row") ? buttons(scope) : rows(scope).map(
      function (row) {
        return buttons(row)[0];
      }
    );
    return items[digit - 1] || null;
  }

  document.addEventListener("keydown", function (event) {
    if (event.isComposing || event.ctrlKey || event.metaKey) {
      return;
    }
    var target = event.target;
    if (event.altKey) {
      if (event.key.toLowerCase() === "s" && enter(document.getElementById("intake-suggestions"))) {
        event.preventDefault();
      }
      return;
    }
    if (target.id === "knowledge-q" && event.key === "ArrowDown") {
      if (enter(document.getElementById("knowledge-results"))) {
        event.preventDefault();
      }
      return;
    }
    if (target.tagName !== "BUTTON" || !target.closest("[data-choices] [data-choice-row]")) {
      return;
    }
    var to = null;
    if (/^Arrow(Up|Down|Left|Right)$/.test(event.key)) {
      to = step(target, event.key);
      event.preventDefault();
      if (to) {
        to.focus();
      }
    } else if (/^[1-9]$/.test(event.key)) {
      to = numbered(target, Number(event.key));
      event.preventDefault();
      if (to) {
        to.focus();
        to.click();
      }
    }
  });
})();

// The knowledge-base box: the call's content is searched after a pause in typing
// (unless the operator is searching the box itself), and 「采用此答复」 writes the
// article's reference into 答复依据, so that 当场答复 records it.
(function () {
  "use strict";

  var PAUSE_MS = 800;
  var timer = null;
  var lastContent = "";

  function box() {
    return document.getElementById("knowledge-q");
  }

  function searchContent(text) {
    var input = box();
    var results = document.getElementById("knowledge-results");
    if (!input || !results || input.value.trim() || text === lastContent) {
      return;
    }
    lastContent = text;
    var url = input.getAttribute("hx-get") + "?content=" + encodeURIComponent(text.slice(0, 300));
    if (window.htmx) {
      window.htmx.ajax("GET", url, { target: results, swap: "innerHTML" });
    }
  }

  document.addEventListener("input", function (event) {
    if (event.target.id !== "id_content") {
      return;
    }
    var text = event.target.value.trim();
    window.clearTimeout(timer);
    if (text.length >= 2) {
      timer = window.setTimeout(function () {
        searchContent(text);
      }, PAUSE_MS);
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-article-ref]");
    if (!button) {
      return;
    }
    var field = document.getElementById("id_article");
    if (!field) {
      return;
    }
    field.value = button.dataset.articleRef.slice(0, field.maxLength > 0 ? field.maxLength : 200);
    document.querySelectorAll("[data-article-ref]").forEach(function (other) {
      other.removeAttribute("aria-pressed");
      other.textContent = "采用此答复";
    });
    button.setAttribute("aria-pressed", "true");
    button.textContent = "已采用（按 F2 当场答复）";
    field.focus();
  });
})();

// SPEC 8, the screen pop: when a call answered at the operator's seat arrives (htmx
// swaps in #screen-pop with the call's data), its number and call id fill the form and
// the caller's history loads (the phone box's own change trigger).
(function () {
  "use strict";
  function fill() {
    var pop = document.getElementById("screen-pop");
    if (!pop || !pop.dataset.popCall || pop.dataset.popFilled) {
      return;
    }
    pop.dataset.popFilled = "1";
    var form = document.getElementById("intake-form");
    var phone = document.getElementById("id_phone");
    var callId = form && form.querySelector("input[name=call_id]");
    if (callId) {
      callId.value = pop.dataset.popCall;
    }
    if (phone) {
      phone.value = pop.dataset.popPhone || "";
      phone.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }
  document.addEventListener("htmx:load", fill);
  document.addEventListener("htmx:afterSettle", fill);
})();
