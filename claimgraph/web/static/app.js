// claimgraph's own small scripts: the document page's details panel, the events map's
// click panel, the entity list's search as you type and the entity page's corrections (merge, split, undo through /api). Data comes from <script type="application/json"> blocks and data-* attributes;
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

// -- entity page: merge, split and undo through the API ----------------------------------------------
// The one place the UI writes. Requests are same-origin JSON (the API refuses anything else), so
// the session's token cookie, when the server has a token, goes with them; every answer, error
// messages included, is shown with textContent.
function setupCorrections() {
  const panel = document.getElementById("corrections");
  const notice = document.getElementById("correction-notice");
  if (!panel && !notice) return;
  const status = document.getElementById("correct-status");
  const entityId = panel ? panel.dataset.entity : "";

  // a message in the panel (or, for the notice's Undo, in the notice): errors as the API words them
  function say(text, ok, where) {
    let target = where === "notice" ? document.getElementById("notice-status") : status;
    if (!target && notice) {
      target = el("span", null, "status");
      target.id = "notice-status";
      target.setAttribute("role", "alert");
      notice.appendChild(target);
    }
    if (!target) return;
    target.textContent = text;
    target.className = "status " + (ok ? "ok" : "error");
    if (panel && target === status && !ok) panel.open = true;
  }

  async function call(method, url, body) {
    const init = { method: method, credentials: "same-origin", headers: { "Accept": "application/json" } };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let response;
    try { response = await fetch(url, init); } catch (e) { throw new Error("the server could not be reached"); }
    let data = null;
    try { data = await response.json(); } catch (e) { data = null; }
    if (!response.ok) {
      const why = data && data.error ? data.error : response.statusText;
      const err = new Error(response.status + ": " + why);
      err.status = response.status;
      throw err;
    }
    return data;
  }

  function busy(form, on) {
    form.querySelectorAll("input, button").forEach(function (n) { n.disabled = on; });
  }

  function go(id, logIndex) {
    window.location.assign("/entity/" + encodeURIComponent(id) + "?log=" + encodeURIComponent(logIndex));
  }

  // the other entity: an id as the API knows it, else exactly one entity of that name
  async function resolveOther(text) {
    const value = text.trim();
    if (!value) throw new Error("name the entity to merge into this one");
    if (/^ce-[\w-]+$/.test(value)) {  // looks like an id (names have no such prefix): ask for it
      try {
        const byId = await call("GET", "/api/entities/" + encodeURIComponent(value));
        if (byId && byId.id) return byId.id;
      } catch (e) { if (e.status !== 404) throw e; }
    }
    const found = await call("GET", "/api/entities?limit=50&q=" + encodeURIComponent(value));
    const same = (found.items || []).filter(function (e) {
      return e.id !== entityId && (e.name.toLowerCase() === value.toLowerCase() ||
        (e.aliases || []).some(function (a) { return a.toLowerCase() === value.toLowerCase(); }));
    });
    if (same.length === 1) return same[0].id;
    if (same.length > 1) {
      throw new Error(same.length + " entities are called " + value + ": pick one from the suggestions (" +
        same.map(function (e) { return e.id + ", " + e.type; }).join("; ") + ")");
    }
    throw new Error("no other entity is called " + value + "; pick one from the suggestions");
  }

  if (panel) {
    panel.querySelectorAll(".needs-js").forEach(function (n) { n.hidden = true; });
    panel.querySelectorAll("input, button").forEach(function (n) { n.disabled = false; });

    const mergeForm = document.getElementById("merge-form");
    const input = document.getElementById("merge-other");
    const list = document.getElementById("merge-suggestions");
    let timer = null;
    let asked = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      const q = input.value.trim();
      if (q.length < 2 || q === asked) return;
      timer = setTimeout(async function () {
        asked = q;
        try {
          const found = await call("GET", "/api/entities?limit=12&q=" + encodeURIComponent(q));
          list.textContent = "";
          (found.items || []).forEach(function (e) {
            if (e.id === entityId) return;
            const option = document.createElement("option");
            option.value = e.id;
            option.label = e.name + " · " + e.type + " · " + e.documents + " documents";
            option.textContent = option.label;
            list.appendChild(option);
          });
        } catch (e) { /* suggestions are a help; the merge itself reports errors */ }
      }, 200);
    });
    mergeForm.addEventListener("submit", async function (event) {
      event.preventDefault();
      busy(mergeForm, true);
      say("Merging…", true);
      try {
        const other = await resolveOther(input.value);
        const result = await call("POST", "/api/entities/merge", { into: entityId, from: other, reason: "web" });
        go(entityId, result.log_index);
      } catch (e) {
        say(e.message, false);
        busy(mergeForm, false);
      }
    });

    const splitForm = document.getElementById("split-form");
    splitForm.addEventListener("submit", async function (event) {
      event.preventDefault();
      const members = Array.from(splitForm.querySelectorAll("input[name=member]:checked"))
        .map(function (n) { return n.value; });
      if (!members.length) { say("tick the documents to split out first", false); return; }
      busy(splitForm, true);
      say("Splitting…", true);
      try {
        const result = await call("POST", "/api/entities/split", { entity_id: entityId, members: members, reason: "web" });
        go(result.new_id, result.log_index);
      } catch (e) {
        say(e.message, false);
        busy(splitForm, false);
      }
    });
  }

  if (notice) {
    const undo = notice.querySelector("button.undo");
    if (undo) {
      undo.disabled = false;
      undo.addEventListener("click", async function () {
        undo.disabled = true;
        try {
          const index = Number(undo.dataset.logIndex);
          const result = await call("POST", "/api/entities/undo", { log_index: index, reason: "web" });
          go(result.entity_id || undo.dataset.back || entityId, index);
        } catch (e) {
          say(e.message, false, "notice");
          undo.disabled = false;
        }
      });
    }
  }
}

