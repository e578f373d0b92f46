/* Choropleth of arrivals by destination department. Offline: no tile layer, only the department
   polygons (static GeoJSON) coloured by the published counts from the page's JSON block. A
   hidden department ("<5" or "x") gets its own grey and its tooltip shows that mark, never
   its count. */
(function () {
  "use strict";
  const el = document.getElementById("map");
  const node = document.getElementById("chart-data");
  if (!el || !node || typeof L === "undefined") return;
  const page = JSON.parse(node.textContent);
  const data = page.map || {};
  const depts = data.departments || {};
  const text = data.legend || {};
  // Digits grouped like the tables beside the chart (separators from Django's locale formats).
  const sep = page.number || {thousand: " ", decimal: "."};
  function num(v, digits) {
    const parts = Math.abs(v).toFixed(digits || 0).split(".");
    const whole = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, sep.thousand);
    return (v < 0 ? "-" : "") + whole + (parts[1] ? sep.decimal + parts[1] : "");
  }
  const ramp = ["#deebf7", "#9ecae1", "#4292c6", "#2166ac", "#08306b"];
  const NONE = "#ffffff";
  const SMALL = "#c4c9d0";

  // Class breaks at the quintiles of the published counts: arrivals are concentrated in two or
  // three departments, so equal intervals would paint almost the whole country the same.
  const values = Object.values(depts).map(function (d) { return d.value; })
    .filter(function (v) { return v !== null && v > 0; })
    .sort(function (a, b) { return a - b; });
  const breaks = [];
  for (let i = 1; i <= ramp.length; i++) {
    const q = values[Math.ceil((i * values.length) / ramp.length) - 1];
    if (q !== undefined && !breaks.includes(q)) breaks.push(q);
  }
  const colors = ramp.slice(ramp.length - breaks.length);

  function colorOf(d) {
    if (!d || d.value === 0) return NONE;
    if (d.value === null) return SMALL;
    for (let i = 0; i < breaks.length; i++) if (d.value <= breaks[i]) return colors[i];
    return colors[colors.length - 1];
  }

  function tooltip(feature) {
    const d = depts[feature.properties.department_code] || {};
    const box = document.createElement("div");
    box.className = "map-tooltip";
    const name = document.createElement("strong");
    name.textContent = d.name || feature.properties.name;
    const count = document.createElement("span");
    count.textContent = (text.arrivals || "") + ": " + (d.display || "0");
    box.append(name, count);
    return box;
  }

  function legendRow(parent, color, label) {
    const row = L.DomUtil.create("div", "", parent);
    const swatch = L.DomUtil.create("span", "swatch", row);
    swatch.style.backgroundColor = color; // CSSOM, which the CSP allows (unlike style attributes)
    row.append(label);
  }

  const map = L.map(el, {attributionControl: false, scrollWheelZoom: false, zoomSnap: 0.25});
  const legend = L.control({position: "bottomleft"});
  legend.onAdd = function () {
    const box = L.DomUtil.create("div", "map-legend");
    const title = L.DomUtil.create("h3", "", box);
    title.textContent = text.title || "";
    breaks.forEach(function (upper, i) {
      const lower = i === 0 ? values[0] : breaks[i - 1] + 1;
      const label = lower === upper ? num(upper) : num(lower) + "–" + num(upper);
      legendRow(box, colors[i], label);
    });
    if (Object.values(depts).some(function (d) { return d.value === null; })) legendRow(box, SMALL, text.small || "");
    legendRow(box, NONE, text.none || "");
    return box;
  };

  fetch(el.dataset.geojson, {credentials: "same-origin"})
    .then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    })
    .then(function (geo) {
      const layer = L.geoJSON(geo, {
        style: function (f) {
          return {fillColor: colorOf(depts[f.properties.department_code]), fillOpacity: 0.9, color: "#4a5568", weight: 1};
        },
        onEachFeature: function (f, lyr) { lyr.bindTooltip(tooltip(f), {sticky: true}); },
      }).addTo(map);
      map.fitBounds(layer.getBounds(), {padding: [8, 8]});
      legend.addTo(map);
    })
    .catch(function () {
      el.classList.add("map-failed");
      el.textContent = text.failed || "";
    });
})();
