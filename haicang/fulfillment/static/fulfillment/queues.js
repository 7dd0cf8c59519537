// The work queues page: live pick-up countdowns (every second, started at once) and the throughput bar charts
// (drawn when the page has loaded: Plotly, from the installed package, is loaded after this script).
(function () {
  "use strict";
  var root = document.querySelector(".queues");
  if (!root) {
    return;
  }
  var inText = root.getAttribute("data-countdown-in") || "in {t}";
  var missedText = root.getAttribute("data-countdown-missed") || "missed by {t}";

  function clock(seconds) {
    var h = Math.floor(seconds / 3600);
    var m = Math.floor((seconds % 3600) / 60);
    var s = seconds % 60;
    return h + ":" + (m < 10 ? "0" : "") + m + ":" + (s < 10 ? "0" : "") + s;
  }

  var timers = Array.prototype.slice.call(root.querySelectorAll("[data-pickup-at]"));
  function tick() {
    var now = Date.now();
    timers.forEach(function (el) {
      var at = Date.parse(el.getAttribute("data-pickup-at"));
      if (isNaN(at)) {
        return;
      }
      var left = Math.round((at - now) / 1000);
      var text = (left < 0 ? missedText : inText).replace("{t}", clock(Math.abs(left)));
      if (el.textContent !== text) {
        el.textContent = text;
      }
      var row = el.closest(".pickup");
      if (row) {
        row.classList.toggle("pickup-missed", left < 0);
        row.classList.toggle("pickup-soon", left >= 0 && left < 3600);
      }
    });
  }
  if (timers.length) {
    tick();
    window.setInterval(tick, 1000);
  }

  var colours = ["#0f6b74", "#d98e04", "#5b6bbf"];
  function draw(target) {
    var source = document.getElementById(target.getAttribute("data-throughput"));
    if (!source) {
      return;
    }
    var data = JSON.parse(source.textContent);
    var traces = data.series.map(function (series, i) {
      return {
        type: "bar",
        name: series.name,
        x: data.hours,
        y: series.values,
        marker: { color: colours[i % colours.length] },
        hovertemplate: "%{x}: %{y}<extra>" + series.name + "</extra>",
      };
    });
    var highest = Math.max.apply(null, [0].concat.apply([], data.series.map(function (s) { return s.values; })));
    var small = highest <= 6; // whole-number ticks: no 0.5 units
    var layout = {
      barmode: "group",
      margin: { l: 40, r: 10, t: 30, b: 40 },
      xaxis: { type: "category", automargin: true },
      yaxis: { title: { text: data.y_title }, rangemode: "tozero", tickformat: ",d", dtick: small ? 1 : null },
      legend: { orientation: "h", x: 0, y: 1.02, yanchor: "bottom" },
      font: { family: getComputedStyle(document.body).fontFamily },
      paper_bgcolor: "rgba(0,0,0,0)",
      plot_bgcolor: "#f9fafb",
    };
    Plotly.newPlot(target, traces, layout, { displaylogo: false, responsive: true });
  }
  window.addEventListener("load", function () {
    if (typeof Plotly === "undefined") {
      return;
    }
    Array.prototype.forEach.call(root.querySelectorAll("[data-throughput]"), draw);
  });
})();
