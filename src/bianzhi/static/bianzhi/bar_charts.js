// Bar charts whose bars open the rows behind them. Each chart is a <div data-bar-chart="ID"> with its figures in a
// JSON block <script id="ID" type="application/json">: {categories, horizontal, series: [{name, data, links, color}]}
// (no inline script, so the Content-Security-Policy can forbid them). The table under each chart carries the same
// figures and links for keyboards and screen readers.
(function () {
  "use strict";
  function draw(holder) {
    var source = document.getElementById(holder.getAttribute("data-bar-chart"));
    if (!source || !window.echarts) { return; }
    var spec = JSON.parse(source.textContent);
    var chart = window.echarts.init(holder, null, { renderer: "svg" });
    var categoryAxis = { type: "category", data: spec.categories, inverse: !!spec.horizontal,
                         axisLabel: { width: 160, overflow: "truncate", interval: 0 } };
    var valueAxis = { type: "value", minInterval: 1 };
    chart.setOption({
      textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { bottom: 0 },
      grid: { left: spec.horizontal ? 170 : 48, right: 24, top: 16, bottom: 48 },
      xAxis: spec.horizontal ? valueAxis : categoryAxis,
      yAxis: spec.horizontal ? categoryAxis : valueAxis,
      series: spec.series.map(function (s) {
        return { name: s.name, type: "bar", stack: spec.horizontal ? "total" : undefined, data: s.data,
                 itemStyle: { color: s.color }, cursor: "pointer",
                 label: { show: !spec.horizontal, position: "top" } };
      })
    });
    chart.on("click", function (params) {
      var link = spec.series[params.seriesIndex].links[params.dataIndex];
      if (link) { window.location.href = link; }
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  function drawAll() { document.querySelectorAll("[data-bar-chart]").forEach(draw); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", drawAll); } else { drawAll(); }
})();
