// Grafo (cytoscape.js): search entities, open one as the centre, colour nodes by community (border by
// type), hide types, click a node to see its details and add its neighbours to the view.
(function () {
  "use strict";
  const page = document.getElementById("graph-page");
  const container = document.getElementById("cy");
  if (!page || !container || typeof cytoscape === "undefined") return;
  const {el} = jg;
  const results = document.getElementById("entity-results");
  const panel = document.getElementById("entity-panel");
  const hint = document.getElementById("graph-hint");
  const TYPE_COLOURS = {MINISTRO: "#f6c177", PROCESSO: "#6cb2ff", ORGAO_JULGADOR: "#c4a7e7", TEMA: "#eb6f92",
    LEGISLACAO: "#9ccfd8", SUMULA: "#ebbcba", PRECEDENTE: "#31a37f", DECISAO: "#908caa", PARTE: "#d7827e",
    CONCEITO_JURIDICO: "#56949f", ASSUNTO: "#56949f"};
  const PALETTE = ["#e6194b", "#3cb44b", "#ffe119", "#4363d8", "#f58231", "#911eb4", "#46f0f0", "#f032e6",
    "#bcf60c", "#fabebe", "#008080", "#e6beff", "#9a6324", "#fffac8", "#800000", "#aaffc3", "#808000", "#ffd8b1"];
  const NEIGHBOURS = 40;
  const hiddenTypes = new Set();

  function communityColour(id) {
    if (!id) return "#555b66";
    let hash = 0;
    for (const ch of String(id)) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
    return PALETTE[hash % PALETTE.length];
  }

  const cy = cytoscape({
    container,
    elements: [],
    wheelSensitivity: 0.3,
    style: [
      {selector: "node", style: {
        "label": "data(label)", "font-size": 9, "color": "#e6e9ef", "text-wrap": "ellipsis", "text-max-width": 120,
        "background-color": (n) => communityColour(n.data("community")),
        "border-width": 3, "border-color": (n) => TYPE_COLOURS[n.data("type")] || "#888",
        "width": (n) => 14 + Math.min(18, Math.log2(1 + (n.data("mentions") || 0)) * 2),
        "height": (n) => 14 + Math.min(18, Math.log2(1 + (n.data("mentions") || 0)) * 2)}},
      {selector: "node.center", style: {"border-color": "#ffffff", "border-width": 4}},
      {selector: "node:selected", style: {"overlay-color": "#6cb2ff", "overlay-opacity": 0.25}},
      {selector: "node.expanded", style: {"border-style": "double"}},
      {selector: ".type-hidden", style: {"display": "none"}},
      {selector: "edge", style: {"width": 1, "line-color": "#4b5563", "target-arrow-shape": "triangle",
        "target-arrow-color": "#4b5563", "curve-style": "bezier", "label": "data(label)", "font-size": 6,
        "color": "#9aa4b2", "text-rotation": "autorotate"}},
    ],
  });
  window.jgGraph = cy;

  function entityUrl(id, suffix) {
    return "/api/v1/graph/entities/" + encodeURIComponent(id).replace(/%3A/g, ":") + (suffix || "");
  }

  function nodeData(n) {
    return {group: "nodes", data: {id: n.id, label: n.name, type: n.type, community: n.community_id, mentions: n.mention_count}};
  }

  function applyTypeFilter() {
    cy.batch(() => {
      cy.nodes().forEach((n) => { n.toggleClass("type-hidden", hiddenTypes.has(n.data("type"))); });
    });
  }

  function markReady() {
    container.dataset.ready = String(cy.nodes().length);
    container.dataset.edges = String(cy.edges().length);
    hint.classList.toggle("hidden", cy.nodes().length > 0);
  }

  // add the nodes and edges of a neighbourhood; new nodes go on a ring around ``around``
  function addNeighbourhood(data, around) {
    const fresh = data.nodes.filter((n) => cy.getElementById(n.id).empty());
    const origin = around && !around.empty() ? around.position() : {x: 0, y: 0};
    const radius = 90 + fresh.length * 4;
    const added = cy.add(fresh.map((n, i) => Object.assign(nodeData(n), {
      position: {x: origin.x + radius * Math.cos((2 * Math.PI * i) / Math.max(1, fresh.length)),
        y: origin.y + radius * Math.sin((2 * Math.PI * i) / Math.max(1, fresh.length))}})));
    cy.add(data.edges.filter((e) => cy.getElementById(e.id).empty())
      .map((e) => ({group: "edges", data: {id: e.id, source: e.source, target: e.target, label: e.type}})));
    applyTypeFilter();
    markReady();
    return added;
  }

  async function openCenter(id) {
    let data;
    try {
      data = await jg.json(entityUrl(id, `/neighbourhood?depth=1&limit=${NEIGHBOURS * 2}`));
    } catch (error) {
      jg.notify(error.message, "error");
      return;
    }
    cy.elements().remove();
    addNeighbourhood(data, null);
    cy.layout({name: "cose", animate: false, randomize: true, nodeRepulsion: () => 9000}).run();
    const center = cy.getElementById(data.center);
    center.addClass("center expanded");
    select(center);
    cy.fit(undefined, 30);
    const url = new URL(location.href);
    url.searchParams.set("entidade", id);
    history.replaceState(null, "", url);
  }

  async function expand(node) {
    if (node.hasClass("expanded")) return;
    node.addClass("expanded");
    try {
      const data = await jg.json(entityUrl(node.id(), `/neighbourhood?depth=1&limit=${NEIGHBOURS}`));
      const added = addNeighbourhood(data, node);
      container.dataset.expanded = node.id();
      if (added.length) cy.animate({fit: {eles: node.closedNeighborhood(), padding: 40}}, {duration: 250});
    } catch (error) {
      node.removeClass("expanded");
      jg.notify(error.message, "error");
    }
  }

  function button(label, onclick, attrs) {
    return el("button", Object.assign({type: "button", class: "small secondary", onclick}, attrs || {}), label);
  }

  async function showDetail(id) {
    panel.replaceChildren(el("p", {class: "muted"}, "carregando…"));
    let d;
    try {
      d = await jg.json(entityUrl(id));
    } catch (error) {
      panel.replaceChildren(el("p", {class: "error"}, error.message));
      return;
    }
    const relations = (d.relations || []).slice(0, 60).map((r) => {
      const other = r.source === d.id ? r.target : r.source;
      const otherName = r.source === d.id ? r.target_name || r.target : r.source_name || r.source;
      return el("li", {}, r.source === d.id ? "→ " : "← ", el("b", {}, r.type), " ",
        el("button", {type: "button", class: "linkish", "data-entity": other, onclick: () => openCenter(other)}, otherName),
        el("span", {class: "muted"}, ` peso ${Number(r.weight).toFixed(2)}`));
    });
    const sources = (d.sources || []).map((s) => el("li", {}, el("b", {}, s.title), " ",
      s.data_decisao ? el("span", {class: "muted"}, s.data_decisao) : null, " ",
      jg.link(s.source_url, "fonte"), el("blockquote", {}, s.excerpt)));
    panel.replaceChildren(el("article", {id: "entity-detail", "data-entity": d.id},
      el("h2", {}, d.name),
      el("p", {class: "muted"}, el("code", {}, d.id), ` · ${d.type} · ${d.mention_count} menções`,
        d.community_id ? [" · ", el("a", {href: "/comunidades?id=" + encodeURIComponent(d.community_id)}, "comunidade")] : null),
      el("div", {class: "actions"},
        button("centralizar", () => openCenter(d.id)),
        button("expandir vizinhos", () => expand(cy.getElementById(d.id)))),
      d.summary ? el("p", {class: "description summary", title: "resumo gerado por LLM"}, d.summary) : null,
      d.description ? el("p", {class: "description"}, d.description) : null,
      el("h3", {}, `Relações (${(d.relations || []).length})`), el("ul", {class: "relations"}, relations),
      sources.length ? [el("h3", {}, "Fontes"), el("ul", {class: "sources"}, sources)] : null));
  }

  function select(node) {
    if (node.empty()) return;
    cy.$(":selected").unselect();
    node.select();
    showDetail(node.id());
  }

  cy.on("tap", "node", (event) => {
    select(event.target);
    expand(event.target);
  });

  async function search(q, type) {
    const params = new URLSearchParams({limit: "30"});
    if (q) params.set("q", q);
    if (type) params.set("type", type);
    let found;
    try {
      found = await jg.json("/api/v1/graph/entities?" + params);
    } catch (error) {
      results.replaceChildren(el("li", {class: "error"}, error.message));
      return;
    }
    results.replaceChildren(...(found.length ? found.map((e) => el("li", {},
      el("button", {type: "button", "data-entity": e.id, onclick: () => openCenter(e.id)}, e.name), " ",
      el("span", {class: "muted"}, `${e.type} · ${e.mention_count}`)))
      : [el("li", {class: "muted"}, "Nenhuma entidade encontrada.")]));
  }

  const form = document.getElementById("entity-search");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    search(form.elements.q.value.trim(), form.elements.tipo.value);
  });
  for (const box of document.querySelectorAll("#type-filters input[type=checkbox]")) {
    box.addEventListener("change", () => {
      if (box.checked) hiddenTypes.delete(box.value); else hiddenTypes.add(box.value);
      applyTypeFilter();
    });
  }
  document.getElementById("graph-fit").addEventListener("click", () => cy.fit(undefined, 30));
  document.getElementById("graph-clear").addEventListener("click", () => {
    cy.elements().remove();
    panel.replaceChildren(el("p", {class: "muted"}, "Nenhuma entidade selecionada."));
    markReady();
  });

  if (page.dataset.q || page.dataset.tipo) search(page.dataset.q, page.dataset.tipo);
  if (page.dataset.center) openCenter(page.dataset.center);
  markReady();
})();
