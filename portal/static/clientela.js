/* Clientela back office: masks, popups (htmx + Bootstrap modal), phone rows, help popovers. */
(function () {
  "use strict";

  function maskDocument(value) {
    const raw = value.replace(/[^0-9a-zA-Z]/g, "").toUpperCase().slice(0, 14);
    if (raw.length <= 11 && /^\d*$/.test(raw)) {
      return raw.replace(/^(\d{3})(\d)/, "$1.$2").replace(/^(\d{3})\.(\d{3})(\d)/, "$1.$2.$3")
        .replace(/\.(\d{3})(\d{1,2})$/, ".$1-$2");
    }
    return raw.replace(/^(\w{2})(\w)/, "$1.$2").replace(/^(\w{2})\.(\w{3})(\w)/, "$1.$2.$3")
      .replace(/\.(\w{3})(\w)/, ".$1/$2").replace(/(\w{4})(\d{1,2})$/, "$1-$2");
  }

  function maskCep(value) {
    return value.replace(/\D/g, "").slice(0, 8).replace(/^(\d{5})(\d)/, "$1-$2");
  }

  function maskPhone(value) {
    if (value.trim().startsWith("+")) return value;
    const d = value.replace(/\D/g, "").slice(0, 11);
    if (d.length <= 2) return d.length ? "(" + d : "";
    const rest = d.slice(2);
    const split = rest.length > 8 ? 5 : 4;
    return "(" + d.slice(0, 2) + ") " + (rest.length > split ? rest.slice(0, split) + "-" + rest.slice(split) : rest);
  }

  const masks = { document: maskDocument, cep: maskCep, phone: maskPhone };

  document.addEventListener("input", function (event) {
    const input = event.target;
    const mask = masks[input.dataset && input.dataset.mask];
    if (mask) {
      const masked = mask(input.value);
      if (masked !== input.value) input.value = masked;
    }
  });

  function initPopovers(root) {
    root.querySelectorAll('[data-bs-toggle="popover"]').forEach(function (el) {
      bootstrap.Popover.getOrCreateInstance(el);
    });
  }

  const modalEl = document.getElementById("clientela-modal");
  const modal = modalEl ? bootstrap.Modal.getOrCreateInstance(modalEl) : null;

  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target.id === "clientela-modal-content" && modal) {
      modal.show();
      initPopovers(event.detail.target);
    }
  });

  // Focus the popup's first field once it is shown, unless the user is already typing in it.
  if (modalEl) {
    modalEl.addEventListener("shown.bs.modal", function () {
      if (modalEl.contains(document.activeElement) && document.activeElement.matches("input, select, textarea")) return;
      const first = modalEl.querySelector("input:not([type=hidden]), select, textarea");
      if (first) first.focus();
    });
  }

  function toast(message, failed) {
    const el = document.getElementById("clientela-toast");
    if (!el || !message) return;
    el.classList.toggle("text-bg-success", !failed);
    el.classList.toggle("text-bg-danger", !!failed);
    el.querySelector(".toast-body").textContent = message;
    bootstrap.Toast.getOrCreateInstance(el).show();
  }

  // A popup request refused (404, 405, 413, 429, 500...): the server's short Portuguese text.
  document.body.addEventListener("htmx:responseError", function (event) {
    const text = (event.detail.xhr && event.detail.xhr.responseText) || "";
    if (text && text.length < 300 && text.trim()[0] !== "<") toast(text.trim(), true);
  });

  // A form re-rendered after an expired CSRF token: the page's htmx header token is renewed too.
  document.body.addEventListener("clientela:csrfToken", function (event) {
    document.body.setAttribute("hx-headers", JSON.stringify({ "X-CSRFToken": event.detail.value }));
  });

  document.body.addEventListener("clientela:saved", function (event) {
    if (modal) modal.hide();
    toast(event.detail.value);
  });

  // A lookup saved in its popup: add or rename the option and select it, keeping the form.
  document.body.addEventListener("clientela:lookupSaved", function (event) {
    const data = event.detail;
    const select = document.getElementById(data.field);
    if (!select) return;
    let option = Array.from(select.options).find(function (o) { return o.value === String(data.id); });
    if (!option) {
      option = new Option(data.name, String(data.id));
      select.add(option);
    } else {
      option.text = data.name;
    }
    if (data.active) select.value = String(data.id);
    select.dispatchEvent(new Event("change", { bubbles: true }));
  });

  document.addEventListener("click", function (event) {
    const add = event.target.closest("[data-add-phone]");
    if (add) {
      const rows = document.getElementById("phone-rows");
      const template = document.getElementById("phone-row-template");
      const index = Number(rows.dataset.nextIndex || 0);
      rows.dataset.nextIndex = String(index + 1);
      rows.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__i__/g, String(index)));
      rows.lastElementChild.querySelector("input").focus();
      return;
    }
    const remove = event.target.closest("[data-remove-phone]");
    if (remove) {
      remove.closest(".phone-row").remove();
      return;
    }
    const generate = event.target.closest("[data-generate-password]");
    if (generate) {
      const input = document.getElementById(generate.dataset.generatePassword);
      const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
      const bytes = new Uint32Array(14);
      crypto.getRandomValues(bytes);
      input.value = Array.from(bytes, function (b) { return alphabet[b % alphabet.length]; }).join("");
      input.type = "text";
      input.select();
    }
  });

  // Destructive actions (revoke a key, delete an entry): <form data-confirm="question"
  // data-confirm-button="label"> is sent only after the confirmation popup's button.
  const confirmEl = document.getElementById("clientela-confirm");
  let pending = null;
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (!confirmEl || !form.matches("form[data-confirm]")) return;
    if (form.dataset.confirmed === "1") {
      delete form.dataset.confirmed;
      return;
    }
    event.preventDefault();
    event.stopImmediatePropagation();
    pending = form;
    document.getElementById("clientela-confirm-text").textContent = form.dataset.confirm;
    const ok = document.getElementById("clientela-confirm-ok");
    ok.textContent = form.dataset.confirmButton || ok.dataset.defaultLabel || ok.textContent;
    bootstrap.Modal.getOrCreateInstance(confirmEl).show();
  }, true);
  if (confirmEl) {
    const ok = document.getElementById("clientela-confirm-ok");
    ok.dataset.defaultLabel = ok.textContent;
    ok.addEventListener("click", function () {
      const form = pending;
      pending = null;
      bootstrap.Modal.getOrCreateInstance(confirmEl).hide();
      if (!form) return;
      form.dataset.confirmed = "1";
      form.requestSubmit();
    });
    confirmEl.addEventListener("shown.bs.modal", function () {
      document.getElementById("clientela-confirm-ok").focus();
    });
  }

  initPopovers(document);
})();

/* Client list: select-all on the page and the bulk action's own parameter field. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-select-all]")) {
      document.querySelectorAll('input[name="ids"][form="bulk-form"]').forEach(function (box) {
        box.checked = event.target.checked;
      });
    }
    if (event.target.matches("[data-bulk-action]")) {
      const action = event.target.value;
      document.querySelectorAll("[data-bulk-param]").forEach(function (el) {
        el.hidden = !el.dataset.bulkParam.split(" ").includes(action);
      });
    }
  });
})();