// -- entity list: search as you type, through /api/entities ----------------------------------------
function setupEntityList() {
  const form = document.getElementById("entity-filters");
  const table = document.getElementById("entity-table");
  if (!form || !table) return;
  const body = table.querySelector("tbody");
  const total = document.getElementById("entities-total");
  const pagerBox = document.getElementById("entities-pager");
  const per = Number(table.dataset.per || "50");
  let timer = null;
  let asked = 0;

  function row(e) {
    const tr = document.createElement("tr");
    const name = document.createElement("td");
    const link = el("a", e.name);
    link.href = "/entity/" + encodeURIComponent(e.id);
    name.appendChild(link);
    tr.appendChild(name);
    const type = document.createElement("td");
    type.appendChild(el("span", e.type, "badge et-" + e.type));
    tr.appendChild(type);
    tr.appendChild(el("td", e.documents));
    tr.appendChild(el("td", e.mentions));
    tr.appendChild(el("td", (e.aliases || []).slice(0, 4).join(", "), "meta"));
    return tr;
  }

  function pagerFor(params, found) {
    const pages = Math.max(1, Math.ceil(found / per));
    const nav = el("nav", null, "pager");
    nav.setAttribute("aria-label", "Pages");
    nav.appendChild(el("span", "page 1 of " + pages + " · " + found + " entities"));
    if (pages > 1) {
      const next = el("a", "next →");
      const q = new URLSearchParams(params);
      q.set("page_no", "2");
      next.href = "/entities?" + q.toString();
      next.rel = "next";
      nav.appendChild(document.createTextNode(" "));
      nav.appendChild(next);
    }
    return nav;
  }

  async function refresh() {
    const params = new URLSearchParams(new FormData(form));
    const ask = new URLSearchParams(params);
    ["q", "type"].forEach(function (k) { if (!ask.get(k)) ask.delete(k); });
    ask.set("limit", String(per));
    const mine = ++asked;
    try {
      const r = await fetch("/api/entities?" + ask.toString(), {headers: {"Accept": "application/json"}});
      if (!r.ok || mine !== asked) return;
      const page = await r.json();
      if (mine !== asked) return;
      body.replaceChildren();
      (page.items || []).forEach(function (e) { body.appendChild(row(e)); });
      if (!(page.items || []).length) {
        const tr = document.createElement("tr");
        const td = el("td", "No entity matches these filters.", "empty");
        td.colSpan = 5;
        tr.appendChild(td);
        body.appendChild(tr);
      }
      total.textContent = "(" + page.total + ")";
      pagerBox.replaceChildren(pagerFor(params, page.total));
      history.replaceState(null, "", "/entities?" + params.toString());
    } catch (e) { /* the form still works on submit */ }
  }

  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 200);
  });
  form.addEventListener("change", function () {
    clearTimeout(timer);
    refresh();
  });
}

document.addEventListener("DOMContentLoaded", function () {
  setupEntityList();
  setupDocument();
  setupMap();
  setupCorrections();
});
