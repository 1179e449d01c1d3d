// Neighbourhood view of the selected entity (cytoscape.js); clicking a node opens it.
(function () {
  const el = document.getElementById("cy");
  if (!el || !el.dataset.center || typeof cytoscape === "undefined") return;
  const colours = {MINISTRO: "#f6c177", PROCESSO: "#6cb2ff", ORGAO_JULGADOR: "#c4a7e7", TEMA: "#eb6f92",
    LEGISLACAO: "#9ccfd8", SUMULA: "#ebbcba", PRECEDENTE: "#31a37f", DECISAO: "#908caa", ASSUNTO: "#56949f"};
  const url = "/api/v1/graph/entities/" + encodeURIComponent(el.dataset.center).replace(/%3A/g, ":") + "/neighbourhood?depth=1&limit=80";
  fetch(url).then((r) => r.json()).then((data) => {
    const elements = [];
    for (const n of data.nodes) elements.push({data: {id: n.id, label: n.name, type: n.type}});
    for (const e of data.edges) elements.push({data: {id: e.id, source: e.source, target: e.target, label: e.type}});
    const cy = cytoscape({
      container: el, elements,
      style: [
        {selector: "node", style: {"label": "data(label)", "font-size": 9, "color": "#e6e9ef",
          "background-color": (n) => colours[n.data("type")] || "#888", "width": 14, "height": 14}},
        {selector: `node[id = "${data.center}"]`, style: {"width": 26, "height": 26, "border-width": 2, "border-color": "#fff"}},
        {selector: "edge", style: {"width": 1, "line-color": "#555", "target-arrow-shape": "triangle",
          "target-arrow-color": "#555", "curve-style": "bezier", "label": "data(label)", "font-size": 6, "color": "#9aa4b2"}},
      ],
      layout: {name: "cose", animate: false},
    });
    cy.on("tap", "node", (evt) => { location.href = "/grafo?entidade=" + encodeURIComponent(evt.target.id()); });
    el.dataset.ready = String(data.nodes.length);
  });
})();
