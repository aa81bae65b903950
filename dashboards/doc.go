// Package dashboards writes the offline HTML dashboard: one self-contained file with the ECharts script inlined
// (embedded from assets/, fetched and integrity-checked at build time by assets/fetch-echarts.sh), a 13-month trend
// stacked by business category and a Pareto of causes.
//
// It owns page layout, charts, the embedded assets and the sanitising of data strings: chart options are built as
// plain data and serialised with encoding/json (which escapes <, > and &), never as script, so a label such as
// "</script><script>..." or go-echarts' "__f__" function marker stays an inert string. It reads only marts (through
// reports/marts) and never computes a figure a mart defines.
package dashboards
