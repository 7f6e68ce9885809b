package store

import (
	"bytes"
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"slices"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// A group of reviews is stored in rounds of statements that do not need
// one another's results: the reads that decide what to store, then the
// writes with the commit. On PostgreSQL a round is one pipelined round trip
// (a pgx batch), so a group costs two round trips whatever its size; on
// SQLite a round runs statement by statement, each prepared once per
// connection, so SQLite's parser runs once per statement shape rather than
// once per group. Statements take few shapes: row lists and IN lists are
// cut or padded to powers of two (shapes), so the prepared statements of
// both backends stay few and are reused.

// stmt is one statement of a round; row, when set, is called for each row
// it returns.
type stmt struct {
	q    string
	args []any
	row  func(scan func(dest ...any) error) error
	// copy, when set, is rows that PostgreSQL takes with COPY instead
	// of q (pgCopyStmts): bulk loads only.
	copy *pgCopy
}

// inRounds runs fn in one write transaction on one connection: fn calls
// run for each round but the last, which it returns; that one is run with
// the commit.
func (s *Store) inRounds(ctx context.Context, fn func(run func([]stmt) error) ([]stmt, error)) error {
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return classify(fmt.Errorf("connect: %w", err))
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		if s.pg {
			c, ok := dc.(*stdlib.Conn)
			if !ok {
				return fmt.Errorf("rounds: PostgreSQL connection is a %T", dc)
			}
			if err := s.pgRounds(ctx, c.Conn(), fn); err != nil {
				return err
			}
			return s.sure(c.Conn().PgConn())
		}
		c, ok := dc.(liteConn)
		if !ok {
			return fmt.Errorf("rounds: SQLite connection is a %T", dc)
		}
		return s.liteRounds(ctx, c, fn)
	})
	return classify(err)
}

// pgRounds sends each round as one batch, the first opening the
// transaction and the last committing it.
func (s *Store) pgRounds(ctx context.Context, c *pgx.Conn, fn func(run func([]stmt) error) ([]stmt, error)) error {
	begun := false
	run := func(stmts []stmt) error {
		if !begun {
			stmts, begun = append([]stmt{{q: "BEGIN"}}, stmts...), true
		}
		return s.pgBatch(ctx, c, stmts)
	}
	last, err := fn(run)
	if err == nil && (begun || len(last) > 0) {
		err = run(append(last, stmt{q: "COMMIT"}))
	}
	if err != nil && begun {
		// The failed batch left the transaction open and aborted. On a
		// broken connection this fails too, and the server ends it.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
		c.Exec(rctx, "ROLLBACK")
		cancel()
	}
	return err
}

// pgBatch sends stmts as one batch, or as one batch before and one
// after each COPY among them.
func (s *Store) pgBatch(ctx context.Context, c *pgx.Conn, stmts []stmt) error {
	for {
		i := slices.IndexFunc(stmts, func(st stmt) bool { return st.copy != nil })
		if i < 0 {
			return s.pgSend(ctx, c, stmts)
		}
		if i > 0 {
			if err := s.pgSend(ctx, c, stmts[:i]); err != nil {
				return err
			}
		}
		if err := stmts[i].copy.run(ctx, c); err != nil {
			return err
		}
		stmts = stmts[i+1:]
	}
}

func (s *Store) pgSend(ctx context.Context, c *pgx.Conn, stmts []stmt) error {
	if len(stmts) == 0 {
		return nil
	}
	b := &pgx.Batch{}
	for _, st := range stmts {
		b.Queue(s.rebindShape(st.q), st.args...)
	}
	br := c.SendBatch(ctx, b)
	for _, st := range stmts {
		if err := pgResult(br, st); err != nil {
			br.Close()
			return err
		}
	}
	return br.Close()
}

func pgResult(br pgx.BatchResults, st stmt) error {
	if st.row == nil {
		_, err := br.Exec()
		return err
	}
	rows, err := br.Query()
	if err != nil {
		return err
	}
	defer rows.Close()
	return eachRow(rows, st)
}

