package transform

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"complaints/catalog"
	"complaints/ingest"
	"complaints/warehouse"
)

// ingestCFPB lands files through the built-in cfpb profile (recognised by header, no profile given) into a new
// in-memory warehouse.
func ingestCFPB(t *testing.T, paths ...string) *warehouse.Warehouse {
	t.Helper()
	ctx := context.Background()
	w, err := warehouse.Open(ctx, warehouse.Options{Path: ":memory:", Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	opts := ingest.Options{HMACKey: []byte("k"), Now: func() time.Time { return time.Date(2026, 11, 1, 9, 0, 0, 0, warehouse.Beijing) }}
	res, err := ingest.IngestFiles(ctx, w, opts, paths, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Err != nil {
			t.Fatal(r.Err)
		}
	}
	if _, err := Normalize(ctx, w, Options{}); err != nil {
		t.Fatal(err)
	}
	return w
}

// TestCFPBExtractsMapCompletely: both shared CFPB extracts, ingested by the built-in profile and normalised,
// map every complaint's Product / Sub-product and Issue / Sub-issue through the catalogue's crosswalk: no
// unmapped category or cause, nothing listed as unmapped, and the mappings domain.md section 9 names.
func TestCFPBExtractsMapCompletely(t *testing.T) {
	dir := filepath.Join("..", "testdata", "public", "cfpb")
	w := ingestCFPB(t, filepath.Join(dir, "consumer_complaints_2016_349rows.csv"),
		filepath.Join(dir, "complaints_2012_2023_truncated_at_1MiB.csv"))
	wantRows(t, w.DB, "SELECT source_system, count(*) > 2000, count(*) FILTER (WHERE business_category = 'unmapped'), "+
		"count(*) FILTER (WHERE cause = 'unmapped') FROM complaints GROUP BY ALL", "cfpb|true|0|0")
	wantRows(t, w.DB, "SELECT count(*) FROM unmapped_values", "0")
	// every row's codes are those of the crosswalk's pair (spot checks across both exports' vocabularies)
	wantRows(t, w.DB, `SELECT DISTINCT l.business_category, coalesce(l.sub_category, '-'), c.business_category
		FROM complaints c JOIN landed_rows l ON c.complaint_key = 'cfpb:' || l.source_id
		WHERE l.business_category IN ('Credit reporting', 'Money transfers') OR l.sub_category = 'General-purpose prepaid card'
		ORDER BY ALL`,
		"Credit card or prepaid card|General-purpose prepaid card|debit_card",
		"Credit reporting|-|personal_information",
		"Money transfers|Domestic (US) money transfer|payment_settlement",
		"Money transfers|International money transfer|foreign_exchange")
	// status from "Company response to consumer" (the profile's values: every Closed ... is closed), the response
	// itself kept as the outcome, and "Timely response?" landed as exported
	wantRows(t, w.DB, `SELECT l.outcome, c.status, l.timely_response, count(*) FROM complaints c
		JOIN landed_rows l ON c.complaint_key = 'cfpb:' || l.source_id GROUP BY ALL ORDER BY ALL`,
		"Closed|closed|Yes|6",
		"Closed with explanation|closed|No|1",
		"Closed with explanation|closed|Yes|865",
		"Closed with monetary relief|closed|Yes|38",
		"Closed with non-monetary relief|closed|Yes|819",
		"Closed without relief|closed|Yes|2",
		"In progress|open|Yes|685")
	// and every complaint has the codes the crosswalk gives its pair
	xw := catalog.CFPBCrosswalk()
	n := 0
	for _, r := range rowsOf(t, w.DB, `SELECT concat_ws('|', l.business_category, coalesce(l.sub_category, ''), l.cause,
			coalesce(l.sub_cause, ''), c.business_category, c.cause)
		FROM complaints c JOIN landed_rows l ON c.complaint_key = 'cfpb:' || l.source_id`) {
		f := strings.Split(r, "|")
		cat, _ := xw.Category(f[0], f[1])
		cause, _ := xw.Cause(f[2], f[3])
		if f[4] != cat || f[5] != cause {
			t.Errorf("%q: got %s / %s, the crosswalk says %s / %s", r, f[4], f[5], cat, cause)
		}
		n++
	}
	if n < 2000 {
		t.Errorf("only %d complaints compared", n)
	}
}

// TestCFPBCrosswalkFallback: under a Product the crosswalk knows, an unseen Sub-product takes the Product's
// category and an unseen Issue cause other (unless a taxonomy synonym maps it), which unmapped_values lists; an
// unseen Product stays unmapped and listed as before; the same values in another source are not read through the
// crosswalk.
func TestCFPBCrosswalkFallback(t *testing.T) {
	const header = "Date received,Product,Sub-product,Issue,Sub-issue,Consumer complaint narrative,Company public response,Company,State,ZIP code,Tags,Consumer consent provided?,Submitted via,Date sent to company,Company response to consumer,Timely response?,Consumer disputed?,Complaint ID\n"
	body := header +
		"2023-08-25,Mortgage,A brand-new mortgage,Trouble during payment process,Payment process,,,BANK A,FL,33009,,,Web,2023-08-25,In progress,Yes,N/A,1\n" +
		"2023-08-25,Mortgage,Conventional home mortgage,A brand-new issue,,,,BANK A,FL,33009,,,Web,2023-08-25,In progress,Yes,N/A,2\n" +
		"2023-08-25,Mortgage,Conventional home mortgage,Managing an account,A brand-new sub-issue,,,BANK A,FL,33009,,,Web,2023-08-25,In progress,Yes,N/A,3\n" +
		"2023-08-25,Space travel,,A brand-new issue,,,,BANK A,FL,33009,,,Web,2023-08-25,In progress,Yes,N/A,4\n" +
		"2023-08-25,Mortgage,,Fraud,,,,BANK A,FL,33009,,,Web,2023-08-25,In progress,Yes,N/A,5\n"
	path := filepath.Join(t.TempDir(), "complaints.csv")
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	w := ingestCFPB(t, path)
	wantRows(t, w.DB, "SELECT complaint_key, business_category, cause FROM complaints ORDER BY 1",
		"cfpb:1|loans|rules_processes", "cfpb:2|loans|other", "cfpb:3|loans|rules_processes", "cfpb:4|unmapped|unmapped",
		"cfpb:5|loans|fund_safety") // an Issue the crosswalk lacks but a taxonomy synonym maps keeps that code
	wantRows(t, w.DB, "SELECT dimension, raw_value, records, sources FROM unmapped_values ORDER BY ALL",
		"business_category|Space travel|1|cfpb", "cause|A brand-new issue|2|cfpb")
	wantRows(t, w.DB, "SELECT timely_response, sub_category FROM landed_rows WHERE source_id = '1'", "Yes|A brand-new mortgage")

	// another source with CFPB spellings: the taxonomy's spellings and words only (Mortgage is one; of the issues,
	// "Trouble during payment process" holds the word process of rules_processes)
	if _, err := w.DB.Exec("UPDATE landed_rows SET source_system = 'other_source'"); err != nil {
		t.Fatal(err)
	}
	if _, err := Normalize(context.Background(), w, Options{Full: true}); err != nil {
		t.Fatal(err)
	}
	wantRows(t, w.DB, "SELECT complaint_key, business_category, cause FROM complaints ORDER BY 1",
		"other_source:1|loans|rules_processes", "other_source:2|loans|unmapped", "other_source:3|loans|unmapped", "other_source:4|unmapped|unmapped",
		"other_source:5|loans|fund_safety")
}
