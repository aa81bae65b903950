#!/usr/bin/env bash
# bench-1m.sh: the end-to-end benchmark on a 1M-complaint warehouse, timing whole processes as a user runs them.
#
#   make bench-1m                 # or: bash scripts/bench-1m.sh [DIR]
#
# It builds the binary, generates a 24-month sample project of 1,000,000 complaints into DIR (default
# /tmp/complaints-bench-1m; reused when it is already there), ingests and normalises it (timed, once per fresh
# DIR), then times the monthly report, the dashboard and rootcause on the full warehouse. Each line gives the wall
# time, the peak RSS of the whole process (GNU time's maximum resident set size) and the output's size.
# Targets (issues #5, #6): report <= 5 s and < 500 MB; dashboard <= 3 s and < 3 MB. Figures go into
# docs/performance.md (date, machine, commit, command), never into test assertions.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${1:-/tmp/complaints-bench-1m}
ROWS=${BENCH_ROWS:-1000000}
PERIOD=${BENCH_PERIOD:-2026-10}
BIN=$DIR/complaints
# ingest has no built-in privacy key; the benchmark's invented data is keyed with its own.
export COMPLAINTS_HMAC_KEY=${COMPLAINTS_HMAC_KEY:-bench-1m-invented-data-key}
mkdir -p "$DIR"
go build -tags duckdb_arrow -o "$BIN" ./cmd/complaints

timed() { # timed LABEL OUTPUT-FILE-OR-- CMD...
	local label=$1 out=$2
	shift 2
	/usr/bin/time -f '%e %M' -o "$DIR/.time" "$@" >"$DIR/.stdout" 2>"$DIR/.stderr" || {
		echo "$label failed:" >&2
		tail -20 "$DIR/.stderr" >&2
		exit 1
	}
	read -r secs kb <"$DIR/.time"
	local size=-
	[[ $out != -- && -f $out ]] && size=$(stat -c %s "$out")
	printf '%-34s %8.2f s %8d MB   %s\n' "$label" "$secs" $((kb / 1024)) "$size"
}

printf 'machine: %s cores, load %s\n' "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
if [[ ! -f $DIR/project/complaints.duckdb ]]; then
	rm -rf "$DIR/project"
	timed "sample --rows $ROWS" -- "$BIN" sample --rows "$ROWS" --out "$DIR/project"
	(cd "$DIR/project" && timed "ingest (all exports)" -- "$BIN" ingest)
fi
cd "$DIR/project"
# Full the first time; later runs re-derive only what changed (everything, when the models changed since).
timed "normalize" -- "$BIN" normalize
"$BIN" list --period "$PERIOD" --status received --format csv --out "$DIR/received.csv" >/dev/null 2>&1 &&
	printf 'complaints received in %s: %d\n' "$PERIOD" $(($(wc -l <"$DIR/received.csv") - 1))
timed "report --period $PERIOD" "$DIR/report.xlsx" "$BIN" report --period "$PERIOD" --out "$DIR/report.xlsx"
timed "dashboard (13 months)" "$DIR/dashboard.html" "$BIN" dashboard --out "$DIR/dashboard.html"
timed "dashboard (24 months)" "$DIR/dashboard24.html" "$BIN" dashboard --from 2024-11 --to "$PERIOD" --out "$DIR/dashboard24.html"
timed "rootcause --period $PERIOD" -- "$BIN" rootcause --period "$PERIOD"
