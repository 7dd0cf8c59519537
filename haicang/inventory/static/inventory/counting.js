// The counting page on a scanner: a scanner "types" the code and presses Enter. Enter in the location or SKU
// field moves to the next field instead of submitting; Enter in the quantity records the line. After HTMX
// swaps the panel in, the field marked autofocus gets the focus again.
(function () {
  "use strict";

  function focusFirst(root) {
    var field = root.querySelector("[autofocus]");
    if (field) {
      field.focus();
      if (field.select) field.select();
    }
  }

  document.addEventListener("keydown", function (event) {
    var field = event.target;
    if (event.key !== "Enter" || !field.dataset || !field.dataset.next) return;
    if (field.value.trim() === "") {
      event.preventDefault();
      return;
    }
    var next = document.getElementById(field.dataset.next);
    if (next) {
      event.preventDefault();
      next.focus();
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    focusFirst(document.getElementById("scan-panel") || document);
  });
})();
