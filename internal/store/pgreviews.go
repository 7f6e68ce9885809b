package store

import (
	"strings"

	"github.com/jackc/pgx/v5/pgtype"
)

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

// pgCommitters is how many committers group reviews on PostgreSQL: two, so
// that one gathers the next group while the other's commit waits for
// its flush. A group costs PostgreSQL's backends some 540 µs of CPU
// whatever its size, and a review in it some 45 more
// (BenchmarkStoreGroup: 590 µs a review in groups of 1, 80 in groups of
// 16). Four committers split 16 clients into groups of 3 reviews
// (about 225 µs a review); two into groups of 5 (about 150). Groups
// committed at once cost no less each: with 16 callers
// (BenchmarkConcurrentGroups, load 37–39) two committers took groups of
// 7.6–7.9 reviews at 197–200 µs of backend CPU a review, four 4.0–5.4 at
// 283–347, eight 2.1–2.4 at 623–687. A variable only for that benchmark.
var pgCommitters = 2
