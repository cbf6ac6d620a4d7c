// 统计分析 charts. Each chart is a <div data-dashboard-chart="ID"> with its figures in a JSON block
// <script id="ID" type="application/json">: {categories, horizontal, stacked, series: [{name, data, color, line, percent}]}
// (no inline script, so the Content-Security-Policy can forbid them). A series with `line` is drawn as a line on a
// second axis in percent (空编率). The table under each chart carries the same figures for keyboards and screen readers.
(function () {
  "use strict";
  function percentText(value) {
    return value === null || value === undefined ? "—" : value.toFixed(1) + "%";
  }
  function draw(holder) {
    var source = document.getElementById(holder.getAttribute("data-dashboard-chart"));
    if (!source || !window.echarts) { return; }
    var spec = JSON.parse(source.textContent);
    var withRate = spec.series.some(function (s) { return s.line; });
    var chart = window.echarts.init(holder, null, { renderer: "svg" });
    var categoryAxis = { type: "category", data: spec.categories, inverse: !!spec.horizontal,
                         axisLabel: { width: spec.horizontal ? 200 : 96, overflow: "truncate", interval: 0 } };
    var valueAxes = [{ type: "value", minInterval: 1 }];
    if (withRate) {
      valueAxes.push({ type: "value", min: 0, max: 100, splitLine: { show: false },
                       axisLabel: { formatter: "{value}%" } });
    }
    chart.setOption({
      textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { bottom: 0, show: spec.series.length > 1 },
      grid: { left: spec.horizontal ? 210 : 48, right: withRate ? 56 : 24, top: 24,
              bottom: spec.series.length > 1 ? 56 : 24, containLabel: !spec.horizontal },
      xAxis: spec.horizontal ? valueAxes[0] : categoryAxis,
      yAxis: spec.horizontal ? categoryAxis : valueAxes,
      series: spec.series.map(function (s) {
        if (s.line) {
          return { name: s.name, type: "line", yAxisIndex: 1, data: s.data, itemStyle: { color: s.color },
                   symbolSize: 8, label: { show: true, position: "top", formatter: function (p) { return percentText(p.value); } },
                   tooltip: { valueFormatter: percentText } };
        }
        return { name: s.name, type: "bar", stack: spec.stacked ? "total" : undefined, data: s.data,
                 itemStyle: { color: s.color }, barMaxWidth: 48,
                 label: { show: !spec.stacked && !withRate, position: spec.horizontal ? "right" : "top" } };
      })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  function drawAll() { document.querySelectorAll("[data-dashboard-chart]").forEach(draw); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", drawAll); } else { drawAll(); }
})();
