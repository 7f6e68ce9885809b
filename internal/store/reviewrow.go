package store

import "github.com/haocha/haocha/internal/review"

// ReviewRowInsert is the INSERT of rows review rows, as intake stores
// them but for their ids (which the database numbers), and ReviewRow a
// review's values for one of its rows, in order. The benchmarks' raw
// ceiling (internal/loadgen) writes them alone, with none of intake's
// other rows, to measure what the database itself can take.
func (s *Store) ReviewRowInsert(rows int) string {
	return s.rebind("INSERT INTO reviews (" + reviewColumns.names() + ") VALUES " + valueRows(rows, len(reviewColumns)))
}

// ReviewRow: see ReviewRowInsert.
func ReviewRow(r *review.Review) []any { return reviewArgs(r) }
