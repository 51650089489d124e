// Charts of the quarterly report, drawn with Chart.js from the numbers the page embeds with
// `json_script` (id "report-charts"). Every chart has a table of the same numbers beside it,
// so nothing is lost without JavaScript, to screen readers or on paper.
(function () {
  "use strict";

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  const source = document.getElementById("report-charts");
  if (!source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  // Colour-blind-safe (Okabe–Ito) colours.
  const palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"];
  const charts = [];

  Chart.defaults.animation = false; // print what is drawn, not a frame of an animation
  Chart.defaults.devicePixelRatio = Math.max(window.devicePixelRatio || 1, 2); // sharp on paper
  Chart.defaults.maintainAspectRatio = false;

  function draw(id, config) {
    const canvas = document.getElementById(id);
    if (canvas) charts.push(new Chart(canvas, config));
  }

  const whole = { ticks: { precision: 0 }, beginAtZero: true };

  draw("chart-monthly", {
    type: "bar",
    data: {
      labels: data.monthly.labels,
      datasets: data.monthly.datasets.map(function (set, index) {
        return { label: set.label, data: set.data, backgroundColor: palette[index % palette.length] };
      }),
    },
    options: {
      scales: { x: { stacked: true }, y: Object.assign({ stacked: true }, whole) },
      plugins: { legend: { position: "bottom" } },
    },
  });

  draw("chart-direction", {
    type: "doughnut",
    data: {
      labels: data.direction.labels,
      datasets: [{ data: data.direction.data, backgroundColor: palette }],
    },
    options: { plugins: { legend: { position: "bottom" } } },
  });

  draw("chart-pipeline", {
    type: "bar",
    data: {
      labels: data.pipeline.labels,
      datasets: [{ label: "Projects", data: data.pipeline.data, backgroundColor: palette[2] }],
    },
    options: { indexAxis: "y", scales: { x: whole }, plugins: { legend: { display: false } } },
  });

  // The page is narrower on paper: redraw at the printed size, then back.
  function resizeAll() { charts.forEach(function (chart) { chart.resize(); }); }
  window.addEventListener("beforeprint", resizeAll);
  window.addEventListener("afterprint", resizeAll);
  if (window.matchMedia) {
    window.matchMedia("print").addEventListener("change", resizeAll);
  }
})();
