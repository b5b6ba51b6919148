// An indicator's page: its values over time against the straight line from its baseline to
// its target, drawn with Chart.js from the JSON in the canvas's data-indicator-chart attribute
// (data, which the CSP allows; not json_script, which htmx drops from swapped fragments). The
// canvas has no id, so htmx's attribute settling never copies Chart.js's styles onto the new one
// (an inline style attribute, which the CSP refuses). Time is a linear axis in milliseconds, so points sit at their dates and the line is
// straight in time. The data table under the chart holds the same numbers. Drawn again when
// htmx swaps the measurements in (a value saved or corrected).
(function () {
  "use strict";

  var VALUES = "#1f5f4a";
  var LINE = "#a06f00";
  var lang = document.documentElement.lang || "en";
  var number = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 });
  var month = new Intl.DateTimeFormat(lang, { month: "short", year: "numeric", timeZone: "UTC" });
  var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function format(value, spec) {
    var text = number.format(value);
    if (spec.kind === "percent") return text + " %";
    return text;
  }

  function config(spec) {
    var datasets = [{
      label: spec.values.label,
      data: spec.values.points,
      borderColor: VALUES,
      backgroundColor: VALUES,
      borderWidth: 2,
      pointRadius: 4,
      pointHoverRadius: 6
    }];
    if (spec.line.points.length) {
      datasets.push({
        label: spec.line.label,
        data: spec.line.points,
        borderColor: LINE,
        backgroundColor: LINE,
        borderWidth: 2,
        borderDash: [6, 4],
        pointRadius: 3,
        pointStyle: "rectRot"
      });
    }
    return {
      type: "line",
      data: { datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: reduced ? false : { duration: 300 },
        parsing: false,
        scales: {
          x: {
            type: "linear",
            ticks: { maxTicksLimit: 8, callback: function (value) { return month.format(new Date(value)); } }
          },
          y: {
            title: { display: !!spec.unit, text: spec.unit },
            ticks: { callback: function (value) { return format(value, spec); } }
          }
        },
        plugins: {
          legend: { display: true, position: "top" },
          tooltip: {
            callbacks: {
              title: function (items) { return items.length ? items[0].raw.label : ""; },
              label: function (ctx) { return ctx.dataset.label + ": " + format(ctx.parsed.y, spec); }
            }
          }
        }
      }
    };
  }

  var chart = null;
  function canvas() {
    return document.querySelector("canvas[data-indicator-chart]");
  }
  function draw() {
    var target = canvas();
    if (chart) { chart.destroy(); chart = null; }
    if (!target || !window.Chart) return;
    var style = getComputedStyle(document.body);
    window.Chart.defaults.font.family = style.fontFamily;
    window.Chart.defaults.color = "#1d2327";
    chart = new window.Chart(target, config(JSON.parse(target.getAttribute("data-indicator-chart") || "{}")));
  }

  document.addEventListener("htmx:afterSettle", function () {
    // A new canvas (the measurements were swapped in): draw on it.
    if (canvas() !== (chart ? chart.canvas : null)) draw();
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
