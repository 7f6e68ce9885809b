package store

import (
	"context"
	"fmt"
	"strings"

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
	return s.inTx(ctx, func(t tx) error {
		ru := newRollups()
		if _, err := s.insertReviews(ctx, t, rs, ru); err != nil {
			return err
		}
		return ru.save(ctx, t)
	})
}

// insertReviews stores rs in t, many rows to a statement, with their
// transactions, contacts and work orders, and counts them into ru, which
// the caller saves. It returns the work orders created, by index in rs.
// The reviews must be stamped with their time.
func (s *Store) insertReviews(ctx context.Context, t tx, rs []*review.Review, ru rollups) ([]*workorder.NewOrder, error) {
	if err := s.assignIDs(ctx, t, rs); err != nil {
		return nil, err
	}
	var reviews, txns, contacts []any
	for _, r := range rs {
		reviews = append(append(reviews, r.ID), reviewArgs(r)...)
		if r.Transaction != "" {
			txns = append(txns, r.Transaction, r.Stage, r.ID)
		}
		if r.Contact != nil {
			contacts = append(contacts, r.ID, r.Contact.Name, r.Contact.Phone)
		}
		ru.add(r, 1)
	}
	if _, err := insertRows(ctx, t, "reviews", join(plain("id"), reviewColumns), "", reviews); err != nil {
		return nil, fmt.Errorf("insert reviews: %w", err)
	}
	n, err := insertRows(ctx, t, "review_transactions", plain("txn", "stage", "review"), " ON CONFLICT DO NOTHING", txns)
	if err != nil {
		return nil, fmt.Errorf("record transactions: %w", err)
	}
	if want := int64(len(txns) / 3); n != want {
		if len(rs) == 1 {
			return nil, repeatedTransaction(rs[0])
		}
		return nil, apperr.New(apperr.Conflict, "transaction", "%d reviews repeat a transaction and stage", want-n)
	}
	if _, err := insertRows(ctx, t, "review_contacts", plain("review", "name", "phone"), "", contacts); err != nil {
		return nil, fmt.Errorf("insert contacts: %w", err)
	}
	orders := make([]*workorder.NewOrder, len(rs))
	for i, r := range rs {
		if r.NeedsWorkOrder() {
			if orders[i], err = s.insertWorkOrder(ctx, t, r); err != nil {
				return nil, err
			}
		}
	}
	return orders, nil
}

// insertRows inserts args into cols of table, len(cols) values a row, in
// statements of at most a thousand rows, each ending with suffix. It
// returns the rows affected.
func insertRows(ctx context.Context, t tx, table string, cols columns, suffix string, args []any) (int64, error) {
	const perStatement = 1000
	var affected int64
	for len(args) > 0 {
		n := min(len(args)/len(cols), perStatement)
		q := "INSERT INTO " + table + " (" + cols.names() + ") VALUES " + valueRows(n, len(cols)) + suffix
		res, err := t.exec(ctx, q, args[:n*len(cols)]...)
		if err != nil {
			return affected, err
		}
		k, _ := res.RowsAffected()
		affected += k
		args = args[n*len(cols):]
	}
	return affected, nil
}

// assignIDs gives each review an id ahead of a many-row insert.
func (s *Store) assignIDs(ctx context.Context, t tx, rs []*review.Review) error {
	if !s.pg {
		// The write transaction holds SQLite's only write lock.
		var max int64
		if err := t.queryRow(ctx, "SELECT COALESCE(MAX(id), 0) FROM reviews").Scan(&max); err != nil {
			return fmt.Errorf("assign ids: %w", err)
		}
		for i, r := range rs {
			r.ID = max + 1 + int64(i)
		}
		return nil
	}
	rows, err := t.query(ctx, "SELECT nextval('reviews_id_seq') FROM generate_series(1, ?)", len(rs))
	if err != nil {
		return fmt.Errorf("assign ids: %w", err)
	}
	defer rows.Close()
	i := 0
	for rows.Next() && i < len(rs) {
		if err := rows.Scan(&rs[i].ID); err != nil {
			return err
		}
		i++
	}
	return rows.Err()
}

// WithoutReviewIndexes runs fn, a bulk load of many reviews, with the
// secondary indexes of reviews dropped, and builds them again afterwards:
// one sort per index instead of millions of scattered inserts. Reads that
// need those indexes are slow meanwhile; a process that dies midway leaves
// them missing until this runs again, so it suits loading a database
// before it serves, as the demo does for large volumes.
func (s *Store) WithoutReviewIndexes(ctx context.Context, fn func() error) (err error) {
	q := `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'reviews' AND sql IS NOT NULL`
	if s.pg {
		q = `SELECT indexname, indexdef FROM pg_indexes
			WHERE schemaname = current_schema() AND tablename = 'reviews' AND indexname NOT LIKE '%_pkey'`
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
