/* Order popup: add and remove item rows (the popup is loaded by htmx into the shared modal). */
(function () {
  "use strict";
  if (window.clientelaOrders) return;
  window.clientelaOrders = true;

  document.addEventListener("click", function (event) {
    const add = event.target.closest("[data-add-item]");
    if (add) {
      const rows = document.getElementById("item-rows");
      const template = document.getElementById("item-row-template");
      const index = Number(rows.dataset.nextIndex || 0);
      rows.dataset.nextIndex = String(index + 1);
      rows.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__i__/g, String(index)));
      rows.lastElementChild.querySelector("input").focus();
      return;
    }
    const remove = event.target.closest("[data-remove-item]");
    if (remove) remove.closest(".item-row").remove();
  });
})();
