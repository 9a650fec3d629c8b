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

// 「导出 Excel」: a long list takes a while to write, then to download. The link is
// fetched here so the page can say so, with the download's percentage; the file is
// then saved as the plain link would have saved it.
(function () {
  "use strict";

  function filename(response) {
    var header = response.headers.get("Content-Disposition") || "";
    var match = /filename\*=UTF-8''([^;]+)/.exec(header);
    return match ? decodeURIComponent(match[1]) : "导出.xlsx";
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-export]");
    if (!link || !window.fetch || !window.ReadableStream) {
      return;
    }
    event.preventDefault();
    if (link.getAttribute("aria-busy") === "true") {
      return;
    }
    var status = link.parentNode.querySelector("[data-export-status]");
    link.setAttribute("aria-busy", "true");
    status.textContent = "正在生成 Excel 文件，请稍候…";
    fetch(link.href, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        var total = Number(response.headers.get("Content-Length")) || 0;
        var rows = response.headers.get("X-Exported-Rows");
        var reader = response.body.getReader();
        var parts = [];
        var received = 0;
        function pump() {
          return reader.read().then(function (part) {
            if (part.done) {
              return;
            }
            parts.push(part.value);
            received += part.value.length;
            if (total) {
              status.textContent = "正在下载 " + Math.floor((received * 100) / total) + "%";
            }
            return pump();
          });
        }
        return pump().then(function () {
          var url = URL.createObjectURL(new Blob(parts, { type: response.headers.get("Content-Type") }));
          var save = document.createElement("a");
          save.href = url;
          save.download = filename(response);
          document.body.appendChild(save);
          save.click();
          save.remove();
          setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
          status.textContent = "已导出 " + rows + " 行";
        });
      })
      .catch(function () {
        status.textContent = "导出失败，请稍后重试";
      })
      .then(function () {
        link.removeAttribute("aria-busy");
      });
  });
})();

// <input type="checkbox" data-select-all="orders"> in a form ticks or clears every
// "orders" box of that form (batch sign-for), wherever the boxes sit in the table.
document.addEventListener("change", function (event) {
  "use strict";
  var name = event.target.dataset && event.target.dataset.selectAll;
  var form = event.target.form;
  if (!name || !form) {
    return;
  }
  var boxes = document.querySelectorAll('input[type="checkbox"][name="' + name + '"]');
  Array.prototype.forEach.call(boxes, function (box) {
    if (box.form === form) {
      box.checked = event.target.checked;
    }
  });
});
