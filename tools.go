//go:build tools

// Package main pins the stack's modules in go.mod before every package uses them.
package main

import (
	_ "github.com/6tail/lunar-go/calendar"
	_ "github.com/apache/arrow-go/v18/arrow"
	_ "github.com/duckdb/duckdb-go/v2"
	_ "github.com/go-echarts/go-echarts/v2/charts"
	_ "github.com/goccy/go-yaml"
	_ "github.com/spf13/cobra"
	_ "github.com/vbauerster/mpb/v8"
	_ "github.com/xuri/excelize/v2"
	_ "golang.org/x/text/encoding/simplifiedchinese"
)
