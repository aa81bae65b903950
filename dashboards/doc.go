// Package dashboards writes the offline HTML dashboard: one self-contained file with the ECharts script inlined
// (embedded from assets/, fetched and integrity-checked at build time by assets/fetch-echarts.sh). Sections:
// overview (KPI tiles, 13-month trend), root causes (Pareto, treemap, Sankey, branch x cause heatmap), branches
// (the last month's ranking per 10,000 customers or by count, MoM, YoY, on-time and overdue by branch), timeliness,
// geography (ranked provinces; with Options.Map a China map from china.js of npm echarts@4.9.0, fetched by
// assets/fetch-chinamap.sh, off by default because it has no 审图号) and recurring (repeat complainants, and
// rootcause's findings: the flagged series' chart, the ranked findings, the causes and business channels over
// time, the recurring findings with the remediation file's actions and the rising ones). A click on a bar, a Sankey
// node or a name in a table opens the last month's complaints behind it (drill.go): total, breakdown, up to 50
// masked rows and the `complaints list` command that returns them all.
//
// Branches show by name: with a branch master the marts hold its codes and the page shows branch_master's names.
// A branch's page is the page of a scoped copy of the warehouse (package scope, --branch), which holds that
// subtree only; the header names the branch the copy states.
//
// It owns page layout, charts, the embedded assets and the sanitising of data strings: chart options are built as
// plain data and serialised with encoding/json (which escapes <, > and &), never as script, so a label such as
// "</script><script>..." or go-echarts' "__f__" function marker stays an inert string. It reads only through readmodel
// (marts, the timeliness sheet's clocks by branch, the last month's list for the drill-down) and the root-cause
// analytics, and never computes a figure the read model defines. Drill-down tables are built by the page's script
// with textContent, never markup.
package dashboards
