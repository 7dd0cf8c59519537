// The floor map of a warehouse page: one Plotly trace per location kind, from the page's JSON data.
(function () {
  "use strict";
  var target = document.getElementById("floor-map");
  var source = document.getElementById("floor-map-data");
  if (!target || !source || typeof Plotly === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var byKind = {};
  var order = [];
  data.bins.forEach(function (bin) {
    if (!byKind[bin.kind]) {
      byKind[bin.kind] = { x: [], y: [], text: [] };
      order.push(bin.kind);
    }
    byKind[bin.kind].x.push(bin.x);
    byKind[bin.kind].y.push(bin.y);
    byKind[bin.kind].text.push(bin.code);
  });
  var traces = order.map(function (kind) {
    return {
      type: "scatter",
      mode: "markers",
      name: kind,
      x: byKind[kind].x,
      y: byKind[kind].y,
      text: byKind[kind].text,
      hovertemplate: "%{text}<br>%{x} m, %{y} m<extra>" + kind + "</extra>",
      marker: { size: 7, symbol: "square" },
    };
  });
  var layout = {
    margin: { l: 50, r: 10, t: 10, b: 45 },
    xaxis: { title: { text: data.x_title }, zeroline: false, constrain: "domain" },
    yaxis: { title: { text: data.y_title }, zeroline: false, scaleanchor: "x", scaleratio: 1 },
    legend: { orientation: "h", y: -0.2 },
    font: { family: getComputedStyle(document.body).fontFamily },
    paper_bgcolor: "rgba(0,0,0,0)",
    plot_bgcolor: "#f9fafb",
  };
  Plotly.newPlot(target, traces, layout, { displaylogo: false, responsive: true });
})();
