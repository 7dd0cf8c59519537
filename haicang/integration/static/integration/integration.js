// The dead-letter list: one box ticks or clears every row's box.
document.addEventListener("change", (event) => {
  const all = event.target.closest("[data-select-all]");
  if (!all) return;
  for (const box of document.querySelectorAll('input[type="checkbox"][name="delivery"]')) {
    box.checked = all.checked;
  }
});
