package dashboards

import "html/template"

// The page loads nothing: the Content-Security-Policy forbids every source but the inline script and style, so even
// a mistake that added a URL would not reach a network.
var pageTemplate = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="{{.HTMLLang}}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="complaints">
<title>{{.Title}} · {{.Institution}} · {{.Period}}</title>
<style>{{.CSS}}</style>
</head>
<body>
<header>
<h1>{{.Title}}{{if .Branch}} · {{.Branch}}{{end}}</h1>
<dl class="meta">
<div><dt>{{.LabelInstitution}}</dt><dd>{{.Institution}}</dd></div>
{{- if .Branch}}
<div><dt>{{.LabelBranch}}</dt><dd>{{.Branch}}</dd></div>
{{- end}}
<div><dt>{{.LabelPeriod}}</dt><dd>{{.Period}}</dd></div>
<div><dt>{{.LabelAsOf}}</dt><dd>{{.AsOf}}</dd></div>
<div><dt>{{.LabelGenerated}}</dt><dd>{{.Generated}}</dd></div>
</dl>
<nav aria-label="{{.LabelContents}}">
{{- range .Sections}}<a href="#{{.ID}}">{{.Title}}</a>{{end -}}
</nav>
</header>
<main>
{{- range .Banners}}
<p class="note omitted" role="alert">{{.}}</p>
{{- end}}
{{- range .Sections}}
<section class="section" id="{{.ID}}">
<h2>{{.Title}}</h2>
{{- if .Note}}
<p class="note omitted">{{.Note}}</p>
{{- end}}
{{- if .KPIs}}
<div class="kpis">
{{- range .KPIs}}
<div class="kpi"><div class="kpi-label">{{.Label}}</div><div class="kpi-value">{{.Value}}</div><div class="kpi-change"><span>{{.MoMLabel}} {{.MoM}}</span><span>{{.YoYLabel}} {{.YoY}}</span></div></div>
{{- end}}
</div>
{{- end}}
{{- range .Charts}}
<div class="panel">
<h3>{{.Title}}</h3>
<div class="chart" id="chart-{{.ID}}" role="img" aria-label="{{.Title}}"></div>
{{- if .Note}}<p class="note">{{.Note}}</p>{{end}}
{{- if .Table}}{{if .Table.Rows}}
<details><summary>{{$.DataTable}}</summary>
<table><thead><tr>{{range .Table.Header}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>{{range .Table.Rows}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>{{end}}</tbody></table>
</details>
{{- else}}<p class="note">{{$.NoData}}</p>{{end}}{{end}}
</div>
{{- end}}
{{- range .Tables}}
<div class="panel">
<h3>{{.Title}}</h3>
{{- $tbl := .Table}}
{{- if $tbl.Rows}}
<table><thead><tr>{{range $tbl.Header}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>{{range $i, $row := $tbl.Rows}}<tr{{with $tbl.Class $i}} class="{{.}}"{{end}}>{{range $row}}<td>{{.}}</td>{{end}}</tr>{{end}}</tbody></table>
{{- else}}<p class="note">{{$.NoData}}</p>{{end}}
{{- if .Note}}<p class="note">{{.Note}}</p>{{end}}
</div>
{{- end}}
</section>
{{- end}}
</main>
<script>{{.ECharts}}</script>
{{- if .ChinaMap}}
<script>{{.ChinaMap}}</script>
{{- end}}
<script type="application/json" id="dashboard-data">{{.Data}}</script>
<script>{{.Init}}</script>
</body>
</html>
`))

// initScript is the page's only code: it reads the chart options (data, never code) and hands them to ECharts.
const initScript = `(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("dashboard-data").textContent);
  /* Counts read with thousands separators in tooltips, bar labels and value axes, as in the tables. */
  function grouped(v) {
    if (typeof v === "number" && isFinite(v)) { return v.toLocaleString("en-US", { maximumFractionDigits: 1 }); }
    if (Array.isArray(v)) { return grouped(v[v.length - 1]); }
    return v == null ? "-" : String(v);
  }
  /* Drill-down: a clicked item's cell (data.drill.cells) opens in a dialog built with textContent only. */
  var drill = data.drill, box = null;
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text != null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function tableOf(head, rows) {
    var wrap = el("div", null, "drill-scroll"), tbl = el("table"), tr = el("tr"), body = el("tbody");
    head.forEach(function (h) { tr.appendChild(el("th", h)); });
    tbl.appendChild(el("thead")).appendChild(tr);
    rows.forEach(function (r) {
      var row = el("tr");
      r.forEach(function (v) { row.appendChild(el("td", typeof v === "number" ? grouped(v) : (v == null ? "" : v))); });
      body.appendChild(row);
    });
    tbl.appendChild(body);
    wrap.appendChild(tbl);
    return wrap;
  }
  function openDrill(key) {
    if (!box) {
      box = el("div", null, "drill");
      box.id = "drill";
      box.setAttribute("role", "dialog");
      box.setAttribute("aria-modal", "true");
      document.body.appendChild(box);
      document.addEventListener("keydown", function (e) { if (e.key === "Escape") { box.hidden = true; } });
    }
    var c = drill.cells[key], t = drill.text;
    box.textContent = "";
    var close = el("button", t.close, "drill-close");
    close.type = "button";
    close.addEventListener("click", function () { box.hidden = true; });
    box.appendChild(close);
    if (!c) {
      box.appendChild(el("p", t.none));
    } else {
      box.appendChild(el("h3", c.t + " · " + t.month + " " + drill.period));
      box.appendChild(el("p", t.total + t.colon + grouped(c.n), "drill-total"));
      if (c.c) {
        box.appendChild(el("p", t.shown, "note"));
        box.appendChild(el("code", c.c, "drill-command"));
      }
      box.appendChild(tableOf([c.by, t.count], c.b)).classList.add("drill-breakdown");
      box.appendChild(tableOf(drill.head, c.r.map(function (i) {
        var r = drill.rows[i].slice();
        r[3] = drill.labels[r[3]]; r[4] = drill.labels[r[4]]; r[5] = drill.labels[r[5]];
        return r;
      }))).classList.add("drill-rows");
    }
    box.hidden = false;
    box.scrollTop = 0;
    close.focus();
  }
  function drillFrom(id, p) {
    if (!drill) { return; }
    var key = p.data && p.data.drill, names = drill.names[id] || {};
    if (!key && p.dataType !== "edge") {
      key = names[p.name] || (p.name === drill.period ? names[p.seriesName] : undefined);
      (p.treePathInfo || []).slice().reverse().forEach(function (n) { key = key || names[n.name]; });
      var y = data.charts[id].yAxis;
      if (!key && p.seriesType === "heatmap" && y && y.data && Array.isArray(p.value)) { key = names[y.data[p.value[1]]]; }
    }
    if (key) { openDrill(key); }
  }
  function drillTables() {
    if (!drill) { return; }
    document.querySelector("header").appendChild(el("p", drill.text.hint, "note drill-hint"));
    Object.keys(drill.names).forEach(function (id) {
      var chart = document.getElementById("chart-" + id), names = drill.names[id];
      if (!chart) { return; }
      chart.parentNode.querySelectorAll("td").forEach(function (td) {
        var key = names[td.textContent];
        if (!key) { return; }
        td.className = "drillable";
        td.tabIndex = 0;
        td.setAttribute("role", "button");
        td.addEventListener("click", function () { openDrill(key); });
        td.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); openDrill(key); } });
      });
    });
  }
  function groupNumbers(opt) {
    if (opt.tooltip && !opt.tooltip.formatter && !opt.tooltip.valueFormatter) { opt.tooltip.valueFormatter = grouped; }
    [].concat(opt.yAxis || [], opt.xAxis || []).forEach(function (ax) {
      if (ax && ax.type === "value") {
        ax.axisLabel = ax.axisLabel || {};
        if (!ax.axisLabel.formatter) { ax.axisLabel.formatter = function (v) { return grouped(v); }; }
        if (ax.axisLabel.hideOverlap === undefined) { ax.axisLabel.hideOverlap = true; }
      }
    });
    [].concat(opt.series || []).forEach(function (s) {
      if (s.label && s.label.show && !s.label.formatter && s.type !== "treemap" && s.type !== "sankey") {
        s.label.formatter = function (p) { return grouped(p.value); };
      }
      if (s.label && s.label.show && s.type !== "treemap" && s.type !== "sankey" && !s.labelLayout) {
        s.labelLayout = { hideOverlap: true };
      }
    });
    return opt;
  }
  var charts = [];
  Object.keys(data.charts).forEach(function (id) {
    var el = document.getElementById("chart-" + id);
    if (!el || typeof echarts === "undefined") { return; }
    var chart = echarts.init(el, null, { locale: data.locale, renderer: "canvas" });
    chart.setOption(groupNumbers(data.charts[id]));
    chart.on("click", function (p) { drillFrom(id, p); });
    charts.push(chart);
  });
  drillTables();
  function resize() { charts.forEach(function (c) { c.resize(); }); }
  window.addEventListener("resize", resize);
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (d) { d.open = true; });
    resize();
  });
  window.addEventListener("afterprint", resize);
  if (window.matchMedia) { window.matchMedia("print").addListener(resize); }
  document.body.setAttribute("data-charts", String(charts.length));
})();`

// stylesheet uses only fonts installed on the reader's machine.
const stylesheet = `
:root { --ink: #222; --muted: #666; --line: #ddd; --bg: #f6f7f9; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font-family: "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", system-ui, sans-serif; }
header { padding: 20px 28px 12px; background: #fff; border-bottom: 1px solid var(--line); }
h1 { margin: 0 0 8px; font-size: 22px; }
h2 { margin: 0 0 10px; font-size: 18px; }
h3 { margin: 0 0 8px; font-size: 15px; }
nav { display: flex; flex-wrap: wrap; gap: 6px 18px; margin-top: 10px; font-size: 14px; }
nav a { color: #2f4554; text-decoration: none; border-bottom: 2px solid #c6dbef; }
.section { display: grid; gap: 16px; scroll-margin-top: 8px; }
.section > h2 { margin: 8px 0 0; }
.meta { display: flex; flex-wrap: wrap; gap: 4px 28px; margin: 0; color: var(--muted); font-size: 13px; }
.meta div { display: flex; gap: 6px; } .meta dt { font-weight: 600; } .meta dd { margin: 0; }
main { padding: 16px 28px 28px; display: grid; gap: 16px; }
.kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 16px; }
.kpi, .panel { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 14px 16px; }
.kpi-label { color: var(--muted); font-size: 13px; }
.kpi-value { font-size: 28px; font-weight: 600; margin: 4px 0; font-variant-numeric: tabular-nums; }
.kpi-change { display: flex; gap: 16px; color: var(--muted); font-size: 13px; }
.chart { width: 100%; height: 460px; }
#chart-categories, #chart-provinces { height: 420px; }
#chart-sankey, #chart-heatmap, #chart-map { height: 560px; }
main, .section { grid-template-columns: minmax(0, 1fr); }
.kpi, .panel { min-width: 0; }
.panel > table { width: 100%; }
.panel > table th, .panel > table td { text-align: left; vertical-align: top; }
.panel > table td:nth-child(-n+4) { white-space: nowrap; }
tr.no-action td, tr.overdue td { background: #fdecea; }
tr.no-action td:last-child, tr.overdue td:last-child { color: #c23531; font-weight: 600; }
.note { color: var(--muted); font-size: 12px; margin: 6px 0 0; }
details { margin-top: 8px; font-size: 13px; overflow-x: auto; }
table { border-collapse: collapse; margin-top: 6px; }
th, td { border: 1px solid var(--line); padding: 3px 8px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
th { background: #eef3fa; }
td.drillable { cursor: pointer; color: #1f5f8b; text-decoration: underline dotted; }
.drill { position: fixed; top: 4vh; left: 4vw; right: 4vw; bottom: 4vh; z-index: 10; overflow: auto; background: #fff;
  border: 1px solid #999; border-radius: 6px; box-shadow: 0 4px 24px rgba(0,0,0,.25); padding: 16px; font-size: 13px; }
.drill[hidden] { display: none; }
.drill-close { float: right; font-size: 14px; padding: 4px 12px; }
.drill-scroll { overflow-x: auto; max-width: 100%; }
.drill-total { font-weight: 600; }
.drill th, .drill td { text-align: left; } .drill td { white-space: nowrap; }
.drill-rows td:nth-child(8) { white-space: normal; min-width: 16em; }
.drill-command { display: block; padding: 8px; background: #f3f3f3; border: 1px solid var(--line); overflow-wrap: anywhere; white-space: pre-wrap; font-size: 12px; }
@media (max-width: 600px) {
  .drill { top: 0; left: 0; right: 0; bottom: 0; border-radius: 0; padding: 10px; }
  header { padding: 12px 12px 8px; }
  main { padding: 10px 8px 16px; gap: 10px; }
  h1 { font-size: 18px; }
  .kpis { grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 8px; }
  .kpi, .panel { padding: 10px 8px; }
  .panel { overflow-x: auto; }
  .kpi-value { font-size: 22px; }
  .kpi-change { flex-wrap: wrap; gap: 4px 12px; }
  .chart, #chart-categories, #chart-provinces { height: 360px; }
  #chart-sankey, #chart-heatmap, #chart-map { height: 480px; }
  details { overflow-x: auto; }
}
@media print {
  @page { size: A4 landscape; margin: 12mm; }
  body { background: #fff; font-size: 11px; }
  header { padding: 0 0 6px; border: 0; }
  main { padding: 0; display: block; }
  .kpis { grid-template-columns: repeat(3, 1fr); margin-bottom: 8px; }
  .kpi, .panel { border: 1px solid #bbb; border-radius: 0; break-inside: avoid; page-break-inside: avoid; margin-bottom: 8px; }
  nav, .drill { display: none; }
  .section { display: block; }
  .panel, details { overflow: visible; }
  table, tr, .chart { break-inside: avoid; page-break-inside: avoid; }
  .chart, #chart-categories, #chart-provinces, #chart-sankey, #chart-heatmap, #chart-map { width: 100%; height: 105mm; }
  details > summary { display: none; }
}
`
