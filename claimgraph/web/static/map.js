// The /map page: Natural Earth borders (world-atlas TopoJSON for countries, admin-1 lines from
// zoom level 4; both served from /static) drawn by
// Leaflet without tiles, events at a town or district as clustered points, countries named
// only at a country's level shaded; a click lists the events and their sources in the panel.
// Article text is written with textContent only.
"use strict";

(function () {
  const ADMIN1_ZOOM = 4;

  function node(tag, text, cls) {
    const n = document.createElement(tag);
    if (text !== undefined && text !== null) n.textContent = String(text);
    if (cls) n.className = cls;
    return n;
  }

  function showEvents(title, events) {
    const list = document.getElementById("map-panel-list");
    const hint = document.getElementById("map-panel-hint");
    if (!list) return;
    list.replaceChildren();
    hint.textContent = title + " · " + events.length + " event" + (events.length === 1 ? "" : "s");
    events.slice(0, 100).forEach(function (e) {
      const li = node("li");
      li.className = "map-event";
      li.appendChild(node("span", e.type, "badge ev-" + e.type));
      li.appendChild(document.createTextNode(" " + (e.when_value || "undated") + " "));
      li.appendChild(node("strong", e.trigger));
      const who = [e.actor_text, e.recipient_text].filter(Boolean).join(" → ");
      if (who) li.appendChild(node("div", who));
      const src = node("div", null, "meta");
      const link = node("a", (e.site || "source") + (e.published ? ", " + e.published : ""));
      link.href = "/document/" + encodeURIComponent(e.doc_id) + "#event-" + encodeURIComponent(e.local_id);
      src.appendChild(link);
      if (e.source_text) src.appendChild(document.createTextNode(" · says: " + e.source_text));
      if (e.precision) src.appendChild(document.createTextNode(" · place: " + e.precision));
      li.appendChild(src);
      list.appendChild(li);
    });
  }

  async function setup() {
    const box = document.getElementById("world-map");
    if (!box || typeof L === "undefined") return;
    let data = null;
    try { data = JSON.parse(document.getElementById("world-map-data").textContent || "null"); } catch (e) { data = null; }
    if (!data) return;
    box.replaceChildren();
    const map = L.map(box, {worldCopyJump: true, minZoom: 1, maxZoom: 12, attributionControl: true});
    map.attributionControl.setPrefix("");
    map.attributionControl.addAttribution("Borders: Natural Earth");
    map.setView([25, 40], 2);
    box.dataset.ready = "0";

    const shaded = data.countries || {};
    try {
      const r = await fetch(box.dataset.borders);
      const world = await r.json();
      const countries = topojson.feature(world, world.objects.countries);
      const layer = L.geoJSON(countries, {
        style: function (f) {
          const hit = shaded[f.id];
          return {color: "#7a8794", weight: 0.7, fillColor: hit ? "#e0a458" : "#f4f1ea",
                  fillOpacity: hit ? 0.45 : 1, className: hit ? "country shaded" : "country"};
        },
        onEachFeature: function (f, l) {
          const hit = shaded[f.id];
          if (hit) {
            l.bindTooltip((f.properties && f.properties.name || hit.iso) + ": " + hit.events.length + " events at the country's level");
            l.on("click", function () { showEvents((f.properties && f.properties.name) || hit.iso, hit.events); });
          }
        },
      }).addTo(map);
      layer.bringToBack();
      box.dataset.borders_drawn = String(countries.features.length);
    } catch (e) {
      box.dataset.borders_drawn = "0";
    }

    // States and provinces: Natural Earth's admin-1 lines, fetched once the map is zoomed in far
    // enough for them to mean something (level 4 and above) and hidden again below it.
    let admin1 = null;
    let admin1Loading = false;
    async function showAdmin1() {
      if (map.getZoom() < ADMIN1_ZOOM) {
        if (admin1 && map.hasLayer(admin1)) map.removeLayer(admin1);
        return;
      }
      if (admin1) { if (!map.hasLayer(admin1)) admin1.addTo(map); return; }
      if (admin1Loading || !box.dataset.admin1) return;
      admin1Loading = true;
      try {
        const r = await fetch(box.dataset.admin1);
        const lines = await r.json();
        admin1 = L.geoJSON(lines, {interactive: false,
                                   style: {color: "#9aa5b1", weight: 0.6, dashArray: "3 3", className: "admin1"}});
        if (map.getZoom() >= ADMIN1_ZOOM) admin1.addTo(map);
        box.dataset.admin1_drawn = String(lines.features[0].geometry.coordinates.length);
      } catch (e) {
        box.dataset.admin1_drawn = "0";
      }
    }
    map.on("zoomend", showAdmin1);

    const cluster = L.markerClusterGroup ? L.markerClusterGroup({showCoverageOnHover: false, maxClusterRadius: 40})
      : L.layerGroup();
    const bounds = [];
    (data.points || []).forEach(function (p) {
      const m = L.circleMarker([p.lat, p.lon], {radius: 6 + Math.min(10, p.events.length), color: "#7a2e12",
                                                weight: 1, fillColor: "#b4401e", fillOpacity: 0.8,
                                                className: "event-point"});
      m.bindTooltip(p.place + ": " + p.events.length + " event" + (p.events.length === 1 ? "" : "s"));
      m.on("click", function () { showEvents(p.place || "here", p.events); });
      m.options.events = p.events;
      cluster.addLayer(m);
      bounds.push([p.lat, p.lon]);
    });
    if (cluster.on) {
      cluster.on("clusterclick", function (a) {
        const all = [];
        a.layer.getAllChildMarkers().forEach(function (m) { Array.prototype.push.apply(all, m.options.events || []); });
        showEvents(a.layer.getChildCount() + " places", all);
      });
    }
    cluster.addTo(map);
    if (bounds.length) map.fitBounds(bounds, {padding: [60, 60], maxZoom: 6});
    await showAdmin1();
    box.dataset.points = String((data.points || []).length);
    box.dataset.ready = "1";
  }

  document.addEventListener("DOMContentLoaded", setup);
})();
