// claimgraph's own small scripts: the document page's details panel and the events map's
// click panel. Data comes from <script type="application/json"> blocks and data-* attributes;
// everything is written with textContent, never as HTML, since it quotes article text.
"use strict";

function readJSON(id) {
  const node = document.getElementById(id);
  if (!node) return null;
  try { return JSON.parse(node.textContent || "null"); } catch (e) { return null; }
}

function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (cls) node.className = cls;
  return node;
}

function addPair(list, term, value) {
  if (value === undefined || value === null || value === "") return;
  list.appendChild(el("dt", term));
  list.appendChild(el("dd", value));
}

// -- document page: what the focused or hovered span is -----------------------------------------
function setupDocument() {
  const text = document.getElementById("doc-text");
  const body = document.getElementById("details-body");
  const panel = document.getElementById("details");
  if (!text || !body || !panel) return;
  const data = readJSON("doc-data") || {};
  let current = null;

  function show(target) {
    const spans = [];
    for (let node = target; node && node !== text; node = node.parentElement) {
      if (node.dataset && (node.dataset.claim || node.dataset.event || node.dataset.type)) spans.push(node);
    }
    if (!spans.length) return;
    const key = spans.map(function (n) { return n.dataset.claim || n.dataset.event || n.dataset.name || ""; }).join("|");
    if (key === current) return;
    current = key;
    body.textContent = "";
    const seen = new Set();
    spans.forEach(function (node) {
      if (node.dataset.event && !seen.has(node.dataset.event)) {
        seen.add(node.dataset.event);
        const ev = data[node.dataset.event] || {};
        body.appendChild(el("dt", "Event", "head"));
        body.appendChild(el("dd", ev.type || node.dataset.type));
        addPair(body, "Date", ev.date || "undated");
        addPair(body, "Trigger", ev.trigger);
        addPair(body, "Actor", ev.actor);
        addPair(body, "Recipient", ev.recipient);
        addPair(body, "Where", ev.where);
        addPair(body, "Modality", ev.modality);
      } else if (node.dataset.claim && !seen.has(node.dataset.claim)) {
        seen.add(node.dataset.claim);
        const c = data[node.dataset.claim] || {};
        body.appendChild(el("dt", "Claim", "head"));
        body.appendChild(el("dd", c.claim_kind || "claim"));
        addPair(body, "Source", c.source);
        addPair(body, "Source type", c.source_type);
        addPair(body, "Cue", c.cue);
        addPair(body, "Says", c.content);
      } else if (!node.dataset.claim && !node.dataset.event && node.dataset.name && !seen.has("e:" + node.dataset.name)) {
        seen.add("e:" + node.dataset.name);
        body.appendChild(el("dt", "Entity", "head"));
        body.appendChild(el("dd", node.dataset.name));
        addPair(body, "Type", node.dataset.type);
      }
    });
    panel.classList.add("active");
    panel.dataset.showing = spans[0].dataset.claim ? "claim" : (spans[0].dataset.event ? "event" : "entity");
  }

  text.addEventListener("mouseover", function (e) { show(e.target); });
  text.addEventListener("focusin", function (e) { show(e.target); });
}

// -- events map: the events at a clicked point ------------------------------------------------------
function setupMap() {
  const map = document.getElementById("event-map");
  const body = document.getElementById("map-panel-body");
  const panel = document.getElementById("map-panel");
  if (!map || !body || !panel) return;
  const points = readJSON("map-data") || [];

  function show(n) {
    const p = points[n];
    if (!p) return;
    body.textContent = "";
    body.appendChild(el("h3", p.place || "(unnamed place)"));
    const list = el("ol", null, "map-events");
    p.events.slice(0, 30).forEach(function (e) {
      const item = el("li");
      const head = el("p");
      head.appendChild(el("span", e.type, "badge ev-" + e.type));
      head.appendChild(document.createTextNode(" " + (e.when_value || "undated") + " · " +
        [e.actor_text, e.recipient_text].filter(Boolean).join(" → ")));
      item.appendChild(head);
      item.appendChild(el("blockquote", e.evidence || e.trigger));
      const link = el("a", (e.site || "source") + (e.published ? ", " + e.published : ""));
      link.href = "/document/" + encodeURIComponent(e.doc_id) + "#event-" + encodeURIComponent(e.local_id);
      item.appendChild(link);
      list.appendChild(item);
    });
    body.appendChild(list);
    if (p.events.length > 30) body.appendChild(el("p", (p.events.length - 30) + " more below the map.", "meta"));
    panel.classList.add("active");
    map.querySelectorAll(".point.selected").forEach(function (a) { a.classList.remove("selected"); });
  }

  map.addEventListener("click", function (e) {
    const point = e.target.closest ? e.target.closest("[data-point]") : null;
    if (!point) return;
    e.preventDefault();
    show(Number(point.dataset.point));
    point.classList.add("selected");
  });
}

document.addEventListener("DOMContentLoaded", function () {
  setupDocument();
  setupMap();
});
