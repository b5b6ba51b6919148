// The 7 elements radar: Chart.js drawn from the page's JSON (json_script: data, not a script,
// so the CSP allows it). The table under the chart holds the same numbers.
(function () {
  "use strict";

  var COLOURS = { current: "#1f5f4a", previous: "#a06f00" };

  function draw() {
    var source = document.getElementById("maturity-data");
    var canvas = document.getElementById("maturity-radar");
    if (!source || !canvas || !window.Chart) return;
    var spec = JSON.parse(source.textContent);
    var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    var datasets = spec.datasets.map(function (d) {
      var colour = COLOURS[d.color] || "#5a6670";
      return {
        label: d.label,
        data: d.data,
        borderColor: colour,
        backgroundColor: colour + (d.dashed ? "11" : "33"),
        pointBackgroundColor: colour,
        borderWidth: 2,
        borderDash: d.dashed ? [6, 4] : [],
        spanGaps: true
      };
    });
    canvas.chart = new window.Chart(canvas, {
      type: "radar",
      data: { labels: spec.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: reduced ? false : { duration: 300 },
        scales: { r: { min: 0, max: spec.max, ticks: { stepSize: 1 } } },
        plugins: { legend: { position: "bottom" } }
      }
    });
    canvas.setAttribute("data-drawn", "true");
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
