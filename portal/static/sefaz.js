/* Sefaz on the client form: "Aplicar" copies the chosen answers into the form's inputs.
   Only the ticked rows change; everything else typed stays. CNAE, regime and address have
   no input in the form: they travel as hidden `sefaz_apply` values and are stored on save. */
(function () {
  "use strict";

  function setValue(input, value) {
    input.value = value;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function apply(button) {
    const answer = button.closest("[data-sefaz-answer]");
    const chosen = answer.querySelector("[data-sefaz-chosen]");
    const applied = [];
    chosen.replaceChildren();
    answer.querySelectorAll("input[data-sefaz-field]:checked").forEach(function (box) {
      const label = answer.querySelector('label[for="' + box.id + '"]').textContent;
      const target = box.dataset.sefazInput && document.getElementById(box.dataset.sefazInput);
      if (target) {
        setValue(target, box.dataset.sefazValue);
        if (box.dataset.sefazField === "ie") {
          const indicator = document.getElementById("ie_indicator");
          if (indicator) setValue(indicator, "contribuinte");
        }
      } else {
        const hidden = document.createElement("input");
        hidden.type = "hidden";
        hidden.name = "sefaz_apply";
        hidden.value = box.dataset.sefazField;
        chosen.appendChild(hidden);
      }
      applied.push(label);
    });
    const kind = document.querySelector('input[name="kind"][value="' + button.dataset.sefazKind + '"]');
    if (applied.length && kind && !kind.checked) {
      kind.checked = true;
      kind.dispatchEvent(new Event("change", { bubbles: true }));
    }
    answer.querySelector("[data-sefaz-applied]").textContent = applied.length
      ? "Aplicado: " + applied.join(", ") + ". Grave o cliente para confirmar."
      : "Nada marcado para preencher.";
  }

  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-sefaz-apply]");
    if (button) apply(button);
  });

  // While Sefaz is being asked (it may take seconds), say so where the answer will appear.
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.elt.id === "sefaz-consult-button") {
      const result = document.getElementById("sefaz-result");
      result.replaceChildren();
      const note = document.createElement("p");
      note.className = "small text-muted";
      note.setAttribute("role", "status");
      note.textContent = "Consultando a Sefaz…";
      result.appendChild(note);
    }
  });
})();
