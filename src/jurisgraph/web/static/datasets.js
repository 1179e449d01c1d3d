// Conjuntos de dados: start jobs (ingest, sync, download/process a resource) and show live progress
// of every active job, next to its resource when it has one; reload when the work is over.
(function () {
  "use strict";
  const status = document.getElementById("job-status");
  let watching = false;
  let seenActive = false;
  let seenBackground = false;

  function describe(job) {
    const p = job.progress || {};
    const where = job.payload && job.payload.resource ? ` ${job.payload.resource}` : "";
    const stage = p.stage ? ` · ${p.stage} ${p.done}/${p.total ?? "?"} ${p.message || ""}` : "";
    return `${job.kind}${where}: ${job.status}${stage}`;
  }

  function progressCell(job) {
    const p = job.progress || {};
    const bar = jg.el("progress", p.total ? {max: p.total, value: p.done} : {});
    return [jg.el("div", {class: "muted"}, `${job.kind} ${job.status}${p.stage ? " · " + p.stage : ""}`), bar];
  }

  async function poll() {
    let jobs;
    try {
      jobs = await jg.json("/api/v1/jobs?active=true&limit=50");
    } catch (error) {
      status.textContent = "erro: " + error.message;
      watching = false;
      return;
    }
    for (const cell of document.querySelectorAll("tr[data-resource] td.progress")) cell.replaceChildren();
    for (const job of jobs) {
      const resource = job.payload && job.payload.resource;
      const row = resource && document.querySelector(`tr[data-resource="${CSS.escape(resource)}"]`);
      if (row) row.querySelector("td.progress").replaceChildren(...progressCell(job));
    }
    // pipeline work reloads the page when it ends; background embedding is followed more slowly
    const main = jobs.filter((j) => j.kind !== "embed");
    const background = jobs.filter((j) => j.kind === "embed");
    status.textContent = jobs.map(describe).join(" | ");
    if (main.length) {
      seenActive = true;
      setTimeout(poll, 1000);
      return;
    }
    if (seenActive) {
      status.textContent = "concluído";
      setTimeout(() => location.reload(), 600);
      return;
    }
    if (background.length) {
      seenBackground = true;
      setTimeout(poll, 3000);
      return;
    }
    watching = false;
    if (seenBackground) location.reload();
  }

  function watch() {
    if (!watching) {
      watching = true;
      poll();
    }
  }

  async function start(button) {
    button.disabled = true;
    status.textContent = "iniciando…";
    try {
      const body = button.dataset.body ? JSON.parse(button.dataset.body) : {};
      const {job_id: jobId} = await jg.post(button.dataset.post, body);
      seenActive = true;
      status.textContent = "trabalho " + jobId + " " + (button.dataset.started || "na fila");
      watch();
    } catch (error) {
      status.textContent = "erro: " + error.message;
    } finally {
      button.disabled = false;
    }
  }

  // which datasets are unfolded survives the reload that follows a job
  const OPEN = "jurisgraph.datasets.open";
  const opened = new Set(JSON.parse(sessionStorage.getItem(OPEN) || "[]"));
  for (const details of document.querySelectorAll("details.dataset")) {
    if (opened.has(details.dataset.dataset)) details.open = true;
    details.addEventListener("toggle", () => {
      if (details.open) opened.add(details.dataset.dataset); else opened.delete(details.dataset.dataset);
      sessionStorage.setItem(OPEN, JSON.stringify([...opened]));
    });
  }

  for (const button of document.querySelectorAll("button[data-post]")) {
    button.addEventListener("click", () => start(button));
  }
  // work started elsewhere (another tab, the CLI) shows up too
  jg.json("/api/v1/jobs?active=true&limit=50").then((jobs) => {
    if (jobs.length) watch();
  }).catch(() => {});
})();
