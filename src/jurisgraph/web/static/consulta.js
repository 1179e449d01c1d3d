// Consulta: a chat over /api/v1/ask/stream (server-sent events read through jg.fetch), citations that
// open the cited passage with the quoted span highlighted, the reasoning chain, and the history of
// questions (/api/v1/queries?mine=true: only the caller's, an admin's too) that reopens an earlier answer.
(function () {
  "use strict";
  const {el} = jg;
  const form = document.getElementById("ask-form");
  const chat = document.getElementById("chat");
  const history = document.getElementById("history");
  const dialog = document.getElementById("passage");
  const CITE = /\[(\d+)\]/g;
  const FIELDS = ["mode", "orgao", "relator", "classe", "from", "to"];

  // ---- answer text → paragraphs, lists and citation buttons (text only, never HTML) ----
  function withCitations(text, known, open) {
    const parts = [];
    let last = 0;
    for (const match of text.matchAll(CITE)) {
      if (match.index > last) parts.push(text.slice(last, match.index));
      const n = Number(match[1]);
      parts.push(known.has(n)
        ? el("button", {type: "button", class: "cite-ref", "data-n": n, title: "abrir a fonte " + n, onclick: () => open(n)}, `[${n}]`)
        : el("span", {class: "cite-missing", title: "fonte inexistente"}, `[${n}]`));
      last = match.index + match[0].length;
    }
    if (last < text.length) parts.push(text.slice(last));
    return parts;
  }

  function answerBlocks(text, known, open) {
    const blocks = [];
    for (const paragraph of text.trim().split(/\n\s*\n/)) {
      let list = null;
      for (const line of paragraph.split("\n").filter((l) => l.trim())) {
        if (line.trimStart().startsWith("- ")) {
          list = list || el("ul");
          list.appendChild(el("li", {}, withCitations(line.trimStart().slice(2), known, open)));
          continue;
        }
        if (list) { blocks.push(list); list = null; }
        blocks.push(el("p", {}, withCitations(line, known, open)));
      }
      if (list) blocks.push(list);
    }
    return blocks;
  }

  // ---- the quoted span: what the answer quotes ahead of each [n] (its “…” parts, or the whole
  // line up to the mark), found in the passage (whitespace-insensitive; longest shared run else) ----
  function citingParts(answer, n) {
    const parts = [];
    let last = 0;
    for (const match of answer.matchAll(CITE)) {
      const segment = answer.slice(last, match.index);
      last = match.index + match[0].length;
      if (Number(match[1]) !== n) continue;
      const line = segment.slice(segment.lastIndexOf("\n") + 1);
      const quotes = [...line.matchAll(/“([^”]+)”|"([^"]+)"|«([^»]+)»/g)].map((q) => q[1] || q[2] || q[3]);
      for (const text of quotes.length ? quotes : [line.replace(/^\s*-\s*/, "")]) {
        for (const part of text.split(/\s*(?:…|\.\.\.|\(\.\.\.\))\s*/)) {
          if (part.trim().length >= 12) parts.push(part.trim());
        }
      }
    }
    return parts;
  }

  // text with whitespace runs collapsed, and the original index of each kept character
  function collapsed(text) {
    let out = "";
    const at = [];
    for (let i = 0; i < text.length; i++) {
      const space = /\s/.test(text[i]);
      if (space && (out.endsWith(" ") || !out)) continue;
      out += space ? " " : text[i];
      at.push(i);
    }
    return [out, at];
  }

  function longestCommon(a, b) {
    // [start in b, length] of the longest common substring (case-insensitive), O(|a|·|b|)
    const x = a.toLowerCase(), y = b.toLowerCase();
    let best = 0, end = 0;
    let prev = new Uint16Array(y.length + 1);
    for (let i = 1; i <= x.length; i++) {
      const row = new Uint16Array(y.length + 1);
      for (let j = 1; j <= y.length; j++) {
        if (x[i - 1] === y[j - 1]) {
          row[j] = prev[j - 1] + 1;
          if (row[j] > best) { best = row[j]; end = j; }
        }
      }
      prev = row;
    }
    return [end - best, best];
  }

  function quotedSpans(text, answer, n) {
    const [flat, at] = collapsed(text);
    const lower = flat.toLowerCase();
    const spans = [];
    for (const part of citingParts(answer || "", n)) {
      const [needle] = collapsed(part);
      let start = lower.indexOf(needle.toLowerCase());
      let length = needle.length;
      if (start < 0) [start, length] = longestCommon(needle.slice(0, 800), flat.slice(0, 8000));
      if (length >= Math.min(24, needle.length)) spans.push([at[start], at[start + length - 1] + 1]);
    }
    spans.sort((a, b) => a[0] - b[0]);
    const merged = [];
    for (const span of spans) {
      const top = merged[merged.length - 1];
      if (top && span[0] <= top[1]) top[1] = Math.max(top[1], span[1]);
      else merged.push(span.slice());
    }
    return merged;
  }

  function highlighted(text, spans) {
    const parts = [];
    let last = 0;
    for (const [start, end] of spans) {
      parts.push(text.slice(last, start), el("mark", {}, text.slice(start, end)));
      last = end;
    }
    parts.push(text.slice(last));
    return parts;
  }

  function sourceLine(s) {
    return [s.processo, s.orgao_julgador, s.relator && "Rel. " + s.relator, s.date,
      s.document_key, s.page ? `página ${s.page}` : null,
      s.start !== null && s.start !== undefined ? `caracteres ${s.start}–${s.end}` : null]
      .filter(Boolean).join(" · ");
  }

  async function openPassage(source, answer) {
    let text = source.text || "";
    let note = "";
    if (source.reopened && source.start !== null && source.start !== undefined && source.end > source.start) {
      try {
        const params = new URLSearchParams({document: source.document_key, start: source.start, end: source.end});
        text = (await jg.json("/api/v1/passages?" + params)).text;
      } catch (error) {
        note = "trecho guardado na auditoria (o documento não está disponível: " + error.message + ")";
      }
    }
    const spans = quotedSpans(text, answer, source.n);
    document.getElementById("passage-title").textContent = `[${source.n}] ${source.title || source.document_key}`;
    const meta = document.getElementById("passage-meta");
    meta.replaceChildren(sourceLine(source));
    const stj = jg.link(source.stj_link, "STJ");
    const community = source.kind === "comunidade" && /^\/comunidades\?id=[\w:.-]+$/.test(source.source_url || "")
      ? el("a", {href: source.source_url}, "comunidade") : null;
    const origin = community || jg.link(source.source_url, "fonte");
    const page = /^\/documentos\/\d+\?pagina=\d+$/.test(source.page_url || "")
      ? el("a", {href: source.page_url, class: "page-link"}, `abrir a página ${source.page}`) : null;
    for (const a of [stj, origin, page]) if (a) meta.append(" · ", a);
    const body = document.getElementById("passage-text");
    body.replaceChildren(...highlighted(text, spans));
    body.dataset.document = source.document_key || "";
    document.getElementById("passage-note").textContent =
      note || (spans.length ? "Em destaque: o trecho que a resposta cita." : "");
    if (!dialog.open) dialog.showModal();
    const mark = body.querySelector("mark");
    if (mark) mark.scrollIntoView({block: "center"});
  }

  // ---- one assistant message ----
  function assistantMessage() {
    const node = el("div", {class: "msg assistant"});
    const meta = el("div", {class: "meta"}, "pensando…");
    const answer = el("div", {class: "answer streaming"});
    node.append(meta, answer);
    chat.appendChild(node);
    return {node, meta, answer};
  }

  function graphTable(graph, open, known) {
    const top = graph.query && graph.query.aggregate === "top";
    const head = el("tr", {}, ["#", "registro", "data", top ? "nº" : null, "fonte"].filter(Boolean).map((h) => el("th", {}, h)));
    const rows = graph.rows.map((row, i) => el("tr", {"data-key": row.key},
      el("td", {}, i + 1), el("td", {}, row.label), el("td", {}, row.day || ""),
      top ? el("td", {}, row.count) : null,
      el("td", {}, row.citation ? withCitations(`[${row.citation}]`, known, open) : "")));
    return el("table", {class: "grid graph-table", "data-total": graph.total}, el("thead", {}, head), el("tbody", {}, rows));
  }

  function render(view, result) {
    const sources = (result.sources || []).map((s) => Object.assign({}, s, {reopened: !!result.reopened}));
    const byN = new Map(sources.map((s) => [s.n, s]));
    const open = (n) => openPassage(byN.get(n), result.answer);
    const known = new Set(byN.keys());
    const bits = [`modo ${result.mode}`];
    if (result.requested_mode && result.requested_mode !== result.mode) bits.push("escolhido automaticamente");
    if (result.duration_ms !== undefined) bits.push(`${result.duration_ms} ms`);
    if (result.id) bits.push(`consulta nº ${result.id}`);
    if (result.llm_calls) bits.push(`${result.llm_calls} chamada(s) de LLM`);
    if (result.created_at) bits.push(new Date(result.created_at + (result.created_at.endsWith("Z") ? "" : "Z")).toLocaleString("pt-BR"));
    view.meta.textContent = bits.join(" · ");
    view.node.dataset.queryId = result.id || "";
    view.answer.className = "answer";
    view.answer.replaceChildren(...answerBlocks(result.answer || "", known, open));
    const extra = [];
    if (result.note) extra.push(el("p", {}, el("span", {class: "note " + (result.answer_kind || "")}, result.note)));
    if (result.graph) extra.push(graphTable(result.graph, open, known));
    if (result.grounding) {
      const g = result.grounding;
      extra.push(el("p", {class: "grounding " + (g.ok ? "ok" : "bad")}, g.ok
        ? "Verificação: todas as afirmações citam fontes existentes."
        : `Verificação: ${g.uncited_sentences.length} frase(s) sem citação` +
          (g.unknown.length ? `; citações inexistentes: ${g.unknown.join(", ")}` : "") + "."));
    }
    if (result.entities && result.entities.length) {
      extra.push(el("p", {class: "entities"}, "Entidades: ", result.entities.map((e) =>
        [el("a", {class: "chip", href: "/grafo?entidade=" + encodeURIComponent(e.key)}, e.name), " "])));
    }
    if (sources.length) {
      extra.push(el("details", {class: "sources-box", open: true}, el("summary", {}, `Fontes (${sources.length})`),
        el("ol", {class: "sources"}, sources.map((s) => el("li", {value: s.n, "data-document": s.document_key},
          el("button", {type: "button", class: "cite-ref", "data-n": s.n, onclick: () => open(s.n)}, `[${s.n}]`), " ",
          el("b", {}, s.title || s.document_key), " ", el("span", {class: "muted"}, sourceLine(s)))))));
    }
    if (result.reasoning_chain) {
      extra.push(el("details", {class: "reasoning"}, el("summary", {}, "Cadeia de raciocínio (auditoria)"),
        el("pre", {class: "report"}, JSON.stringify(result.reasoning_chain, null, 2))));
    }
    view.node.append(...extra);
    view.node.scrollIntoView({block: "start"});
  }

  // ---- server-sent events over fetch ----
  async function* events(response) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const {value, done} = await reader.read();
      if (value) buffer += decoder.decode(value, {stream: true});
      let cut;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        let name = "message";
        const data = [];
        for (const line of block.split("\n")) {
          if (line.startsWith("event:")) name = line.slice(6).trim();
          else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
        }
        if (data.length) yield [name, JSON.parse(data.join("\n"))];
      }
      if (done) return;
    }
  }

  async function ask(question, params) {
    chat.appendChild(el("div", {class: "msg user"}, question));
    const view = assistantMessage();
    view.node.scrollIntoView({block: "end"});
    const query = new URLSearchParams({q: question});
    for (const [key, value] of Object.entries(params)) if (value) query.set(key, value);
    let text = "";
    try {
      const response = await jg.fetch("/api/v1/ask/stream?" + query, {headers: {Accept: "text/event-stream"}});
      if (!response.ok) {
        const body = await response.json().catch(() => ({}));
        const error = body.error;
        throw new Error((error && error.message) || (Array.isArray(body.detail) ? body.detail.map((d) => d.msg).join("; ") : body.detail) || `HTTP ${response.status}`);
      }
      for await (const [name, data] of events(response)) {
        if (name === "meta") view.meta.textContent = `modo ${data.mode} · respondendo…`;
        else if (name === "delta") { text += data.text; view.answer.textContent = text; }
        else if (name === "fallback") { text = ""; view.answer.textContent = ""; }
        else if (name === "done") { render(view, data); loadHistory(data.id); return; }
        else if (name === "error") throw new Error(data.message);
      }
      throw new Error("a resposta terminou antes do fim");
    } catch (error) {
      view.meta.textContent = "erro";
      view.answer.className = "answer";
      view.answer.replaceChildren(el("p", {class: "error"}, error.message));
    }
  }

  // ---- history ----
  async function loadHistory(current) {
    let rows;
    try {
      rows = await jg.json("/api/v1/queries?mine=true&limit=40");
    } catch (error) {
      history.replaceChildren(el("li", {class: "error"}, error.message));
      return;
    }
    if (!rows.length) {
      history.replaceChildren(el("li", {class: "muted"}, "Nenhuma pergunta ainda."));
      return;
    }
    history.replaceChildren(...rows.map((row) => el("li", {},
      el("button", {type: "button", class: row.id === current ? "current" : null, "data-query-id": row.id,
        onclick: () => reopen(row.id)},
        row.query.length > 90 ? row.query.slice(0, 88) + "…" : row.query,
        el("span", {class: "when"}, `${row.query_type} · nº ${row.id}`)))));
  }

  async function reopen(id) {
    let row;
    try {
      row = await jg.json("/api/v1/queries/" + id);
    } catch (error) {
      jg.notify(error.message, "error");
      return;
    }
    chat.appendChild(el("div", {class: "msg user"}, row.query));
    const view = assistantMessage();
    render(view, {
      id: row.id, mode: row.query_type, answer: row.response, answer_kind: row.answer_kind,
      duration_ms: row.duration_ms, created_at: row.created_at, sources: row.sources_used || [],
      entities: row.query_entities || [], reasoning_chain: row.reasoning_chain, reopened: true,
    });
    for (const button of history.querySelectorAll("button")) {
      button.classList.toggle("current", Number(button.dataset.queryId) === id);
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const question = String(data.get("q") || "").trim();
    if (!question) return;
    const params = Object.fromEntries(FIELDS.map((f) => [f, String(data.get(f) || "").trim()]));
    const button = document.getElementById("ask-button");
    button.disabled = true;
    form.elements.q.value = "";
    try {
      await ask(question, params);
    } finally {
      button.disabled = false;
      form.elements.q.focus();
    }
  });
  form.elements.q.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) form.requestSubmit();
  });
  loadHistory(null);
})();
