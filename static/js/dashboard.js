// Dashboards: Chart.js charts drawn from the page's JSON (Django's json_script, which the CSP
// allows: it is data, not a script). The server sends small specifications with translated
// labels and named colours; this file maps the names onto the palette and builds the charts.
// Every chart has a data table next to it, so nothing here is the only way to read a number.
(function () {
  "use strict";

  var PALETTE = {
    "status-reached": "#1e6b3a",
    "status-on_track": "#1d4ea8",
    "status-late": "#b3261e",
    "status-no_target": "#8a969e",
    "status-no_data": "#c9d1d6",
    "action-idea": "#b8c2c8",
    "action-planned": "#1d4ea8",
    "action-in_progress": "#c08b00",
    "action-done": "#1e6b3a",
    "action-dropped": "#e3d9d9",
    "schedule-done": "#1e6b3a",
    "schedule-on_schedule": "#1d4ea8",
    "schedule-late": "#b3261e",
    "schedule-dropped": "#b8c2c8",
    "planned": "#9cc3b2",
    "spent": "#1f5f4a",
    "series-1": "#1f5f4a",
    "target": "#a06f00"
  };
  var ROW_HEIGHT = 40; // px per bar of a horizontal chart (two-line labels)

  var lang = document.documentElement.lang || "en";
  var number = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });
  var money = new Intl.NumberFormat(lang, { style: "currency", currency: "EUR", maximumFractionDigits: 0 });
  var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function format(value, unit) {
    if (value === null || value === undefined) return "—";
    if (unit === "percent") return number.format(value) + " %";
    if (unit === "money") return money.format(value);
    return number.format(value);
  }

  function colour(name) {
    return PALETTE[name] || "#5a6670";
  }

  function config(spec) {
    var horizontal = !!spec.horizontal;
    var datasets = spec.datasets.map(function (d) {
      var fill = Array.isArray(d.color) ? d.color.map(colour) : colour(d.color);
      var set = { label: d.label, data: d.data, backgroundColor: fill, borderColor: fill, notes: d.notes || null };
      if (spec.kind === "line") {
        set.borderWidth = 2;
        set.pointRadius = d.dashed ? 0 : 3;
        set.spanGaps = true;
        if (d.dashed) set.borderDash = [6, 4];
      } else if (spec.kind === "doughnut") {
        set.borderColor = "#fff";
        set.borderWidth = 2;
      } else {
        set.maxBarThickness = 28;
      }
      return set;
    });
    var valueAxis = {
      beginAtZero: true,
      stacked: !!spec.stacked,
      title: { display: !!spec.axis, text: spec.axis },
      ticks: { callback: function (value) { return format(value, spec.unit); } }
    };
    if (spec.unit === "percent") valueAxis.suggestedMax = 100;
    if (spec.unit === "count") valueAxis.ticks.precision = 0;
    var categoryAxis = { stacked: !!spec.stacked, ticks: { autoSkip: spec.kind === "line" } };
    var options = {
      responsive: true,
      maintainAspectRatio: false,
      animation: reduced ? false : { duration: 300 },
      indexAxis: horizontal ? "y" : "x",
      plugins: {
        legend: {
          display: spec.kind === "doughnut" || spec.datasets.length > 1,
          position: spec.kind === "doughnut" ? "right" : "top"
        },
        tooltip: {
          callbacks: {
            label: function (ctx) {
              if (spec.kind === "doughnut") return ctx.label;
              var value = horizontal ? ctx.parsed.x : ctx.parsed.y;
              var text = ctx.dataset.label + ": " + format(value, spec.unit);
              var notes = ctx.dataset.notes;
              return notes ? text + " · " + notes[ctx.dataIndex] : text;
            }
          }
        }
      }
    };
    if (spec.kind !== "doughnut") {
      options.scales = horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis };
    }
    return { type: spec.kind, data: { labels: spec.labels, datasets: datasets }, options: options };
  }

  // A horizontal chart grows with its rows (CSSOM, which the CSP allows; no style attribute).
  function size(canvas, spec) {
    var box = canvas.parentElement;
    if (spec.horizontal && box) {
      box.style.height = Math.max(160, spec.labels.length * ROW_HEIGHT + 80) + "px";
    }
  }

  function draw(canvas, spec) {
    size(canvas, spec);
    return new window.Chart(canvas, config(spec));
  }

  function init() {
    var holder = document.getElementById("dashboard-data");
    if (!holder || !window.Chart) return;
    var charts = JSON.parse(holder.textContent || "{}");
    var style = getComputedStyle(document.body);
    window.Chart.defaults.font.family = style.fontFamily;
    window.Chart.defaults.color = "#1d2327";
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var spec = charts[canvas.getAttribute("data-chart")];
      if (spec && spec.labels.length) draw(canvas, spec);
    });
    // Trends: one chart, the indicator chosen in the list.
    var select = document.getElementById("trend-select");
    var canvas = document.getElementById("trend-chart");
    var trends = charts.trends || {};
    if (!select || !canvas) return;
    var current = null;
    function show() {
      var spec = trends[select.value];
      if (current) current.destroy();
      current = spec ? draw(canvas, spec) : null;
    }
    select.addEventListener("change", show);
    show();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
