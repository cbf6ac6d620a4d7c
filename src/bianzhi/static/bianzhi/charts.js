// Home page chart: approved against occupied slots per quota type. Data comes from a JSON block in the page
// (no inline script, so the Content-Security-Policy can forbid them).
(function () {
  "use strict";
  function draw() {
    var holder = document.getElementById("ledger-chart");
    var source = document.getElementById("ledger-chart-data");
    if (!holder || !source || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    var chart = window.echarts.init(holder, null, { renderer: "svg" });
    chart.setOption({
      textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
      tooltip: { trigger: "axis" },
      legend: { data: ["核定", "实有", "空编"], bottom: 0 },
      grid: { left: 48, right: 16, top: 24, bottom: 64 },
      xAxis: { type: "category", data: data.types },
      yAxis: { type: "value" },
      series: [
        { name: "核定", type: "bar", data: data.approved, itemStyle: { color: "#206bc4" },
          label: { show: true, position: "top" } },
        { name: "实有", type: "bar", data: data.occupied, itemStyle: { color: "#2fb344" } },
        { name: "空编", type: "bar", data: data.vacant, itemStyle: { color: "#f59f00" } }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
