/* Funding chart: needed / pledged / committed / disbursed per commitment (USD). Data from the
   page's JSON block (json_script); the tables below have every number. */
(function () {
  "use strict";
  const node = document.getElementById("funding-data");
  const canvas = document.getElementById("funding-chart");
  if (!node || !canvas || typeof Chart === "undefined") return;
  const data = JSON.parse(node.textContent);
  const palette = ["#6b7280", "#e07b00", "#0b5cad", "#2e8b57"];
  Chart.defaults.animation = false;
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: data.datasets.map(function (ds, i) {
        return {label: ds.label, data: ds.data, backgroundColor: palette[i % palette.length]};
      }),
    },
    options: {
      responsive: true,
      scales: {y: {beginAtZero: true, ticks: {callback: function (v) { return v.toLocaleString(); }}}},
    },
  });
})();
