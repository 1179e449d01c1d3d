// Minha conta: change one's password (/api/v1/auth/password) and manage one's API keys
// (/api/v1/keys: create, the key shown once; list; revoke). Every request goes through jg.fetch.
(function () {
  "use strict";
  const {when, showSecret, keyRows, revoke, formBody} = window.jgKeys;
  const passwordForm = document.getElementById("password-form");
  const passwordStatus = document.getElementById("password-status");
  const keyForm = document.getElementById("key-form");
  const secret = document.getElementById("key-secret");
  const tbody = document.querySelector("#keys tbody");

  async function loadKeys() {
    try {
      const keys = await jg.json("/api/v1/keys?limit=1000");
      keyRows(tbody, keys, async (key) => { if (await revoke(key)) loadKeys(); });
    } catch (error) {
      tbody.replaceChildren(jg.el("tr", {}, jg.el("td", {colspan: 7, class: "error"}, error.message)));
    }
  }

  passwordForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = formBody(passwordForm);
    passwordStatus.className = "muted";
    if (body.new_password !== body.confirm) {
      passwordStatus.className = "error";
      passwordStatus.textContent = "As senhas novas não conferem.";
      return;
    }
    delete body.confirm;
    try {
      await jg.post("/api/v1/auth/password", body);
      passwordForm.reset();
      passwordStatus.className = "ok";
      passwordStatus.textContent = "Senha trocada. As outras sessões foram encerradas.";
    } catch (error) {
      passwordStatus.className = "error";
      passwordStatus.textContent = error.message.startsWith("wrong_password")
        ? "Senha atual incorreta." : "Não foi possível trocar a senha: " + error.message;
    }
  });

  keyForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const key = await jg.post("/api/v1/keys", formBody(keyForm));
      showSecret(secret, `Chave "${key.name}" criada${key.expires_at ? ", expira em " + when(key.expires_at) : ""}:`, key.key);
      loadKeys();
    } catch (error) {
      jg.notify("Não foi possível criar a chave: " + error.message, "error");
    }
  });

  loadKeys();
})();
