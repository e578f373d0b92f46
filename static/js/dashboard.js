/* Dashboard charts. The numbers come from the page's JSON block (json_script): no inline script
   is allowed by the CSP. A hidden count ("<5" or "x") arrives as null and is drawn as a gap;
   the table beneath each chart has every published number. */
(function () {
  "use strict";
  const node = document.getElementById("chart-data");
  if (!node || typeof Chart === "undefined") return;
  const data = JSON.parse(node.textContent);
  const charts = data.charts || {};
  const palette = ["#0b5cad", "#e07b00", "#2e8b57", "#8e44ad", "#b3261e", "#16a085", "#6b7280", "#b8860b", "#1e3a5f"];
  // Digits grouped like the tables beside the chart (separators from Django's locale formats).
  const sep = data.number || {thousand: " ", decimal: "."};
  function num(v, digits) {
    const parts = Math.abs(v).toFixed(digits || 0).split(".");
    const whole = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, sep.thousand);
    return (v < 0 ? "-" : "") + whole + (parts[1] ? sep.decimal + parts[1] : "");
  }

  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = "#1d2430";
  Chart.defaults.animation = false; // instant, and nothing moves for people who prefer reduced motion

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    const spec = charts[canvas.dataset.chart];
    if (!spec) return;
    const single = spec.datasets.length === 1;
    const datasets = spec.datasets.map(function (ds, i) {
      const color = palette[i % palette.length];
      return {label: ds.label, data: ds.data, backgroundColor: color, borderColor: color};
    });
    const unit = spec.percent ? " %" : "";
    const valueAxis = spec.horizontal ? "x" : "y";
    const scales = {
      x: {stacked: !!spec.stacked, grid: {display: valueAxis === "x"}},
      y: {stacked: !!spec.stacked, grid: {display: valueAxis === "y"}},
    };
    scales[valueAxis].beginAtZero = true;
    scales[valueAxis].ticks = {
      precision: spec.percent ? undefined : 0,
      callback: function (v) { return num(v, Number.isInteger(v) ? 0 : 1) + unit; },
    };
    new Chart(canvas, {
      type: "bar",
      data: {labels: spec.labels, datasets: datasets},
      options: {
        indexAxis: spec.horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        scales: scales,
        plugins: {
          legend: {display: !single, position: "bottom"},
          tooltip: {
            callbacks: {
              label: function (ctx) {
                return (single ? "" : ctx.dataset.label + ": ") + num(ctx.raw, spec.percent ? 1 : 0) + unit;
              },
            },
          },
        },
      },
    });
  });
})();
