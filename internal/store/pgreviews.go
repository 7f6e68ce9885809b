package store

import (
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/haocha/haocha/internal/review"
)

// The PostgreSQL dialect of the group commit's rate counts (admit in
// reviews.go; SQLite's is markCounts). A group's statements cost the
// database more for being many than for what each does: each is a
// message, a portal and an executor start on a partition with a dozen
// indexes, and a group under honest load holds a few reviews, not a
// hundred. So the device and network rates of a group cost two statements
// whatever its size: one takes every mark's lock, the next counts every
// mark. They cannot be one: a statement reads with the snapshot it began
// with, so a count taken in the statement that waited for a lock would
// miss the reviews of the transaction that held it.

// pgMarkCounts returns the statements that count, into one map per
// markCount of mcs, the reviews each mark of rs has given within its
// window before the earliest of rs, for the markCounts that limit
// anything, holding each mark's lock (mc.lock, hashtext of the mark)
// until commit so that transactions of other committers and processes
// do not count past each other.
func (s *Store) pgMarkCounts(rs []*review.Review, mcs ...markCount) ([]map[string]int, []stmt) {
	counts := make([]map[string]int, len(mcs))
	lists := make([][]string, len(mcs))
	since, latest := rs[0].CreatedAt, rs[0].CreatedAt
	for _, r := range rs {
		since, latest = minTime(since, r.CreatedAt), maxTime(latest, r.CreatedAt)
	}
	var lockClasses []int32
	var lockMarks []string
	for i, mc := range mcs {
		counts[i] = map[string]int{}
		if mc.max <= 0 {
			continue
		}
		for _, r := range rs {
			if m := mc.mark(r); m != "" {
				if _, seen := counts[i][m]; !seen {
					counts[i][m] = 0
					lists[i] = append(lists[i], m)
					lockClasses, lockMarks = append(lockClasses, mc.lock), append(lockMarks, m)
				}
			}
		}
	}
	if len(lockMarks) == 0 {
		return counts, nil
	}
	// Taken in one order, class then mark, by every transaction that
	// takes them, so that no two wait on each other. PostgreSQL calls a
	// volatile function of the select list after the sort.
	//
	// An array unnested in these two goes through a subquery, (SELECT
	// ?): given the array itself, the planner counts its elements, finds
	// a plan for that many rows cheaper than the plan it would cache for
	// any, and so plans the statement again at every group (a quarter of
	// a millisecond for the counts, over a partition and its indexes).
	locks := stmt{q: "SELECT pg_advisory_xact_lock(k, hashtext(m)) FROM unnest((SELECT CAST(? AS INTEGER[])), (SELECT CAST(? AS TEXT[]))) v(k, m) ORDER BY k, m",
		args: []any{lockClasses, lockMarks}, row: func(func(...any) error) error { return nil }}
	var branches []string
	var args []any
	for i, mc := range mcs {
		if len(lists[i]) == 0 {
			continue
		}
		from := since.Add(-mc.window)
		count, countArgs := s.pgMarkCount(mc.col, from, latest)
		branches = append(branches, "SELECT CAST(? AS INTEGER), m, "+count+" FROM unnest((SELECT CAST(? AS TEXT[]))) v(m)")
		args = append(append(append(args, i), countArgs...), lists[i])
	}
	count := stmt{q: strings.Join(branches, " UNION ALL "), args: args,
		row: func(scan func(...any) error) error {
			var i int
			var mark string
			var n int
			err := scan(&i, &mark, &n)
			if err == nil {
				counts[i][mark] = n
			}
			return err
		}}
	return counts, []stmt{locks, count}
}

// pgMarkCount is the expression that counts the reviews of mark v.m in
// col created after from, and its arguments: a sum of one subquery per
// partition that can hold them (recentPartitions), or one of the parent.
// One mark a subquery, by equality, the planner keeps to the (col,
// created_at) index even in the plan it caches while a new month's
// partition is still empty; a list of marks (= ANY) it then planned as a
// scan of the whole partition, kept for as long as the connection and
// the table's statistics lasted.
func (s *Store) pgMarkCount(col string, from, latest time.Time) (string, []any) {
	parts := s.recentPartitions(from, latest)
	if parts == nil {
		parts = []string{"reviews"}
	}
	terms := make([]string, len(parts))
	args := make([]any, len(parts))
	for i, p := range parts {
		terms[i] = "(SELECT COUNT(*) FROM " + p + " WHERE " + col + " = v.m AND created_at > ?)"
		args[i] = millis(from)
	}
	return strings.Join(terms, " + "), args
}

