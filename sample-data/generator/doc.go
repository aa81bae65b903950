// Package generator owns the sample bank: a deterministic generator of realistic complaint exports (the
// hotline's GB18030 CSV with a later incremental export, the online platform's NDJSON, the branches' XLSX
// walk-in log, the letters and comment-box CSV with a BOM, and the referrals XLSX), the demo configuration that
// reads them (complaints.yaml), and truth.json: the figures the generator planted, computed by the definitions of
// docs/domain.md sections 5-6 independently of the pipeline, so the pipeline's reports can be tested against it.
//
// It also owns the committed demo set in sample-data/ (exports/, branches.csv, complaints.yaml, truth.json,
// README.md), which TestCommittedDemoSetIsCurrent keeps byte-identical to what Generate writes for the demo options
// (DemoOptions).
//
// Options.NoSignal (complaints sample --no-signal) draws a bank without planted signals, with gamma month effects
// and working-day and Spring Festival seasonality: the no-signal data the root-cause calibration tests run on.
//
// GenerateLedgers (complaints sample --ledgers monthly) writes another bank: cumulative monthly ledgers (every
// complaint since the start with that month's status, one file a month), streamed with memory that does not grow
// with the rows; `complaints bench` measures the pipeline on it. It has no truth.json. Options.LastLedgers writes
// only the window's last ledgers; Options.HotlineRows adds the hotline's own GB18030 export (ledger_hotline.go).
//
// Production code must not import this package, except the `complaints sample` and `complaints demo`
// commands; tests of other packages may load truth.json with LoadTruth.
package generator
