package store_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/store/storetest"
)

// Every read of reviews by a member, a mark or a time finds its rows
// through the index meant for it, on both backends: not by reading the
// whole table, nor every review of a period through reviews_created when
// it wants one member's. An index dropped or changed that a query still
// needs fails here, not at ten million reviews.
func TestReviewReadsUseIndexes(t *testing.T) {
	r := &review.Review{CreatedAt: storetest.Now, Channel: review.Window, Item: "SHGA-001", Stage: "accept", Unit: "310101",
		District: "310101", Hall: "H01", Window: "W01", Workstation: "WS01", Staff: "S01", Stars: 1,
		ClientMark: "c0ffee", NetMark: "beef", TextPrint: "f00d", Verification: review.Unverified}
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			st := storetest.Open(t, dsn(t))
			for _, q := range st.ReviewReads(r) {
				var used, scans []string
				if st.Postgres() {
					used, scans = pgPlan(t, st, q)
				} else {
					used, scans = sqlitePlan(t, st, q)
				}
				if len(scans) > 0 || !slices.Contains(used, q.Index) {
					t.Errorf("%s: want its rows through %s, plan uses %v and reads whole %v:\n%s", q.Name, q.Index, used, scans, q.Query)
				}
			}
		})
	}
}

// sqlitePlan returns the indexes of reviews q's plan searches, and the
// steps that read reviews whole: a SCAN (of the table or of a covering
// index), or a search by id from or up to an id.
func sqlitePlan(t *testing.T, st *store.Store, q store.PlanQuery) (used, scans []string) {
	t.Helper()
	rows, err := st.DB().Query("EXPLAIN QUERY PLAN "+q.Query, q.Args...)
	if err != nil {
		t.Fatalf("%s: %v", q.Name, err)
	}
	defer rows.Close()
	// reviews is read as itself or as r.
	whole := regexp.MustCompile(`^(SCAN (reviews|r)\b|SEARCH (reviews|r) USING INTEGER PRIMARY KEY \(rowid[<>])`)
	search := regexp.MustCompile(`^SEARCH (?:reviews|r) USING (?:COVERING )?INDEX (\w+) \(`)
	byID := regexp.MustCompile(`^SEARCH (?:reviews|r) USING INTEGER PRIMARY KEY \(rowid=\?\)`)
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		if whole.MatchString(detail) {
			scans = append(scans, detail)
		}
		if m := search.FindStringSubmatch(detail); m != nil {
			used = append(used, m[1])
		}
		// By id: PostgreSQL's primary key (id, created_at), by its name.
		if byID.MatchString(detail) {
			used = append(used, "reviews_pkey")
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return used, scans
}

// pgExplain is PostgreSQL's plan of q in tx. Empty test tables are
// cheapest read whole: what matters is which index could serve, so a
// sequential scan is priced out for the rest of tx.
func pgExplain(t *testing.T, tx *sql.Tx, q store.PlanQuery) pgNode {
	t.Helper()
	if _, err := tx.Exec("SET LOCAL enable_seqscan = off"); err != nil {
		t.Fatal(err)
	}
	var plan string
	if err := tx.QueryRow("EXPLAIN (FORMAT JSON) "+q.Query, q.Args...).Scan(&plan); err != nil {
		t.Fatalf("%s: %v", q.Name, err)
	}
	var root []struct{ Plan pgNode }
	if err := json.Unmarshal([]byte(plan), &root); err != nil {
		t.Fatal(err)
	}
	return root[0].Plan
}

// pgPlan returns the indexes of reviews (named as on the parent table) that
// q's plan, with sequential scans priced out, searches, and the nodes
// that read a partition of reviews whole: a sequential scan, or an index
// scan without a condition on an index that is not partial.
func pgPlan(t *testing.T, st *store.Store, q store.PlanQuery) (used, scans []string) {
	t.Helper()
	ctx := context.Background()
	tx, err := st.DB().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	root := pgExplain(t, tx, q)
	parents, partial := partitionIndexes(t, tx)
	var walk func(n pgNode, reviews bool)
	walk = func(n pgNode, reviews bool) {
		reviews = reviews || n.Relation == "reviews" || strings.HasPrefix(n.Relation, "reviews_")
		if reviews {
			switch {
			case n.Type == "Seq Scan":
				scans = append(scans, "Seq Scan on "+n.Relation)
			case (n.Type == "Index Scan" || n.Type == "Index Only Scan") && n.Cond == "" && !partial[n.Index]:
				scans = append(scans, n.Type+" using "+n.Index+" without a condition")
			}
			if p, ok := parents[n.Index]; ok && !slices.Contains(used, p) {
				used = append(used, p)
			}
		}
		for _, c := range n.Plans {
			// A bitmap heap scan's index scans are its children.
			walk(c, reviews && (n.Type == "Bitmap Heap Scan" || n.Type == "BitmapAnd" || n.Type == "BitmapOr"))
		}
	}
	walk(root, false)
	return used, scans
}

type pgNode struct {
	Type     string   `json:"Node Type"`
	Relation string   `json:"Relation Name"`
	Index    string   `json:"Index Name"`
	Cond     string   `json:"Index Cond"`
	Plans    []pgNode `json:"Plans"`
}

// partitionIndexes maps each index of a partition of reviews to the index
// of reviews it belongs to, and says which are partial.
func partitionIndexes(t *testing.T, tx *sql.Tx) (parents map[string]string, partial map[string]bool) {
	t.Helper()
	rows, err := tx.Query(`SELECT c.relname, p.relname, pg_get_indexdef(c.oid) LIKE '% WHERE %'
		FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
		JOIN pg_index x ON x.indexrelid = p.oid WHERE x.indrelid = 'reviews'::regclass`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	parents, partial = map[string]string{}, map[string]bool{}
	for rows.Next() {
		var name, parent string
		var isPartial bool
		if err := rows.Scan(&name, &parent, &isPartial); err != nil {
			t.Fatal(err)
		}
		parents[name], partial[name] = parent, isPartial
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return parents, partial
}

// Every index of reviews has its row in docs/developing.md's table, which
// says what reads it: an index added without a reader written down, or
// dropped with its row left, fails here.
func TestReviewIndexesDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/developing.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("(?m)^\\| `(reviews_[a-z_]+)` \\|")
	documented := map[string]bool{}
	for _, m := range row.FindAllStringSubmatch(string(doc), -1) {
		documented[m[1]] = true
	}
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			st := storetest.Open(t, dsn(t))
			q := "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'reviews' AND sql IS NOT NULL"
			if st.Postgres() {
				q = `SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'reviews'
					AND indexname NOT LIKE '%_pkey'`
			}
			rows, err := st.DB().Query(q)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var have []string
			for rows.Next() {
				var n string
				if err := rows.Scan(&n); err != nil {
					t.Fatal(err)
				}
				have = append(have, n)
				if !documented[n] {
					t.Errorf("index %s of reviews has no row in docs/developing.md's table of review indexes", n)
				}
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			sort.Strings(have)
			for n := range documented {
				if i := sort.SearchStrings(have, n); i == len(have) || have[i] != n {
					t.Errorf("docs/developing.md documents index %s, which reviews does not have", n)
				}
			}
		})
	}
}
