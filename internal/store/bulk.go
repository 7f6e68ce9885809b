package store

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/workorder"
)

// CreateReviews stores many reviews in one transaction, with their work
// orders and rollups, many rows to a statement: the demo generator and
// imports of historical reviews use it. A repeated transaction and stage
// fails the whole batch. Reviews must already be checked and resolved.
func (s *Store) CreateReviews(ctx context.Context, rs []*review.Review) error {
	if len(rs) == 0 {
		return nil
	}
	s.stamp(rs)
	first, last := rs[0].CreatedAt, rs[0].CreatedAt
	for _, r := range rs {
		first, last = minTime(first, r.CreatedAt), maxTime(last, r.CreatedAt)
	}
	if err := s.EnsurePartitions(ctx, first, last); err != nil {
		return err
	}
	bulk := s.bulk.Load()
	var ru rollupRows
	err := s.inRounds(ctx, func(run func([]stmt) error) ([]stmt, error) {
		n := numbers{table: s.reviewTable(), pg: s.pg, copy: s.pg && bulk != nil, now: s.Now()}
		var pre []stmt
		if bulk != nil && s.pg {
			// A bulk load that fails is loaded again: its commits need
			// not wait for the WAL's flush.
			pre = []stmt{{q: "SET LOCAL synchronous_commit = off"}}
		}
		if err := run(append(pre, s.reserve(rs, &n)...)); err != nil {
			return nil, err
		}
		// Thousands of reviews to a transaction: their rows, aggregated,
		// cost less than a delta row to fold (fold.go).
		ru = s.newRollupRows()
		stmts, _ := n.insertStmts(rs, ru, bulkRows)
		if bulk != nil {
			return stmts, nil // the load's rollups are written together
		}
		return append(stmts, ru.stmts()...), nil
	})
	if err == nil && bulk != nil {
		err = s.addBulk(ctx, bulk, ru)
	}
	if err == nil {
		s.dropMonths() // history may reach any month
	}
	return repeatedStage(rs, err)
}

// bulkRows and groupRows bound the rows of one INSERT: loads of history
// come in thousands, intake groups in at most maxGroup.
const (
	bulkRows  = 1024
	groupRows = maxGroup
)

// numbers are the review ids and work-order numbers a round reserved.
type numbers struct {
	ids, orders []int64
	// laters holds the first reviews of the later reviews stored; nil
	// when none may be (bulk loads).
	laters *laters
	// table names the table a review's row goes into (reviewTable); nil:
	// the parent, reviews.
	table func(*review.Review) string
	// pg: the rows go to PostgreSQL, as arrays (pgRowStmts); copy: by
	// COPY (pgCopyStmts), for bulk loads.
	pg, copy bool
	// now is the store's instant of the round: an order opened for a
	// review of an earlier day may fall due on a day the order rollups
	// have built, which it marks (orderDaysMark).
	now time.Time
}

// reserve is the statements that reserve ids for rs and numbers for the
// work orders they may open, into n. On SQLite the write transaction
// holds the only write lock, so the ids follow the largest; on
// PostgreSQL they come from the sequences. A number reserved for a
// review refused later is skipped, as a sequence skips one.
func (s *Store) reserve(rs []*review.Review, n *numbers) []stmt {
	orders := 0
	for _, r := range rs {
		if r.NeedsWorkOrder() {
			orders++
		}
	}
	var out []stmt
	if s.pg {
		out = append(out, stmt{q: "SELECT nextval('reviews_id_seq') FROM generate_series(1, ?)", args: []any{len(rs)},
			row: func(scan func(...any) error) error {
				var id int64
				err := scan(&id)
				n.ids = append(n.ids, id)
				return err
			}})
		if orders > 0 {
			out = append(out, stmt{q: "SELECT nextval('work_order_number_seq') FROM generate_series(1, ?)", args: []any{orders},
				row: func(scan func(...any) error) error {
					var v int64
					err := scan(&v)
					n.orders = append(n.orders, v)
					return err
				}})
		}
		return out
	}
	out = append(out, stmt{q: "SELECT COALESCE(MAX(id), 0) FROM reviews", row: func(scan func(...any) error) error {
		var max int64
		err := scan(&max)
		for i := range rs {
			n.ids = append(n.ids, max+1+int64(i))
		}
		return err
	}})
	if orders > 0 {
		out = append(out, stmt{q: `INSERT INTO counters (name, value) VALUES ('work_order', ?)
			ON CONFLICT (name) DO UPDATE SET value = counters.value + excluded.value RETURNING value`, args: []any{orders},
			row: func(scan func(...any) error) error {
				var last int64
				err := scan(&last)
				for i := range orders {
					n.orders = append(n.orders, last-int64(orders)+1+int64(i))
				}
				return err
			}})
	}
	return out
}

