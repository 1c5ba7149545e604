/* Boletos (storefront Pagamento tab, second copy): "Copiar código" puts the button's
   data-copy text on the clipboard and says so next to it ("Copiado"). Without the Clipboard
   API (an insecure page) the code is selected for the person to copy. */
(function () {
  "use strict";

  function feedback(button, text) {
    const box = button.parentElement.querySelector(".boleto-copy-feedback");
    if (!box) return;
    box.textContent = text;
    window.clearTimeout(box._clientelaTimer);
    box._clientelaTimer = window.setTimeout(function () {
      box.textContent = "";
    }, 4000);
  }

  function selectCode(button) {
    const card = button.closest(".boleto");
    const code = card && card.querySelector(".boleto-linha");
    if (!code) return;
    const range = document.createRange();
    range.selectNodeContents(code);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  document.addEventListener("click", function (event) {
    const button = event.target.closest("button[data-copy]");
    if (!button) return;
    const text = button.dataset.copy;
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () {
          feedback(button, button.dataset.copied);
        },
        function () {
          selectCode(button);
          feedback(button, button.dataset.copyFailed);
        }
      );
    } else {
      selectCode(button);
      feedback(button, button.dataset.copyFailed);
    }
  });
})();

/* After "Reenviar boleto" the page comes back as /pedidos/N#tab-pagamento: open that tab. */
(function () {
  "use strict";
  const target = window.location.hash;
  if (!/^#tab-[a-z0-9-]+$/.test(target) || !window.bootstrap) return;
  const button = document.querySelector('[data-bs-toggle="tab"][data-bs-target="' + target + '"]');
  if (button) window.bootstrap.Tab.getOrCreateInstance(button).show();
})();
