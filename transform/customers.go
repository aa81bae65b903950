package transform

import (
	"context"
	"database/sql"
	"fmt"
	"runtime/debug"
	"strconv"

	"complaints/internal/sqlrows"
)

// linkCustomers finds the customers: two records are the same customer when they share any identifier key (ID,
// phone or card; domain.md section 5), and transitively so (a hotline record with only a phone, a referral with
// that phone and an ID, a letter with that ID are one customer). Keys are nodes prefixed i:, p:, c: by kind (so
// an ID hash can never meet a phone hash of the same digits). SQL numbers the nodes of the distinct key triples
// with two or more keys in the order of their text (cust_nodes), so the smallest number of a component is its
// smallest key; Go streams the triples as numbers (never the complaints, never the key text) through union-find
// on int32 slices and sends back, as numbers, every node whose component's root is another node; SQL turns them
// into node_root (node, the root key's value). 26_customers gives each complaint the customer of its first key:
// the smallest key of the component, stable from run to run. The complaints of core take part (24_core: every
// complaint in a full normalise, the complaints of the customers it can change in an incremental one: whole
// components).
func linkCustomers(ctx context.Context, db querier) error {
	for _, q := range []string{
		"CREATE OR REPLACE TEMP TABLE node_root (node VARCHAR, customer VARCHAR)",
		`CREATE OR REPLACE TEMP TABLE cust_triples AS
		SELECT DISTINCT 'i:' || nullif(customer_id_key, '') AS i, 'p:' || nullif(customer_phone_key, '') AS p,
		       'c:' || nullif(customer_card_key, '') AS c
		FROM core
		WHERE (nullif(customer_id_key, '') IS NOT NULL)::INT + (nullif(customer_phone_key, '') IS NOT NULL)::INT
		    + (nullif(customer_card_key, '') IS NOT NULL)::INT > 1`,
		`CREATE OR REPLACE TEMP TABLE cust_nodes AS
		SELECT node, (row_number() OVER (ORDER BY node) - 1)::INTEGER AS id
		FROM (SELECT i AS node FROM cust_triples UNION SELECT p FROM cust_triples UNION SELECT c FROM cust_triples)
		WHERE node IS NOT NULL`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("normalize: link customers: %w", err)
		}
	}
	var n int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM cust_nodes").Scan(&n); err != nil {
		return fmt.Errorf("normalize: link customers: %w", err)
	}
	parent := make([]int32, n)
	for i := range parent {
		parent[i] = int32(i)
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
		if rb < ra {
			ra, rb = rb, ra
		}
		parent[rb] = ra // the smaller number, i.e. the smaller key, is the root
	}
	err := sqlrows.Each(ctx, db, func(ks *[3]sql.NullInt32) []any { return []any{&ks[0], &ks[1], &ks[2]} }, func(ks [3]sql.NullInt32) error {
		first := int32(-1)
		for _, k := range ks {
			if !k.Valid {
				continue
			}
			if first < 0 {
				first = k.Int32
			} else {
				union(first, k.Int32)
			}
		}
		return nil
	}, `SELECT ni.id, np.id, nc.id FROM cust_triples t
		LEFT JOIN cust_nodes ni ON ni.node = t.i LEFT JOIN cust_nodes np ON np.node = t.p LEFT JOIN cust_nodes nc ON nc.node = t.c`)
	if err != nil {
		return fmt.Errorf("normalize: link customers: %w", err)
	}
	// node numbers and their roots go back as text, "node root,node root,..." in chunks, into cust_pairs; one
	// join with cust_nodes then gives node_root (a set: the order does not matter)
	if _, err := db.ExecContext(ctx, "CREATE OR REPLACE TEMP TABLE cust_pairs (id INTEGER, root INTEGER)"); err != nil {
		return fmt.Errorf("normalize: link customers: %w", err)
	}
	const chunk = 200000
	var buf []byte
	send := func() error {
		if len(buf) == 0 {
			return nil
		}
		_, err := db.ExecContext(ctx, `INSERT INTO cust_pairs
			SELECT CAST(split_part(pair, ' ', 1) AS INTEGER), CAST(split_part(pair, ' ', 2) AS INTEGER)
			FROM (SELECT unnest(string_split(?, ',')) AS pair) WHERE pair <> ''`, string(buf))
		buf = buf[:0]
		return err
	}
	count := 0
	for id := range parent {
		root := find(int32(id))
		if root == int32(id) {
			continue
		}
		buf = strconv.AppendInt(buf, int64(id), 10)
		buf = append(buf, ' ')
		buf = strconv.AppendInt(buf, int64(root), 10)
		buf = append(buf, ',')
		if count++; count%chunk == 0 {
			if err := send(); err != nil {
				return fmt.Errorf("normalize: link customers: %w", err)
			}
		}
	}
	if err := send(); err != nil {
		return fmt.Errorf("normalize: link customers: %w", err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO node_root SELECT n.node, substr(r.node, 3)
		FROM cust_pairs p JOIN cust_nodes n ON n.id = p.id JOIN cust_nodes r ON r.id = p.root`); err != nil {
		return fmt.Errorf("normalize: link customers: %w", err)
	}
	for _, q := range []string{"DROP TABLE cust_triples", "DROP TABLE cust_nodes", "DROP TABLE cust_pairs"} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("normalize: link customers: %w", err)
		}
	}
	parent = nil
	debug.FreeOSMemory() // the normalise's peak, the write step, comes later
	return nil
}