// The rows a group stores go to PostgreSQL as one INSERT a table, each
// column one array (unnest), where SQLite takes rows in VALUES lists of a
// few shapes (rowStmts): a group of 13 reviews was three INSERTs of
// reviews (8 + 4 + 1 rows), each a statement and a plan of its own on
// each of the pool's connections, and a fold's hundreds of rollup rows a
// dozen upserts of thousands of parameters. One text a table is planned
// once per connection, whatever the rows.

// pgRowStmts is rowStmts for PostgreSQL: the one INSERT of args,
// len(cols) values a row, into cols of table, ending with suffix. Rows
// go in the order of args, which the rollups' lock order relies on; max
// does not apply.
func pgRowStmts(table string, cols columns, suffix string, args []any, max int) []stmt {
	n := len(args) / len(cols)
	if n == 0 {
		return nil
	}
	arrays := make([]any, len(cols))
	casts := make([]string, len(cols))
	for j, c := range cols {
		typ, ok := pgColumnTypes[c.name]
		if !ok {
			// A column this file does not know yet, or a value of
			// another type: the VALUES lists store them as well, only
			// dearer (TestPostgresColumnTypes).
			return rowStmts(table, cols, suffix, args, max)
		}
		casts[j] = "CAST(? AS " + typ + "[])"
		if arrays[j], ok = pgColumn(typ, args, j, len(cols), n); !ok {
			return rowStmts(table, cols, suffix, args, max)
		}
	}
	return []stmt{{q: "INSERT INTO " + table + " (" + cols.names() + ") SELECT * FROM unnest(" + strings.Join(casts, ", ") + ")" + suffix,
		args: arrays}}
}

// pgColumn is column j of the n rows in args, as an array of typ, and
// whether every value was NULL or of a Go type that typ takes.
func pgColumn(typ string, args []any, j, width, n int) (any, bool) {
	switch typ {
	case "BIGINT":
		out := make([]pgtype.Int8, n)
		for i := range out {
			switch v := args[i*width+j].(type) {
			case int64:
				out[i] = pgtype.Int8{Int64: v, Valid: true}
			case int:
				out[i] = pgtype.Int8{Int64: int64(v), Valid: true}
			case int32:
				out[i] = pgtype.Int8{Int64: int64(v), Valid: true}
			case nil:
			default:
				return nil, false
			}
		}
		return out, true
	case "BOOLEAN":
		out := make([]pgtype.Bool, n)
		for i := range out {
			switch v := args[i*width+j].(type) {
			case bool:
				out[i] = pgtype.Bool{Bool: v, Valid: true}
			case nil:
			default:
				return nil, false
			}
		}
		return out, true
	default: // TEXT
		out := make([]pgtype.Text, n)
		for i := range out {
			switch v := args[i*width+j].(type) {
			case string:
				out[i] = pgtype.Text{String: v, Valid: true}
			case nil:
			default:
				return nil, false
			}
		}
		return out, true
	}
}

// pgColumnTypes are the types of the arrays that carry the columns a
// group or a fold inserts, by name. Every integer goes as BIGINT: an
// INSERT casts it to a narrower column as it would a literal.
var pgColumnTypes = func() map[string]string {
	types := map[string]string{}
	for _, c := range strings.Fields(`channel item stage unit district hall window_code workstation staff comment
		reviewer_kind txn client_mark origin net_mark text_print held verification name phone number state
		citizen_token axis code`) {
		types[c] = "TEXT"
	}
	for _, c := range strings.Fields(`id created_at stars dimension_set score1 score2 score3 score4 score5 score6
		tags follows review round updated_at day shard`) {
		types[c] = "BIGINT"
	}
	for _, c := range rollupSumColumns {
		types[c.name] = "BIGINT"
	}
	types["anonymous"], types["suspected"] = "BOOLEAN", "BOOLEAN"
	return types
}()
