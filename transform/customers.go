package transform

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
)

// linkCustomers finds the customers: two records are the same customer when they share any identifier key (ID,
// phone or card; domain.md section 5), and transitively so (a hotline record with only a phone, a referral with
// that phone and an ID, a letter with that ID are one customer). It streams the distinct key triples of core
// (never the complaints themselves) through union-find in Go, whose map holds one entry per key, and writes
// node_root: every key (prefixed i:, p:, c: by kind, so an ID hash can never meet a phone hash of the same
// digits) whose component's smallest key is another one, with that key's value. 26_customers gives each
// complaint the customer of its first key: the smallest key of the component, stable from run to run.
func linkCustomers(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, "CREATE OR REPLACE TEMP TABLE node_root (node VARCHAR, customer VARCHAR)"); err != nil {
		return fmt.Errorf("normalize: link customers: %w", err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT customer_id_key, customer_phone_key, customer_card_key
		FROM core WHERE coalesce(nullif(customer_id_key, ''), nullif(customer_phone_key, ''), nullif(customer_card_key, '')) IS NOT NULL
		  AND (customer_id_key IS NOT NULL)::INT + (customer_phone_key IS NOT NULL)::INT + (customer_card_key IS NOT NULL)::INT > 1`)
	if err != nil {
		return fmt.Errorf("normalize: link customers: %w", err)
	}
	parent := map[string]string{}
	find := func(x string) string {
		for {
			p, ok := parent[x]
			if !ok || p == x {
				return x
			}
			if gp, ok := parent[p]; ok && gp != p {
				parent[x] = gp
			}
			x = p
		}
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
	for rows.Next() {
		var ks [3]sql.NullString
		if err := rows.Scan(&ks[0], &ks[1], &ks[2]); err != nil {
			rows.Close()
			return fmt.Errorf("normalize: link customers: %w", err)
		}
		first := ""
		for i, k := range ks {
			if !k.Valid || k.String == "" {
				continue
			}
			node := string("ipc"[i]) + ":" + k.String
			if first == "" {
				first = node
			} else {
				union(first, node)
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("normalize: link customers: %w", err)
	}
	nodes := make([]string, 0, len(parent))
	for n := range parent {
		if find(n) != n {
			nodes = append(nodes, n)
		}
	}
	sort.Strings(nodes)
	// node_root goes back as text, "node US customer RS" per key (ASCII unit and record separators), 50,000 keys
	// per statement, split in SQL: binding two parameters per row took most of normalise's time at a million
	// rows. A key holding a separator itself (never seen) is bound on its own.
	const chunk = 50000
	var buf strings.Builder
	for i := 0; i < len(nodes); i += chunk {
		buf.Reset()
		for _, n := range nodes[i:min(i+chunk, len(nodes))] {
			cust := find(n)[2:]
			if strings.ContainsAny(n+cust, "\x1e\x1f") {
				if _, err := tx.ExecContext(ctx, "INSERT INTO node_root VALUES (?, ?)", n, cust); err != nil {
					return fmt.Errorf("normalize: link customers: %w", err)
				}
				continue
			}
			buf.WriteString(n)
			buf.WriteByte(0x1f)
			buf.WriteString(cust)
			buf.WriteByte(0x1e)
		}
		q := `INSERT INTO node_root SELECT split_part(l, chr(31), 1), split_part(l, chr(31), 2)
			FROM (SELECT unnest(string_split(?, chr(30))) AS l) WHERE l <> ''`
		if _, err := tx.ExecContext(ctx, q, buf.String()); err != nil {
			return fmt.Errorf("normalize: link customers: %w", err)
		}
	}
	return nil
}