// insertStmts gives rs the reserved ids and returns the statements that
// store them, with their transactions, contacts and work orders, at most
// maxRows rows to a statement, and the work orders by index in rs. It
// counts rs into ru, which the caller saves. The reviews must be stamped
// with their time.
func (n *numbers) insertStmts(rs []*review.Review, ru rollupCounter, maxRows int) ([]stmt, []*workorder.NewOrder) {
	var txns, follows, contacts, wos []any
	// Rows by the table they go into, in the order the tables first come.
	var tables []string
	reviews := map[string][]any{}
	var superseded []stmt
	orders := make([]*workorder.NewOrder, len(rs))
	marked := map[int]bool{}
	for i, r := range rs {
		r.ID = n.ids[i]
		table := "reviews"
		if n.table != nil {
			table = n.table(r)
		}
		if _, ok := reviews[table]; !ok {
			tables = append(tables, table)
		}
		reviews[table] = appendReviewArgs(append(reviews[table], r.ID), r)
		switch {
		case r.Follows != 0:
			follows = append(follows, r.Transaction, r.Stage, r.ID, r.Follows)
			// The latest opinion counts, once it counts at all.
			if r.Held == "" {
				superseded = append(superseded, n.laters.supersede(r, ru)...)
			}
		case r.Transaction != "":
			txns = append(txns, r.Transaction, r.Stage, r.ID)
		}
		if r.Contact != nil {
			contacts = append(contacts, r.ID, r.Contact.Name, r.Contact.Phone)
		}
		// A later review opens a work order only when its first did not.
		if r.NeedsWorkOrder() && (r.Follows == 0 || !n.laters.byID[r.Follows].HasOrder) {
			var seq int64
			seq, n.orders = n.orders[0], n.orders[1:]
			orders[i] = newOrder(r, seq)
			now := millis(r.CreatedAt)
			wos = append(wos, orders[i].Number, r.ID, "new", 1, now, now, HashToken(orders[i].Token), r.Held != "")
			if dayOf(r.CreatedAt) < dayOf(n.now) {
				for _, d := range orderSpanDays(r.CreatedAt) {
					marked[d] = true
				}
			}
		}
		// A held review counts nowhere until a supervisor releases it.
		if r.Held == "" {
			ru.add(r, 1)
		}
	}
	rowStmts := rowInserter(n.pg)
	if n.copy {
		rowStmts = pgCopyStmts
	}
	var out []stmt
	for _, table := range tables {
		out = append(out, rowStmts(table, join(plain("id"), reviewColumns), "", reviews[table], maxRows)...)
	}
	// No ON CONFLICT: a transaction and stage claimed since admit read them
	// fails the transaction (repeatedStage), and the group is stored again.
	out = append(out, rowStmts("review_transactions", plain("txn", "stage", "review"), "", txns, maxRows)...)
	out = append(out, rowStmts("review_later", plain("txn", "stage", "review", "follows"), "", follows, maxRows)...)
	out = append(out, superseded...)
	out = append(out, rowStmts("review_contacts", plain("review", "name", "phone"), "", contacts, maxRows)...)
	out = append(out, rowStmts("work_orders", workOrderColumns, "", wos, maxRows)...)
	days := make([]int, 0, len(marked))
	for d := range marked {
		days = append(days, d)
	}
	sort.Ints(days)
	return append(out, orderDaysMark(days, n.now)...), orders
}

