package transform

import (
	"context"
	"database/sql"
	"fmt"
	"runtime/debug"
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
	// union-find over node numbers: each distinct node string is numbered once, the rest is slices of int32
	// (on 1.1M realistic records a map of strings to strings took 4.4 s and a few hundred MB)
	ids := map[string]int32{}
	var names []string
	var parent []int32
	node := func(s string) int32 {
		if id, ok := ids[s]; ok {
			return id
		}
		id := int32(len(names))
		ids[s] = id
		names = append(names, s)
		parent = append(parent, id)
		return id
	}
	find := func(x int32) int32 {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	union := func(a, b int32) {
		ra, rb := find(a), find(b)
		if ra == rb {
			return
		}
		if names[rb] < names[ra] {
			ra, rb = rb, ra
		}
		parent[rb] = ra // the smaller key is the root
	}
	var nb strings.Builder
	for rows.Next() {
		var ks [3]sql.NullString
		if err := rows.Scan(&ks[0], &ks[1], &ks[2]); err != nil {
			rows.Close()
			return fmt.Errorf("normalize: link customers: %w", err)
		}
		first := int32(-1)
		for i, k := range ks {
			if !k.Valid || k.String == "" {
				continue
			}
			nb.Reset()
			nb.WriteByte("ipc"[i])
			nb.WriteByte(':')
			nb.WriteString(k.String)
			n := node(nb.String())
			if first < 0 {
				first = n
			} else {
				union(first, n)
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("normalize: link customers: %w", err)
	}
	ids = nil
	var nodes []int32
	for n := range names {
		if find(int32(n)) != int32(n) {
			nodes = append(nodes, int32(n))
		}
	}
	// node_root is a set joined on node: the order the rows go in does not matter (sorting them took 1 s)
	const chunk = 50000
	var buf strings.Builder
	for i := 0; i < len(nodes); i += chunk {
		buf.Reset()
		for _, id := range nodes[i:min(i+chunk, len(nodes))] {
			n, cust := names[id], names[find(id)][2:]
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
	// the maps and slices above are garbage now: give their pages back before the write step, the normalise's
	// peak (DuckDB's memory is outside Go's heap and unaffected)
	ids, names, parent, nodes = nil, nil, nil, nil
	debug.FreeOSMemory()
	return nil
}
