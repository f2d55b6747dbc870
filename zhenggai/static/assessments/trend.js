// 考核走势: draws each group's totals by month (a line per unit) or one unit's total and rank
// by month from the page's JSON; the table below each chart gives the same figures.
(function () {
  "use strict";
  var dataNode = document.getElementById("trend-data");
  if (!dataNode || !window.echarts) return;
  var data = JSON.parse(dataNode.textContent);
  var font = getComputedStyle(document.documentElement).fontFamily;
  var charts = [];

  function small(el) { return el.clientWidth < 520; }

  function groupOption(el, g) {
    var narrow = small(el);
    return {
      textStyle: { fontFamily: font },
      animation: false,
      tooltip: { trigger: "axis", confine: true },
      legend: { type: "scroll", top: 0, itemWidth: 14, itemHeight: 10 },
      grid: { left: 8, right: 16, top: 56, bottom: 8, containLabel: true },
      xAxis: {
        type: "category",
        data: g.months,
        axisLabel: { fontSize: narrow ? 10 : 12, rotate: narrow && g.months.length > 4 ? 40 : 0 }
      },
      yAxis: { type: "value", name: "总分", scale: true },
      series: g.series.map(function (s) {
        return { name: s.name, type: "line", data: s.data, connectNulls: false, symbolSize: 6 };
      })
    };
  }

  function unitOption(el, u) {
    var narrow = small(el);
    return {
      textStyle: { fontFamily: font },
      animation: false,
      tooltip: { trigger: "axis", confine: true },
      legend: { top: 0, data: ["总分", "名次"] },
      grid: { left: 8, right: 8, top: 56, bottom: 8, containLabel: true },
      xAxis: {
        type: "category",
        data: u.months,
        axisLabel: { fontSize: narrow ? 10 : 12, rotate: narrow && u.months.length > 3 ? 40 : 0 }
      },
      yAxis: [
        { type: "value", name: "总分", min: 0 },
        { type: "value", name: "名次", inverse: true, minInterval: 1, min: 1, max: Math.max.apply(null, u.sizes) }
      ],
      series: [
        { name: "总分", type: "line", data: u.totals, symbolSize: 7, itemStyle: { color: "#1d4f91" } },
        {
          name: "名次", type: "line", yAxisIndex: 1, data: u.ranks, symbolSize: 7,
          lineStyle: { type: "dashed" }, itemStyle: { color: "#c62828" }
        }
      ]
    };
  }

  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var chart = echarts.init(el, null, { renderer: "canvas" });
    var option = el.dataset.chart === "unit"
      ? unitOption(el, data.unit)
      : groupOption(el, data.groups[Number(el.dataset.index)]);
    chart.setOption(option);
    charts.push({ chart: chart, el: el });
  });

  window.addEventListener("resize", function () {
    charts.forEach(function (c) { c.chart.resize(); });
  });
})();
