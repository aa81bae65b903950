package transform

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
)

// linkCustomers gives every complaint the customer it belongs to: two records are the same customer when they
// share any identifier key (ID, phone or card; domain.md section 5), and transitively so (a hotline record with
// only a phone, a referral with that phone and an ID, a letter with that ID are one customer). The component is
// found with union-find in Go (one pass over the keys, fast for millions of rows) and written back as
// complaints.customer_key: the smallest key of the component, so it is stable from run to run.
func linkCustomers(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT complaint_key, customer_id_key, customer_phone_key, customer_card_key
		FROM complaints WHERE coalesce(customer_id_key, customer_phone_key, customer_card_key) IS NOT NULL`)
	if err != nil {
		return fmt.Errorf("normalize: link customers: %w", err)
	}
	parent := map[string]string{}
	var find func(string) string
	find = func(x string) string {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	union := func(a, b string) {
		ra, rb := find(a), find(b)
		if ra == rb {
			return
		}
		if rb < ra {
			ra, rb = rb, ra
		}
		parent[rb] = ra // the smaller key is the root
	}
	type rec struct{ key, first string }
	var recs []rec
	for rows.Next() {
		var ck string
		var ks [3]sql.NullString
		if err := rows.Scan(&ck, &ks[0], &ks[1], &ks[2]); err != nil {
			rows.Close()
			return fmt.Errorf("normalize: link customers: %w", err)
		}
		first := ""
		for i, k := range ks {
			if !k.Valid || k.String == "" {
				continue
			}
			// prefix by kind so an ID hash can never collide with a phone hash of the same digits
			node := string("ipc"[i]) + ":" + k.String
			if _, ok := parent[node]; !ok {
				parent[node] = node
			}
			if first == "" {
				first = node
			} else {
				union(first, node)
			}
		}
		recs = append(recs, rec{ck, first})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("normalize: link customers: %w", err)
	}
	if len(recs) == 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, "CREATE OR REPLACE TEMP TABLE customer_map (complaint_key VARCHAR, customer VARCHAR)"); err != nil {
		return fmt.Errorf("normalize: link customers: %w", err)
	}
	sort.Slice(recs, func(i, j int) bool { return recs[i].key < recs[j].key })
	// The map goes back as text, "complaint_key US customer RS" per record (ASCII unit and record separators)
	// and 50,000 records per statement, split in SQL: binding two parameters per row took most of normalise's
	// time at a million rows. A key holding a separator itself (never seen) is bound on its own.
	const chunk = 50000
	var buf strings.Builder
	for i := 0; i < len(recs); i += chunk {
		end := min(i+chunk, len(recs))
		buf.Reset()
		for _, r := range recs[i:end] {
			cust := strings.SplitN(find(r.first), ":", 2)[1]
			if strings.ContainsAny(r.key+cust, "\x1e\x1f") {
				if _, err := tx.ExecContext(ctx, "INSERT INTO customer_map VALUES (?, ?)", r.key, cust); err != nil {
					return fmt.Errorf("normalize: link customers: %w", err)
				}
				continue
			}
			buf.WriteString(r.key)
			buf.WriteByte(0x1f)
			buf.WriteString(cust)
			buf.WriteByte(0x1e)
		}
		q := `INSERT INTO customer_map SELECT split_part(l, chr(31), 1), split_part(l, chr(31), 2)
			FROM (SELECT unnest(string_split(?, chr(30))) AS l) WHERE l <> ''`
		if _, err := tx.ExecContext(ctx, q, buf.String()); err != nil {
			return fmt.Errorf("normalize: link customers: %w", err)
		}
	}
	_, err = tx.ExecContext(ctx, `UPDATE complaints SET customer_key = m.customer
		FROM customer_map m WHERE m.complaint_key = complaints.complaint_key`)
	if err != nil {
		return fmt.Errorf("normalize: link customers: %w", err)
	}
	return nil
}
