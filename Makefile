# The two set-up commands of the README are `make demo` and `make test`. Both fetch the pinned ECharts
# script and the China map (`dashboard --map`) from the npm registry first (integrity-checked, not committed)
# because the dashboard embeds them.
ECHARTS := dashboards/assets/echarts.min.js
CHINAMAP := dashboards/assets/china.js
# duckdb_arrow: ingest lands rows through duckdb-go's Arrow interface (about twice as fast as the Appender it
# falls back to without the tag; see ingest/README.md). Every build and test command passes it.
TAGS := duckdb_arrow

.PHONY: all assets demo test build bench bench-1m bench-ledgers bench-plain clean

all: build

assets: $(ECHARTS) $(CHINAMAP)

$(ECHARTS): dashboards/assets/fetch-echarts.sh dashboards/assets/fetch-npm.sh
	bash dashboards/assets/fetch-echarts.sh

$(CHINAMAP): dashboards/assets/fetch-chinamap.sh dashboards/assets/fetch-npm.sh
	bash dashboards/assets/fetch-chinamap.sh

demo: assets
	go run -tags $(TAGS) ./cmd/complaints demo

test: assets
	go test -tags $(TAGS) -count=1 -timeout 30m ./...

build: assets
	go build -tags $(TAGS) -o complaints ./cmd/complaints

bench: assets
	go test -tags $(TAGS) -run '^$$' -bench . -benchtime 1x ./...

# The 1M-complaint end-to-end benchmark (report, dashboard, rootcause as whole processes); see the script.
bench-1m: assets
	bash scripts/bench-1m.sh

# The ledger scenario (complaints bench): N complaints as cumulative monthly ledgers, the first load then the next
# month's job, each step beside DuckDB alone on the same files. BENCH_ROWS and BENCH_MONTHS choose the size.
BENCH_ROWS ?= 100000
BENCH_MONTHS ?= 18
bench-ledgers: assets
	go build -tags $(TAGS) -o /tmp/complaints-bench-ledgers/complaints ./cmd/complaints
	/tmp/complaints-bench-ledgers/complaints bench --rows $(BENCH_ROWS) --months $(BENCH_MONTHS) --dir /tmp/complaints-bench-ledgers/run

# The plain scenario (complaints bench --scenario plain): the last two ledgers of the same bank plus the hotline's
# GB18030 export (0.6 x BENCH_ROWS calls), DuckDB alone landing them as text tables, then `complaints run` end to
# end. BENCH_ROWS=680000 is the issue's plain million (about 1.7M rows).
bench-plain: assets
	go build -tags $(TAGS) -o /tmp/complaints-bench-plain/complaints ./cmd/complaints
	/tmp/complaints-bench-plain/complaints bench --scenario plain --rows $(BENCH_ROWS) --months $(BENCH_MONTHS) --dir /tmp/complaints-bench-plain/run

clean:
	rm -rf out complaints
