// 统计分析 charts. Each chart is a <div data-dashboard-chart="ID"> with its figures in a JSON block
// <script id="ID" type="application/json">: {categories, horizontal, labelWidth, stacked, percent, series: [{name, data, color}]}
// (no inline script, so the Content-Security-Policy can forbid them). With `percent` the values are percentages
// (空编率, one decimal; null: no rate). The table under each chart carries the same figures for keyboards and
// screen readers.
(function () {
  "use strict";
  function percentText(value) {
    return value === null || value === undefined ? "—" : Number(value).toFixed(1) + "%";
  }
  function draw(holder) {
    var source = document.getElementById(holder.getAttribute("data-dashboard-chart"));
    if (!source || !window.echarts) { return; }
    var spec = JSON.parse(source.textContent);
    var chart = window.echarts.init(holder, null, { renderer: "svg" });
    var format = spec.percent ? percentText : function (value) { return value; };
    var labelWidth = spec.labelWidth || (spec.horizontal ? 240 : 88);
    var categoryAxis = { type: "category", data: spec.categories, inverse: !!spec.horizontal,
                         axisLabel: { width: labelWidth, overflow: "truncate", interval: 0 } };
    var valueAxis = spec.percent ? { type: "value", min: 0, axisLabel: { formatter: "{value}%" } }
                                 : { type: "value", minInterval: 1 };
    var legend = spec.series.length > 1;
    chart.setOption({
      textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: format },
      legend: { bottom: 0, show: legend },
      grid: { left: spec.horizontal ? labelWidth + 12 : 56, right: 40, top: 24, bottom: legend ? (spec.series.length > 5 ? 88 : 64) : 32 },
      xAxis: spec.horizontal ? valueAxis : categoryAxis,
      yAxis: spec.horizontal ? categoryAxis : valueAxis,
      series: spec.series.map(function (s) {
        return { name: s.name, type: "bar", stack: spec.stacked ? "total" : undefined, data: s.data,
                 itemStyle: { color: s.color }, barMaxWidth: spec.horizontal ? 22 : 44,
                 label: { show: !spec.stacked, position: spec.horizontal ? "right" : "top",
                          formatter: function (p) { return format(p.value); } } };
      })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  function drawAll() { document.querySelectorAll("[data-dashboard-chart]").forEach(draw); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", drawAll); } else { drawAll(); }
})();
