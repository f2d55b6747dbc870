// 督办看板: draws the charts from the page's JSON; a click on a bar or point opens the ledger
// rows behind it (every datum carries its ledger URL, computed on the server).
(function () {
  "use strict";
  var dataNode = document.getElementById("dashboard-data");
  if (!dataNode || !window.echarts) return;
  var data = JSON.parse(dataNode.textContent);
  var font = getComputedStyle(document.documentElement).fontFamily;
  var charts = [];

  // While printing, charts are drawn at a width that fits an A4 or Letter page: the page's
  // print layout is not yet measurable when the browser announces it is about to print.
  var PRINT_WIDTH = 640;
  var printing = false;

  function width(el) { return printing ? PRINT_WIDTH : el.clientWidth; }

  function narrow(el) { return width(el) < 520; }

  // Category labels wrap to two lines (three on a phone) and are cut beyond that; the tooltip
  // and the table below the chart give them in full.
  function labelWidth(el) {
    return narrow(el) ? 120 : Math.min(220, Math.max(120, width(el) * 0.3));
  }

  function shorten(el, text) {
    var most = Math.floor(labelWidth(el) / 12) * (narrow(el) ? 3 : 2) - 1;
    return text.length > most ? text.slice(0, most - 1) + "…" : text;
  }

  function breakdownOption(el, d) {
    var small = narrow(el);
    return {
      textStyle: { fontFamily: font },
      animation: false,
      tooltip: {
        trigger: "axis",
        axisPointer: { type: "shadow" },
        confine: true,
        formatter: function (items) {
          var total = 0;
          var lines = items.map(function (it) {
            total += it.value;
            return it.marker + it.seriesName + "：" + it.value;
          });
          // Area, section and leader names are typed by users: never markup.
          var name = echarts.format.encodeHTML(d.categories[items[0].dataIndex]);
          return [name + "（" + total + " 个）"].concat(lines)
            .join("<br>");
        }
      },
      legend: { top: 0, itemWidth: 14, itemHeight: 10, itemGap: small ? 6 : 10 },
      grid: { left: 8, right: 16, top: small ? 56 : 32, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: {
        type: "category",
        inverse: true,
        data: d.categories.map(function (c) { return shorten(el, c); }),
        axisTick: { show: false },
        axisLabel: {
          width: labelWidth(el),
          overflow: "break",
          lineHeight: 14,
          fontSize: small || printing ? 11 : 12
        }
      },
      series: d.series.map(function (s) {
        return {
          name: s.name,
          type: "bar",
          stack: "state",
          barMaxWidth: 26,
          itemStyle: { color: s.color },
          label: {
            show: true,
            color: "#fff",
            fontSize: 11,
            formatter: function (p) { return p.value ? String(p.value) : ""; }
          },
          labelLayout: { hideOverlap: true },
          data: s.data
        };
      })
    };
  }

  function breakdownHeight(el, d) {
    var row = printing ? 30 : narrow(el) ? 48 : 40;
    return (narrow(el) ? 80 : 56) + Math.max(d.categories.length, 1) * row;
  }

  function trendOption(el, d) {
    var small = narrow(el);
    return {
      textStyle: { fontFamily: font },
      animation: false,
      tooltip: {
        trigger: "axis",
        confine: true,
        formatter: function (items) {
          var i = items[0].dataIndex;
          var lines = [d.ranges[i]];
          items.forEach(function (it) {
            var value = it.seriesIndex === 1
              ? it.value + "%（累计 " + d.rate[i].count + " 个）"
              : it.value + " 个";
            lines.push(it.marker + it.seriesName + "：" + value);
          });
          return lines.join("<br>");
        }
      },
      legend: { top: 0, itemWidth: 14, itemHeight: 10 },
      grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
      xAxis: {
        type: "category",
        data: d.categories,
        axisLabel: { fontSize: small ? 10 : 12, hideOverlap: true }
      },
      yAxis: [
        { type: "value", minInterval: 1 },
        { type: "value", min: 0, max: 100,
          axisLabel: { formatter: "{value}%" }, splitLine: { show: false } }
      ],
      series: [
        { name: "当周完成（个）", type: "bar", barMaxWidth: 22, itemStyle: { color: "#1d4f91" },
          data: d.done },
        { name: "累计完成率", type: "line", yAxisIndex: 1, symbolSize: 7,
          itemStyle: { color: "#b3261e" }, data: d.rate }
      ]
    };
  }

  function build(el) {
    var kind = el.getAttribute("data-chart");
    var d = data[kind];
    if (!d) return;
    var isTrend = kind === "trend";
    if (!isTrend && !d.categories.length) {
      el.classList.add("chart-empty");
      el.textContent = "暂无数据";
      return;
    }
    var height = function () { return (isTrend ? 300 : breakdownHeight(el, d)) + "px"; };
    el.style.height = height();
    // SVG: crisp when printed, and small charts draw as fast as on canvas.
    var chart = echarts.init(el, null, { renderer: "svg" });
    var option = function () { return isTrend ? trendOption(el, d) : breakdownOption(el, d); };
    chart.setOption(option());
    chart.on("click", function (p) {
      if (p.data && p.data.url) window.location.href = p.data.url;
    });
    charts.push({ el: el, chart: chart, option: option, height: height });
  }

  function resizeAll() {
    charts.forEach(function (c) {
      c.el.style.height = c.height();
      c.chart.setOption(c.option(), { notMerge: true });
      c.chart.resize({ width: printing ? PRINT_WIDTH : "auto" });
    });
  }

  document.querySelectorAll(".chart[data-chart]").forEach(build);

  var pending = null;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(resizeAll, 120);
  });

  // Printing: open the data tables and redraw the charts at the printed page's width.
  var opened = [];
  function beforePrint() {
    if (printing) return;
    printing = true;
    document.querySelectorAll("details.figures:not([open])").forEach(function (d) {
      d.open = true;
      opened.push(d);
    });
    resizeAll();
  }
  function afterPrint() {
    if (!printing) return;
    printing = false;
    opened.forEach(function (d) { d.open = false; });
    opened = [];
    resizeAll();
  }
  window.addEventListener("beforeprint", beforePrint);
  window.addEventListener("afterprint", afterPrint);
  var printMedia = window.matchMedia("print");
  var onMedia = function (e) { if (e.matches) beforePrint(); else afterPrint(); };
  if (printMedia.addEventListener) printMedia.addEventListener("change", onMedia);

  var printButton = document.querySelector("[data-print]");
  if (printButton) printButton.addEventListener("click", function () { window.print(); });

  // The filters apply as soon as they change; a new unit starts from all its rounds.
  var form = document.querySelector("form[data-autosubmit]");
  if (form) {
    form.addEventListener("change", function (e) {
      if (e.target.name === "unit" && form.elements.round) form.elements.round.value = "";
      form.submit();
    });
  }
})();
