/* Cooperation map: departments coloured by the chosen layer (interventions, budget or arrivals),
   offline (static GeoJSON, no tiles). Selecting a department, on the map or in the table, fills
   the side panel with its interventions and municipalities from the page's JSON block. Arrival
   counts hidden by small-cell suppression arrive as null and are drawn grey, never as a number. */
(function () {
  "use strict";
  const el = document.getElementById("map");
  const node = document.getElementById("map-data");
  const panel = document.getElementById("dept-panel");
  if (!el || !node) return;
  const data = JSON.parse(node.textContent);
  const depts = data.departments || {};
  const text = data.legend || {};
  const layer = data.layer || "interventions";
  const sep = data.number || {thousand: ",", decimal: "."};
  function num(v) {
    return Math.round(Math.abs(v)).toString().replace(/\B(?=(\d{3})+(?!\d))/g, sep.thousand);
  }
  function valueOf(d) {
    if (!d) return 0;
    if (layer === "budget") return d.budget;
    if (layer === "arrivals") return d.arrivals === undefined ? 0 : d.arrivals;
    return d.interventions;
  }
  function displayOf(d) {
    if (!d) return "0";
    if (layer === "budget") return d.budget_display;
    if (layer === "arrivals") return d.arrivals_display || "0";
    return num(d.interventions);
  }

  function el_(tag, cls, txt) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (txt !== undefined) e.textContent = txt;
    return e;
  }

  let selected = null;
  const paths = {};
  function show(code) {
    const d = depts[code];
    if (!d || !panel) return;
    if (selected && paths[selected]) paths[selected].forEach(function (p) { p.getElement() && p.getElement().classList.remove("dept-selected"); });
    selected = code;
    if (paths[code]) paths[code].forEach(function (p) { p.getElement() && p.getElement().classList.add("dept-selected"); p.bringToFront(); });
    panel.replaceChildren();
    panel.dataset.dept = code;
    panel.append(el_("h2", "", d.name));
    panel.append(el_("p", "", (text.interventions || "") + ": " + num(d.interventions) + " · " + (text.budget || "") + ": " + d.budget_display));
    if (layer === "arrivals") panel.append(el_("p", "", (text.arrivals || "") + ": " + (d.arrivals_display || "0")));
    if (!d.items.length) {
      panel.append(el_("p", "muted", text.no_items || ""));
      return;
    }
    const list = el_("ul", "dept-interventions");
    d.items.forEach(function (it) {
      const li = el_("li");
      li.append(el_("strong", "", it.title));
      li.append(el_("div", "muted", it.code + " · " + it.implementer + " · " + it.sector + " · " + it.status + " · " + it.budget));
      if (it.funders) li.append(el_("div", "muted", (text.funders || "") + ": " + it.funders));
      li.append(el_("div", "", it.municipalities.join(", ")));
      list.append(li);
    });
    panel.append(list);
    panel.append(el_("h3", "", text.municipalities || ""));
    panel.append(el_("p", "dept-municipalities", d.municipalities.join(", ")));
  }
  document.querySelectorAll(".dept-select").forEach(function (b) {
    b.addEventListener("click", function () { show(b.dataset.dept); });
  });

  if (typeof L === "undefined") return;
  const ramp = ["#deebf7", "#9ecae1", "#4292c6", "#2166ac", "#08306b"];
  const NONE = "#ffffff";
  const SMALL = "#c4c9d0";
  // Quintile breaks: interventions and arrivals cluster in a few departments.
  const values = Object.values(depts).map(valueOf)
    .filter(function (v) { return v !== null && v > 0; })
    .sort(function (a, b) { return a - b; });
  const breaks = [];
  for (let i = 1; i <= ramp.length; i++) {
    const q = values[Math.ceil((i * values.length) / ramp.length) - 1];
    if (q !== undefined && !breaks.includes(q)) breaks.push(q);
  }
  const colors = ramp.slice(ramp.length - breaks.length);
  function colorOf(v) {
    if (v === 0 || v === undefined) return NONE;
    if (v === null) return SMALL;
    for (let i = 0; i < breaks.length; i++) if (v <= breaks[i]) return colors[i];
    return colors[colors.length - 1];
  }
  function tooltip(f) {
    const d = depts[f.properties.department_code];
    const box = el_("div", "map-tooltip");
    box.append(el_("strong", "", d ? d.name : f.properties.name));
    box.append(el_("span", "", (text[layer] || "") + ": " + displayOf(d)));
    return box;
  }
  function legendRow(parent, color, label) {
    const row = L.DomUtil.create("div", "", parent);
    const swatch = L.DomUtil.create("span", "swatch", row);
    swatch.style.backgroundColor = color; // CSSOM, allowed by the CSP (style attributes are not)
    row.append(label);
  }
  const map = L.map(el, {attributionControl: false, scrollWheelZoom: false, zoomSnap: 0.25});
  const legend = L.control({position: "bottomleft"});
  legend.onAdd = function () {
    const box = L.DomUtil.create("div", "map-legend");
    L.DomUtil.create("h3", "", box).textContent = text[layer] || "";
    breaks.forEach(function (upper, i) {
      const lower = i === 0 ? values[0] : breaks[i - 1];
      const label = lower === upper ? num(upper) : num(lower) + "–" + num(upper);
      legendRow(box, colors[i], label);
    });
    if (Object.values(depts).some(function (d) { return valueOf(d) === null; })) legendRow(box, SMALL, text.small || "");
    legendRow(box, NONE, text.none || "");
    return box;
  };
  fetch(el.dataset.geojson, {credentials: "same-origin"})
    .then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    })
    .then(function (geo) {
      const gj = L.geoJSON(geo, {
        style: function (f) {
          const code = f.properties.department_code;
          const v = valueOf(depts[code]);
          return {
            fillColor: colorOf(v), fillOpacity: 0.9, color: "#4a5568", weight: 1,
            className: "dept dept-" + code + (v !== 0 && v !== undefined ? " has-data" : ""),
          };
        },
        onEachFeature: function (f, lyr) {
          const code = f.properties.department_code;
          (paths[code] = paths[code] || []).push(lyr);
          lyr.bindTooltip(tooltip(f), {sticky: true});
          lyr.on("click", function () { show(code); });
        },
      }).addTo(map);
      map.fitBounds(gj.getBounds(), {padding: [8, 8]});
      legend.addTo(map);
      el.dataset.ready = "1";
    })
    .catch(function () {
      el.classList.add("map-failed");
      el.textContent = text.failed || "";
    });
})();
