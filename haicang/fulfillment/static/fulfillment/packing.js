// The pack bench: confirm before voiding a label; after a label is bought, open its PDF once (the link keeps
// the focus, so Enter opens it again when the browser blocked the window).
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var link = document.querySelector("a[data-open-once]");
    if (!link) return;
    link.focus();
    window.open(link.href, "_blank", "noopener");
  });
})();
