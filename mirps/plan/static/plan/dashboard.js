// Bar charts of the implementation share tables (data from the json_script "plan-chart-data").
(function () {
  "use strict";
  var el = document.getElementById("plan-chart-data");
  if (!el || typeof Chart === "undefined") return;
  var data = JSON.parse(el.textContent);
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var d = data[canvas.getAttribute("data-chart")];
    if (!d) return;
    new Chart(canvas, {
      type: "bar",
      data: { labels: d.labels, datasets: [{ label: d.label, data: d.values, backgroundColor: "#1f6fb2" }] },
      options: {
        indexAxis: "y", responsive: true, maintainAspectRatio: false, animation: false,
        scales: { x: { min: 0, max: 100 } },
        plugins: { legend: { display: false } }
      }
    });
  });
})();
