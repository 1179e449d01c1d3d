"use strict";
async function startIngest(body) {
  const status = document.getElementById("job-status");
  status.textContent = "iniciando…";
  const response = await fetch("/api/v1/ingest", {method: "POST", headers: {"content-type": "application/json"}, body: JSON.stringify(body)});
  if (!response.ok) { status.textContent = "erro: " + (await response.text()); return; }
  const {job_id} = await response.json();
  const poll = async () => {
    const job = await (await fetch("/api/v1/jobs/" + job_id)).json();
    const p = job.progress || {};
    status.textContent = job.status + (p.stage ? ` · ${p.stage} ${p.done}/${p.total ?? "?"} ${p.message || ""}` : "");
    if (job.status === "done" || job.status === "failed") {
      if (job.status === "failed") status.textContent = "falhou: " + job.error;
      else setTimeout(() => location.reload(), 800);
      return;
    }
    setTimeout(poll, 1000);
  };
  poll();
}

// no inline handlers (Content-Security-Policy: script-src 'self'): each button names its request body
for (const button of document.querySelectorAll("button[data-ingest]")) {
  button.addEventListener("click", () => startIngest(JSON.parse(button.dataset.ingest)));
}