// pgCopy is rows for COPY into table's columns cols.
type pgCopy struct {
	table string
	cols  []string
	rows  [][]any
}

func (p *pgCopy) run(ctx context.Context, c *pgx.Conn) error {
	if _, err := c.CopyFrom(ctx, pgx.Identifier{p.table}, p.cols, pgx.CopyFromRows(p.rows)); err != nil {
		return fmt.Errorf("copy into %s: %w", p.table, err)
	}
	return nil
}

// pgCopyStmts is rowStmts for a bulk load into PostgreSQL: the rows of
// args go by COPY, which the server takes without a statement to parse
// and plan or arrays to take apart. An upsert (suffix) cannot: its rows
// go as pgRowStmts.
func pgCopyStmts(table string, cols columns, suffix string, args []any, max int) []stmt {
	n, w := len(args)/len(cols), len(cols)
	if n == 0 || suffix != "" {
		return pgRowStmts(table, cols, suffix, args, max)
	}
	p := &pgCopy{table: table, rows: make([][]any, n)}
	for _, c := range cols {
		p.cols = append(p.cols, c.name)
	}
	for i := range p.rows {
		p.rows[i] = args[i*w : (i+1)*w : (i+1)*w]
	}
	return []stmt{{copy: p}}
}

var workOrderColumns = plain("number", "review", "state", "round", "created_at", "updated_at", "citizen_token", "suspected")

// repeatedStage turns the failure of a transaction and stage stored twice
// into a conflict: the one-review-per-transaction-and-stage rule.
func repeatedStage(rs []*review.Review, err error) error {
	if uniqueViolation(err, "review_later") {
		return apperr.New(apperr.Conflict, "later_review", "a review of the group has a later review already: %v", err)
	}
	if err == nil || !uniqueViolation(err, "review_transactions") {
		return err
	}
	if len(rs) == 1 {
		return repeatedTransaction(rs[0])
	}
	return apperr.New(apperr.Conflict, "transaction", "a transaction and stage of the group is reviewed already: %v", err)
}

// WithoutReviewIndexes runs fn, a bulk load of many reviews, with the
// secondary indexes of reviews and their rollups dropped, and builds them
// again afterwards: one sort per index instead of millions of scattered
// inserts. Reads that
// need those indexes are slow meanwhile; a process that dies midway leaves
// them missing until this runs again, so it suits loading a database
// before it serves, as the demo does for large volumes.
//
// Meanwhile CreateReviews keeps the rollups in memory and writes them a
// million rows at a time (bulkRollups), and the load's commits do not wait
// for the disk (SQLite's synchronous OFF, with a bigger page cache for the
// writer; PostgreSQL's synchronous_commit off): a crash may lose the
// last of them, and a load that fails is loaded again, as the database
// serves nothing before it is loaded.
func (s *Store) WithoutReviewIndexes(ctx context.Context, fn func() error) (err error) {
	b := &bulkRollups{ru: rollupRows{rows: map[rollupKey]*tallyRow{}, unverified: map[rollupKey]*tallyRow{}}}
	if !s.bulk.CompareAndSwap(nil, b) {
		return fmt.Errorf("bulk load: another one is running")
	}
	defer s.bulk.Store(nil)
	defer bulkGC()()
	if !s.pg {
		restore, err := s.bulkPragmas(ctx)
		if err != nil {
			return err
		}
		defer func() {
			if e := restore(); e != nil && err == nil {
				err = e
			}
		}()
	}
	load := fn
	fn = func() error {
		if err := load(); err != nil {
			return err
		}
		b.mu.Lock()
		defer b.mu.Unlock()
		return s.flushBulk(ctx, b)
	}
	return s.withoutIndexes(ctx, fn)
}

// bulkGCPercent is the collector's goal (GOGC) during a bulk load. The
// rollups it keeps, a million rows across batches, are most of its heap,
// and collecting at every doubling of the heap marked them again and
// again: 12% of a SQLite load's CPU, 30% of a PostgreSQL one's. The heap
// may grow to about four times what it holds.
const bulkGCPercent = 300

