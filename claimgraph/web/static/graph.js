// The interactive graph (the /graph page and an entity's neighbourhood): Cytoscape.js draws the
// server's seeded layout (preset positions: no force layout here), zooms, pans, drags, and
// filters by entity type, tie kind, date range and source type. Labels keep clear of each other
// by size: a node's name shows once the zoom makes it 11 px or more, so the big hubs are named
// at first sight and the small ones as one zooms in. Click a node: its page; click a
// line: its evidence, with a link to the document. Text is set as data, never as HTML.
"use strict";

(function () {
  const COLOURS = {PERSON: "#2f6fbf", ORG: "#8a4fbf", GPE: "#2e8b57", LOC: "#3f9f8f", FAC: "#7a7a2a",
                   NORP: "#c0582d"};
  const EDGE = {"co-mention": "#aab3bf", relation: "#c0582d", event: "#b4401e", claim: "#6b4ea0"};

  function inRange(date, since, until) {
    if (!date) return true;
    if (since && date < since) return false;
    if (until && date.slice(0, until.length) > until) return false;
    return true;
  }

  function setup(box) {
    const holder = box.querySelector(".cy");
    const form = box.querySelector("form.graph-filters");
    const status = box.querySelector(".graph-status");
    let data = null;
    try { data = JSON.parse(box.querySelector("script.graph-data").textContent || "null"); } catch (e) { data = null; }
    if (!data || !holder || typeof cytoscape === "undefined") return;
    const fallback = box.parentElement.querySelector(".static-graph");
    if (fallback) fallback.hidden = true;
    form.hidden = false;
    holder.classList.add("live");

    const maxWeight = Math.max(1, ...data.edges.filter(function (e) { return e.kind === "co-mention"; })
      .map(function (e) { return e.weight; }));
    // the server's spring layout packs hubs into the middle: spread it radially (distance from the
    // centre to the power 0.6), which keeps every node's direction and order but opens the core
    const cx = data.nodes.reduce(function (a, n) { return a + n.x; }, 0) / Math.max(1, data.nodes.length);
    const cyy = data.nodes.reduce(function (a, n) { return a + n.y; }, 0) / Math.max(1, data.nodes.length);
    const far = Math.max(1, ...data.nodes.map(function (n) { return Math.hypot(n.x - cx, n.y - cyy); }));
    function spread(n) {
      const d = Math.hypot(n.x - cx, n.y - cyy);
      if (d === 0) return {x: n.x, y: n.y};
      const k = far * Math.pow(d / far, 0.6) / d;
      return {x: cx + (n.x - cx) * k, y: cyy + (n.y - cyy) * k};
    }
    const elements = data.nodes.map(function (n) {
      return {group: "nodes", data: {id: n.id, label: n.name, type: n.type, size: n.size, focus: n.focus ? 1 : 0},
              position: spread(n)};
    }).concat(data.edges.map(function (e) {
      return {group: "edges", data: {id: e.id, source: e.source, target: e.target, kind: e.kind, label: e.label,
                                     date: e.date, sourceType: e.source_type, text: e.text, doc: e.doc_id || "",
                                     ref: e.ref || "",
                                     width: e.kind === "co-mention" ? 1 + 5 * e.weight / maxWeight : 2}};
    }));

    const cy = cytoscape({
      container: holder, elements: elements, layout: {name: "preset", fit: true, padding: 30},
      minZoom: 0.2, maxZoom: 6, wheelSensitivity: 0.3, boxSelectionEnabled: false,
      style: [
        {selector: "node", style: {"background-color": function (n) { return COLOURS[n.data("type")] || "#777"; },
                                   width: "data(size)", height: "data(size)", label: "data(label)",
                                   "font-size": function (n) { return Math.max(9, n.data("size") / 2.2); },
                                   "min-zoomed-font-size": 11, "text-valign": "bottom", "text-margin-y": 3,
                                   "text-wrap": "ellipsis", "text-max-width": 110,
                                   "text-background-color": "#fff", "text-background-opacity": 0.8,
                                   "text-background-padding": 1, color: "#222", "border-width": 1,
                                   "border-color": "#fff"}},
        {selector: "node[focus = 1]", style: {"border-width": 3, "border-color": "#222", "min-zoomed-font-size": 0}},
        {selector: "edge", style: {width: "data(width)", "line-color": function (e) { return EDGE[e.data("kind")]; },
                                   "curve-style": "bezier", opacity: 0.75}},
        {selector: "edge[kind = 'co-mention']", style: {opacity: 0.45}},
        {selector: "edge[kind != 'co-mention']", style: {"target-arrow-shape": "triangle",
                                                          "target-arrow-color": function (e) { return EDGE[e.data("kind")]; },
                                                          "arrow-scale": 0.8}},
        {selector: "edge[kind = 'event'], edge[kind = 'relation']",
         style: {label: "data(label)", "font-size": 8, "min-zoomed-font-size": 8, "text-rotation": "autorotate",
                 color: "#7a2e12", "text-background-color": "#fff", "text-background-opacity": 0.8}},
        {selector: "edge[kind = 'claim']", style: {"line-style": "dashed"}},
        {selector: ".hidden", style: {display: "none"}},
      ],
    });

    function publish() {
      const visible = cy.nodes().filter(function (n) { return !n.hasClass("hidden"); });
      const where = {};
      visible.forEach(function (n) { const p = n.renderedPosition(); where[n.id()] = [Math.round(p.x), Math.round(p.y)]; });
      holder.dataset.visibleNodes = String(visible.length);
      holder.dataset.visibleEdges = String(cy.edges().filter(function (e) { return !e.hasClass("hidden") && e.visible(); }).length);
      holder.dataset.zoom = cy.zoom().toFixed(3);
      holder.dataset.positions = JSON.stringify(where);
    }

    function apply() {
      const fd = new FormData(form);
      const types = new Set(fd.getAll("type"));
      const kinds = new Set(fd.getAll("kind"));
      const since = String(fd.get("since") || "").trim();
      const until = String(fd.get("until") || "").trim();
      const sourceType = String(fd.get("source_type") || "");
      cy.batch(function () {
        cy.nodes().forEach(function (n) { n.toggleClass("hidden", !types.has(n.data("type"))); });
        cy.edges().forEach(function (e) {
          const typed = e.data("kind") === "event" || e.data("kind") === "claim";
          const show = kinds.has(e.data("kind")) && inRange(e.data("date"), since, until) &&
            (!sourceType || !typed || e.data("sourceType") === sourceType);
          e.toggleClass("hidden", !show);
        });
      });
      status.textContent = cy.nodes().filter(function (n) { return !n.hasClass("hidden"); }).length + " entities, " +
        cy.edges().filter(function (e) { return !e.hasClass("hidden") && e.visible(); }).length + " ties shown";
      publish();
    }

    form.addEventListener("change", apply);
    form.addEventListener("input", apply);
    form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
    form.querySelectorAll("button[data-zoom]").forEach(function (b) {
      b.addEventListener("click", function () {
        const how = b.dataset.zoom;
        if (how === "fit") { cy.fit(undefined, 30); return; }
        const level = cy.zoom() * (how === "in" ? 1.3 : 1 / 1.3);
        cy.zoom({level: level, renderedPosition: {x: holder.clientWidth / 2, y: holder.clientHeight / 2}});
      });
    });
    cy.on("zoom pan dragfree", publish);
    cy.on("tap", "node", function (evt) { window.location.href = "/entity/" + encodeURIComponent(evt.target.id()); });
    cy.on("tap", "edge", function (evt) {
      const e = evt.target;
      status.replaceChildren(document.createTextNode(e.data("kind") + ": " + e.data("text") + " "));
      if (e.data("doc")) {
        const a = document.createElement("a");
        a.textContent = "open the document";
        a.href = "/document/" + encodeURIComponent(e.data("doc")) + "#" + encodeURIComponent(e.data("ref"));
        status.appendChild(a);
      }
    });
    apply();
    holder.dataset.ready = "1";
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".graph-tool").forEach(setup);
  });
})();
