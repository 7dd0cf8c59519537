// The inbound shipment form: add and remove table rows (Django formsets), and show each line's default
// purchase cost (its SKU's) as the SKU code is typed. Without JavaScript the form still works: it comes with
// blank rows, and a blank row is skipped.
(function () {
  "use strict";

  function costs() {
    var node = document.getElementById("inbound-sku-costs");
    return node ? JSON.parse(node.textContent) : {};
  }

  function addRow(prefix) {
    var template = document.getElementById(prefix + "-empty");
    var total = document.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    var body = document.querySelector('tbody[data-rows="' + prefix + '"]');
    if (!template || !total || !body) return;
    var index = parseInt(total.value, 10);
    body.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, String(index)));
    total.value = String(index + 1);
    var first = body.lastElementChild && body.lastElementChild.querySelector("input, select, textarea");
    if (first) first.focus();
  }

  function clearRow(row) {
    row.querySelectorAll("input, textarea").forEach(function (input) { input.value = ""; });
    row.querySelectorAll("select").forEach(function (select) { select.selectedIndex = 0; });
    row.hidden = true;
  }

  function showDefault(input, table) {
    var row = input.closest("tr");
    var amount = row && row.querySelector('input[name$="-purchase_cost_amount"]');
    var note = row && row.querySelector("[data-default-cost]");
    if (!amount) return;
    var cost = table[input.value.trim()] || "";
    amount.placeholder = cost;
    var template = (input.form && input.form.dataset.defaultTemplate) || "%s";
    if (note) note.textContent = cost ? template.replace("%s", cost) : "";
  }

  document.addEventListener("DOMContentLoaded", function () {
    var table = costs();
    document.addEventListener("click", function (event) {
      var add = event.target.closest("[data-add-row]");
      if (add) { event.preventDefault(); addRow(add.dataset.addRow); return; }
      var remove = event.target.closest("[data-remove-row]");
      if (remove) { event.preventDefault(); clearRow(remove.closest("tr")); }
    });
    document.addEventListener("input", function (event) {
      var input = event.target;
      if (input.matches && input.matches('input[name^="lines-"][name$="-sku"]')) {
        showDefault(input, table);
      }
    });
  });
})();