// bulkGC raises the collector's goal to bulkGCPercent, unless it is
// higher or off already, and returns what sets it back.
func bulkGC() (restore func()) {
	old := debug.SetGCPercent(bulkGCPercent)
	if old < 0 || old > bulkGCPercent {
		debug.SetGCPercent(old)
	}
	return func() { debug.SetGCPercent(old) }
}

// bulkLitePragmas are the SQLite writer's settings during a bulk load: no
// fsync per commit, at least 256 MiB of page cache for the rollup
// tables' and unique indexes' pages, and the sorter's helper threads, so
// that building the indexes again sorts on every core.
var bulkLitePragmas = []string{"synchronous", "cache_size", "threads"}

// bulkPragmas sets the writer for a bulk load and returns what sets it
// back. The writer pool keeps its one connection (no idle timeout), so
// the settings hold for the load; a connection opened again in between
// would have the shipped ones, which are only slower.
func (s *Store) bulkPragmas(ctx context.Context) (func() error, error) {
	old := make([]int64, len(bulkLitePragmas))
	for i, p := range bulkLitePragmas {
		if err := s.w.QueryRowContext(ctx, "PRAGMA "+p).Scan(&old[i]); err != nil {
			return nil, fmt.Errorf("read pragma %s: %w", p, err)
		}
	}
	set := func(values []int64) error {
		for i, p := range bulkLitePragmas {
			if _, err := s.w.ExecContext(context.WithoutCancel(ctx), fmt.Sprintf("PRAGMA %s = %d", p, values[i])); err != nil {
				return fmt.Errorf("set pragma %s: %w", p, err)
			}
		}
		return nil
	}
	// A bigger cache given in the DSN (a negative cache_size is in KiB)
	// is kept.
	if err := set([]int64{0, min(old[1], -256<<10), max(old[2], int64(runtime.NumCPU()))}); err != nil {
		return nil, err
	}
	return func() error { return set(old) }, nil
}

// bulkIndexedTables are the tables whose secondary indexes a bulk load
// drops and builds again (withoutIndexes): the reviews, and the rollups,
// whose by-day index each flushed row would otherwise update at a
// scattered place, as their upserts need only the primary key.
var bulkIndexedTables = []string{"reviews", "review_rollups", "review_rollups_unverified", "review_rollups_monthly", "review_rollups_unverified_monthly"}

// withoutIndexes runs fn with the secondary indexes of bulkIndexedTables
// dropped and builds them again afterwards.
func (s *Store) withoutIndexes(ctx context.Context, fn func() error) (err error) {
	tables := "'" + strings.Join(bulkIndexedTables, "', '") + "'"
	q := `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN (` + tables + `) AND sql IS NOT NULL`
	if s.pg {
		// Indexes that back a constraint (primary keys, UNIQUE) stay:
		// the load's upserts and conflicts need them.
		q = `SELECT indexname, indexdef FROM pg_indexes
			WHERE schemaname = current_schema() AND tablename IN (` + tables + `) AND indexname NOT LIKE '%_pkey'
			AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE connamespace = current_schema()::regnamespace)`
	}
	rows, err := s.w.QueryContext(ctx, q)
	if err != nil {
		return fmt.Errorf("list review indexes: %w", err)
	}
	var names, defs []string
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			rows.Close()
			return err
		}
		// The parent's definition reads ON ONLY; built again it must
		// cover the partitions too.
		names, defs = append(names, name), append(defs, strings.Replace(def, " ON ONLY ", " ON ", 1))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, name := range names {
		if _, err := s.w.ExecContext(ctx, "DROP INDEX "+name); err != nil {
			return fmt.Errorf("drop index %s: %w", name, err)
		}
	}
	defer func() {
		for i, def := range defs {
			if _, e := s.w.ExecContext(context.WithoutCancel(ctx), def); e != nil && err == nil {
				err = fmt.Errorf("build index %s again: %w", names[i], e)
			}
		}
	}()
	return fn()
}
