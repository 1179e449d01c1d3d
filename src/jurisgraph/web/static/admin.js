// Admin: users (/api/v1/users: list, create with role and an optional generated password shown once,
// disable/enable, reset the password shown once, change role) and every API key (/api/v1/keys?all=true:
// list, revoke, create for a user). Every request goes through jg.fetch.
(function () {
  "use strict";
  const {el} = jg;
  const {when, showSecret, keyRows, revoke, formBody} = window.jgKeys;
  const adminId = Number(document.getElementById("admin").dataset.adminId);
  const secret = document.getElementById("admin-secret");
  const users = document.querySelector("#users tbody");
  const keys = document.querySelector("#all-keys tbody");
  const keyUser = document.getElementById("key-user");
  const userForm = document.getElementById("user-form");
  const keyForm = document.getElementById("admin-key-form");
  const ROLES = {user: "usuário", admin: "administrador"};
  let emails = new Map();

  function failed(what) {
    return (error) => jg.notify(`${what}: ${error.message}`, "error");
  }

  async function change(user, body, done) {
    try {
      await jg.json("/api/v1/users/" + user.id, {
        method: "PATCH", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body),
      });
      jg.notify(done);
      await loadUsers();
    } catch (error) {
      failed("Não foi possível alterar " + user.email)(error);
    }
  }

  async function resetPassword(user) {
    if (!window.confirm(`Gerar uma nova senha para ${user.email}? As sessões dele terminam.`)) return;
    try {
      const reply = await jg.post(`/api/v1/users/${user.id}/reset-password`, {});
      showSecret(secret, `Nova senha de ${user.email}:`, reply.generated_password);
    } catch (error) {
      failed("Não foi possível trocar a senha")(error);
    }
  }

  function userRow(user) {
    const self = user.id === adminId;
    const role = el("select", {class: "role", "aria-label": "papel de " + user.email, disabled: self},
      ...Object.entries(ROLES).map(([value, label]) => el("option", {value, selected: value === user.role}, label)));
    role.addEventListener("change", () => change(user, {role: role.value}, `papel de ${user.email}: ${ROLES[role.value]}`));
    return el("tr", {"data-user-id": user.id, "data-email": user.email, class: user.is_active ? null : "disabled"},
      el("td", {}, user.email),
      el("td", {}, user.name || ""),
      el("td", {}, role),
      el("td", {class: "state"}, user.is_active ? "ativo" : "desativado"),
      el("td", {}, when(user.last_signed_in)),
      el("td", {}, when(user.created_at)),
      el("td", {class: "row-actions"},
        self ? el("span", {class: "muted"}, "você") : el("button", {type: "button", class: "small secondary toggle",
          onclick: () => change(user, {is_active: !user.is_active}, `${user.email} ${user.is_active ? "desativado" : "reativado"}`)},
          user.is_active ? "desativar" : "reativar"),
        el("button", {type: "button", class: "small secondary reset", onclick: () => resetPassword(user)}, "nova senha")),
    );
  }

  async function loadUsers() {
    let rows;
    try {
      rows = await jg.json("/api/v1/users?limit=1000");
    } catch (error) {
      users.replaceChildren(el("tr", {}, el("td", {colspan: 7, class: "error"}, error.message)));
      return;
    }
    emails = new Map(rows.map((u) => [u.id, u.email]));
    users.replaceChildren(...rows.map(userRow));
    const chosen = keyUser.value;
    keyUser.replaceChildren(...rows.filter((u) => u.is_active).map((u) =>
      el("option", {value: u.id, selected: String(u.id) === chosen}, u.email)));
  }

  async function loadKeys() {
    try {
      const rows = await jg.json("/api/v1/keys?all=true&limit=1000");
      keyRows(keys, rows, async (key) => {
        try {
          if (await revoke(key)) loadKeys();
        } catch (error) {
          failed("Não foi possível revogar")(error);
        }
      }, (id) => emails.get(id) || `nº ${id}`);
    } catch (error) {
      keys.replaceChildren(el("tr", {}, el("td", {colspan: 8, class: "error"}, error.message)));
    }
  }

  userForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const user = await jg.post("/api/v1/users", formBody(userForm));
      userForm.reset();
      if (user.generated_password) showSecret(secret, `Senha de ${user.email}:`, user.generated_password);
      else jg.notify(`usuário ${user.email} criado`);
      await loadUsers();
    } catch (error) {
      failed("Não foi possível criar o usuário")(error);
    }
  });

  keyForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = formBody(keyForm);
    body.user_id = Number(body.user_id);
    try {
      const key = await jg.post("/api/v1/keys", body);
      showSecret(secret, `Chave "${key.name}" de ${emails.get(key.user_id) || key.user_id}:`, key.key);
      loadKeys();
    } catch (error) {
      failed("Não foi possível criar a chave")(error);
    }
  });

  loadUsers().then(loadKeys);
})();
