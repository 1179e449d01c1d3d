// Documentos: upload files (drop or choose), follow each one to "embedded" by polling the API,
// re-process and delete. Every request goes through jg.fetch (CSRF header, sign-in on 401).
(function () {
  "use strict";
  const el = jg.el;
  const table = document.querySelector("#documents tbody");
  const status = document.getElementById("upload-status");
  const zone = document.getElementById("dropzone");
  const input = document.getElementById("file-input");
  const DONE = new Set(["embedded", "error"]);
  let timer = null;

  function size(bytes) {
    const n = Number(bytes || 0);
    if (n >= 1024 * 1024) return (n / 1024 / 1024).toFixed(1).replace(".", ",") + " MB";
    if (n >= 1024) return Math.round(n / 1024) + " kB";
    return n + " B";
  }

  function row(d) {
    const name = el("td", {}, el("a", {href: d.url}, d.name));
    if (d.error) name.append(el("div", {class: "error"}, d.error));
    return el("tr", {dataset: {document: String(d.id), status: d.status}},
      name,
      el("td", {class: "num"}, String(d.pages || 0)),
      el("td", {class: "num"}, size(d.size)),
      el("td", {class: "status status-" + d.status}, d.status),
      el("td", {class: "progress"}, el("progress", {max: 1, value: d.progress || 0})),
      el("td", {class: "num"}, String(d.chunk_count || 0)),
      el("td", {},
        el("button", {class: "secondary small", dataset: {reprocess: String(d.id)}}, "Reprocessar"), " ",
        el("button", {class: "secondary small", dataset: {delete: String(d.id)}}, "Excluir")));
  }

  function show(documents) {
    if (!documents.length) {
      table.replaceChildren(el("tr", {class: "empty"}, el("td", {colspan: 7}, "Nenhum documento enviado.")));
      return;
    }
    table.replaceChildren(...documents.map(row));
  }

  async function refresh() {
    let documents;
    try {
      documents = await jg.json("/api/v1/documents?limit=500");
    } catch (error) {
      status.textContent = "erro: " + error.message;
      return;
    }
    show(documents);
    const busy = documents.some((d) => !DONE.has(d.status));
    clearTimeout(timer);
    if (busy) timer = setTimeout(refresh, 1000);
    else if (status.dataset.busy) {
      status.textContent = "processamento concluído";
      delete status.dataset.busy;
    }
  }

  async function upload(files) {
    if (!files.length) return;
    const form = new FormData();
    for (const file of files) form.append("files", file, file.name);
    status.textContent = `enviando ${files.length} arquivo(s)…`;
    try {
      await jg.json("/api/v1/documents", {method: "POST", body: form});
      status.textContent = "enviado; processando…";
      status.dataset.busy = "1";
    } catch (error) {
      status.textContent = "";
      jg.notify(error.message, "error");
    }
    input.value = "";
    refresh();
  }

  async function act(button) {
    const id = button.dataset.reprocess || button.dataset.delete;
    button.disabled = true;
    try {
      if (button.dataset.reprocess) {
        await jg.json(`/api/v1/documents/${id}/reprocess`, {method: "POST"});
      } else {
        const response = await jg.fetch(`/api/v1/documents/${id}`, {method: "DELETE"});
        if (!response.ok) throw new Error((await response.json()).detail || `HTTP ${response.status}`);
        jg.notify("documento excluído");
      }
    } catch (error) {
      jg.notify(error.message, "error");
    }
    refresh();
  }

  input.addEventListener("change", () => upload([...input.files]));
  zone.addEventListener("keydown", (event) => {
    if (event.key === "Enter" || event.key === " ") { event.preventDefault(); input.click(); }
  });
  zone.addEventListener("dragover", (event) => { event.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("over");
    upload([...event.dataTransfer.files]);
  });
  table.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-reprocess], button[data-delete]");
    if (button) act(button);
  });
  refresh();
})();
