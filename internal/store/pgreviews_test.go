package store

import (
	"strings"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/review"
)

// Every row a group or a fold stores goes to PostgreSQL as one INSERT a
// table: a column added to one of them without its array type here falls
// back to the dearer VALUES lists, one statement per shape.
func TestPostgresColumnTypes(t *testing.T) {
	r := &review.Review{ID: 7, CreatedAt: time.UnixMilli(1784000000000), Channel: "pc", Item: "GA-001", Stage: "acceptance",
		Unit: "310101", Stars: 2, Scores: []int{3, 4}, Comment: "等了很久", ClientMark: "d", NetMark: "n", Transaction: "T1"}
	ru := rollupRows{rows: map[rollupKey]*tallyRow{}, unverified: map[rollupKey]*tallyRow{}, pg: true}
	ru.add(r, 1)
	tables := map[string]struct {
		cols columns
		row  []any
	}{
		"reviews":             {join(plain("id"), reviewColumns), append([]any{r.ID}, reviewArgs(r)...)},
		"review_transactions": {plain("txn", "stage", "review"), []any{"T1", "acceptance", int64(7)}},
		"review_later":        {plain("txn", "stage", "review", "follows"), []any{"T1", "acceptance", int64(8), int64(7)}},
		"review_contacts":     {plain("review", "name", "phone"), []any{int64(7), "王", "13800000000"}},
		"work_orders":         {workOrderColumns, []any{"GD1", int64(7), "new", 1, int64(1), int64(1), "h", false}},
	}
	for table, c := range tables {
		two := append(append([]any{}, c.row...), c.row...)
		got := pgRowStmts(table, c.cols, "", two, 128)
		if len(got) != 1 || !strings.Contains(got[0].q, "unnest(") {
			t.Errorf("%s: %d statements, the first %.80q; want one INSERT from unnest", table, len(got), got[0].q)
		}
	}
	for _, st := range ru.stmts() {
		if !strings.Contains(st.q, "unnest(") || !strings.Contains(st.q, "ON CONFLICT") {
			t.Errorf("rollups: %.80q; want one upsert from unnest a table", st.q)
		}
	}
	if n, want := len(ru.stmts()), len(ru.tables()); n != want {
		t.Errorf("rollups: %d statements, want %d (one a table: the day and month rollups, verified and not)", n, want)
	}
}