// eachRow calls st.row for each of rows: pgx's and database/sql's alike.
func eachRow(rows interface {
	Next() bool
	Scan(...any) error
	Err() error
}, st stmt) error {
	for rows.Next() {
		if err := st.row(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}

// rebindShape is rebind for the few statement shapes of rounds, numbered
// once each.
func (s *Store) rebindShape(q string) string {
	if v, ok := s.shapes.Load(q); ok {
		return v.(string)
	}
	n := s.rebind(q)
	s.shapes.Store(q, n)
	return n
}

// liteConn is what rounds need of a SQLite driver connection.
type liteConn interface {
	driver.ConnPrepareContext
	driver.ConnBeginTx
}

// liteStmts are statements prepared on one SQLite connection, by text.
type liteStmts struct {
	mu sync.Mutex
	by map[liteConn]map[string]driver.Stmt
}

func (p *liteStmts) get(ctx context.Context, c liteConn, q string) (driver.Stmt, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.by == nil {
		p.by = map[liteConn]map[string]driver.Stmt{}
	}
	m := p.by[c]
	if m == nil {
		m = map[string]driver.Stmt{}
		p.by[c] = m
	}
	if st := m[q]; st != nil {
		return st, nil
	}
	st, err := c.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	m[q] = st
	return st, nil
}

// liteRounds runs each round statement by statement in one transaction.
func (s *Store) liteRounds(ctx context.Context, c liteConn, fn func(run func([]stmt) error) ([]stmt, error)) error {
	t, err := c.BeginTx(ctx, driver.TxOptions{})
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	run := func(stmts []stmt) error {
		for _, st := range stmts {
			if err := s.liteExec(ctx, c, st); err != nil {
				return err
			}
		}
		return nil
	}
	last, err := fn(run)
	if err == nil {
		err = run(last)
	}
	if err != nil {
		t.Rollback()
		return err
	}
	if err := t.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

func (s *Store) liteExec(ctx context.Context, c liteConn, st stmt) error {
	ps, err := s.lite.get(ctx, c, st.q)
	if err != nil {
		return err
	}
	// A group's INSERT binds thousands of values: the slice is reused,
	// not allocated per statement (it was a third of what intake
	// allocated per review on SQLite). The driver copies what it binds.
	bp := namedValues.Get().(*[]driver.NamedValue)
	args := slices.Grow((*bp)[:0], len(st.args))[:len(st.args)]
	defer func() {
		clear(args) // nothing kept alive from the pool
		*bp = args[:0]
		namedValues.Put(bp)
	}()
	for i, a := range st.args {
		v, err := driver.DefaultParameterConverter.ConvertValue(a)
		if err != nil {
			return fmt.Errorf("argument %d: %w", i+1, err)
		}
		args[i] = driver.NamedValue{Ordinal: i + 1, Value: v}
	}
	if st.row == nil {
		_, err := ps.(driver.StmtExecContext).ExecContext(ctx, args)
		return err
	}
	rows, err := ps.(driver.StmtQueryContext).QueryContext(ctx, args)
	if err != nil {
		return err
	}
	defer rows.Close()
	vals := make([]driver.Value, len(rows.Columns()))
	for {
		if err := rows.Next(vals); errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return err
		}
		if err := st.row(func(dest ...any) error { return scanValues(vals, dest) }); err != nil {
			return err
		}
	}
}

// namedValues are liteExec's argument slices.
var namedValues = sync.Pool{New: func() any { return new([]driver.NamedValue) }}

// scanValues stores a SQLite row's values in dest, for the types rounds
// read: integers, text and blobs.
func scanValues(vals []driver.Value, dest []any) error {
	if len(vals) != len(dest) {
		return fmt.Errorf("scan: %d columns into %d values", len(vals), len(dest))
	}
	for i, v := range vals {
		switch d := dest[i].(type) {
		case *int64:
			n, ok := v.(int64)
			if !ok {
				return fmt.Errorf("scan column %d: %T into int64", i, v)
			}
			*d = n
		case *int:
			n, ok := v.(int64)
			if !ok {
				return fmt.Errorf("scan column %d: %T into int", i, v)
			}
			*d = int(n)
		case *string:
			switch x := v.(type) {
			case string:
				*d = x
			case []byte:
				*d = string(x)
			default:
				return fmt.Errorf("scan column %d: %T into string", i, v)
			}
		case *[]byte:
			switch x := v.(type) {
			case []byte:
				*d = bytes.Clone(x)
			case string:
				*d = []byte(x)
			default:
				return fmt.Errorf("scan column %d: %T into []byte", i, v)
			}
		default:
			return fmt.Errorf("scan column %d: cannot scan into %T", i, dest[i])
		}
	}
	return nil
}

// shapes cuts n rows into runs whose lengths are powers of two, at most
// max (a power of two), largest first: 100 rows are 64 + 32 + 4.
func shapes(n, max int) []int {
	var out []int
	for n > 0 {
		k := min(max, 1<<(bits.Len(uint(n))-1))
		out = append(out, k)
		n -= k
	}
	return out
}

// padded is vals repeated at its last value up to a power of two, for an
// IN list of few shapes; a value listed twice matches as once.
func padded(vals []any) []any {
	if len(vals) == 0 {
		return vals
	}
	n := 1 << bits.Len(uint(len(vals)-1))
	for len(vals) < n {
		vals = append(vals, vals[len(vals)-1])
	}
	return vals
}

// rowStmts is the INSERTs of args into cols of table, len(cols) values a
// row, each ending with suffix, in runs of shapes up to max rows.
func rowStmts(table string, cols columns, suffix string, args []any, max int) []stmt {
	var out []stmt
	var names string
	for _, n := range shapes(len(args)/len(cols), max) {
		if names == "" {
			names = cols.names()
		}
		out = append(out, stmt{q: insertText(table, names, suffix, n, len(cols)), args: args[:n*len(cols)]})
		args = args[n*len(cols):]
	}
	return out
}

// insertShape names one text of rowStmts.
type insertShape struct {
	table, names, suffix string
	rows, cols           int
}

// insertTexts are the texts rowStmts made, by shape. Every group commit and
// every fold wrote each of its INSERTs anew, a fold's 128 rows of 41
// placeholders 16 KB a statement, only for the connection to find the
// statement it had prepared from the same text. Shapes are few (a table's
// powers of two up to its max), so the map stays small.
var insertTexts sync.Map // insertShape → string

func insertText(table, names, suffix string, rows, cols int) string {
	k := insertShape{table, names, suffix, rows, cols}
	if q, ok := insertTexts.Load(k); ok {
		return q.(string)
	}
	q := "INSERT INTO " + table + " (" + names + ") VALUES " + valueRows(rows, cols) + suffix
	insertTexts.Store(k, q)
	return q
}
