// Shared by Minha conta and Admin (window.jgKeys): dates for people, a secret shown once with a copy
// button (a new API key or a generated password), a table of API keys with a revoke button, and the
// values of a form as a JSON body.
(function () {
  "use strict";
  const {el} = jg;

  function when(iso) {
    if (!iso) return "—";
    const date = new Date(iso.endsWith("Z") || /[+-]\d\d:\d\d$/.test(iso) ? iso : iso + "Z");
    return Number.isNaN(date.getTime()) ? iso : date.toLocaleString("pt-BR", {dateStyle: "short", timeStyle: "short"});
  }

  async function copy(text, button) {
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = "copiado";
    } catch (_) {
      // no clipboard permission: select the text so it can be copied by hand
      const code = button.parentElement.querySelector("code");
      const range = document.createRange();
      range.selectNodeContents(code);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      button.textContent = "selecionado: Ctrl+C";
    }
  }

  // Show `value` once in `box` (a .secret element) under `label`, with a copy button.
  function showSecret(box, label, value, note) {
    const button = el("button", {type: "button", class: "small secondary copy", onclick: () => copy(value, button)}, "copiar");
    box.replaceChildren(
      el("p", {}, el("b", {}, label)),
      el("div", {class: "secret-value"}, el("code", {class: "secret-text"}, value), button),
      el("p", {class: "muted"}, note || "Guarde agora: não será mostrado de novo."),
    );
    box.classList.remove("hidden");
  }

  // Rows of API keys; `owner` (optional) names the user of a key for the admin's table.
  function keyRows(tbody, keys, onRevoke, owner) {
    const columns = owner ? 8 : 7;
    if (!keys.length) {
      tbody.replaceChildren(el("tr", {}, el("td", {colspan: columns, class: "muted"}, "Nenhuma chave.")));
      return;
    }
    tbody.replaceChildren(...keys.map((key) => el("tr", {"data-key-id": key.id, class: key.revoked_at ? "revoked" : null},
      owner ? el("td", {}, owner(key.user_id)) : null,
      el("td", {}, key.name),
      el("td", {}, el("code", {}, key.prefix + "…")),
      el("td", {}, when(key.created_at)),
      el("td", {}, when(key.last_used_at)),
      el("td", {}, when(key.expires_at)),
      el("td", {class: "revoked-at"}, key.revoked_at ? when(key.revoked_at) : "não"),
      el("td", {}, key.revoked_at ? null : el("button", {type: "button", class: "small secondary revoke",
        onclick: () => onRevoke(key)}, "revogar")),
    )));
  }

  async function revoke(key) {
    if (!window.confirm(`Revogar a chave "${key.name}" (${key.prefix}…)?`)) return false;
    await jg.json("/api/v1/keys/" + encodeURIComponent(key.id), {method: "DELETE"});
    jg.notify("chave revogada");
    return true;
  }

  // The non-empty fields of `form` as an object (numbers for type=number inputs).
  function formBody(form) {
    const body = {};
    for (const field of form.elements) {
      if (!field.name || field.type === "submit" || field.value === "") continue;
      body[field.name] = field.type === "number" || field.dataset.number !== undefined ? Number(field.value) : field.value;
    }
    return body;
  }

  window.jgKeys = {when, showSecret, keyRows, revoke, formBody};
})();
