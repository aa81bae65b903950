# The two set-up commands of the README are `make demo` and `make test`. Both fetch the pinned ECharts
# script from the npm registry first (integrity-checked, not committed) because the dashboard embeds it.
ECHARTS := dashboards/assets/echarts.min.js
# duckdb_arrow: ingest lands rows through duckdb-go's Arrow interface (about twice as fast as the Appender it
# falls back to without the tag; see ingest/README.md). Every build and test command passes it.
TAGS := duckdb_arrow

.PHONY: all assets demo test build bench clean

all: build

assets: $(ECHARTS)

$(ECHARTS): dashboards/assets/fetch-echarts.sh
	bash dashboards/assets/fetch-echarts.sh

demo: assets
	go run -tags $(TAGS) ./cmd/complaints demo

test: assets
	go test -tags $(TAGS) -count=1 -timeout 30m ./...

build: assets
	go build -tags $(TAGS) -o complaints ./cmd/complaints

bench: assets
	go test -tags $(TAGS) -run '^$$' -bench . -benchtime 1x ./...

clean:
	rm -rf out complaints
