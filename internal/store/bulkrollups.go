package store

import (
	"context"
	"fmt"
	"sync"
)

// bulkRollupKeys bounds the rollup rows a bulk load keeps in memory
// (with the collector's slack, about a kilobyte each: a 10-million load
// reached 1.2 GB resident) before it adds them to the stored rollups; a
// variable for the tests, which write them several times.
var bulkRollupKeys = 1_000_000

// bulkFlushRows is how many rollup rows go to one transaction when a
// bulk load writes what it kept.
const bulkFlushRows = 50_000

// bulkRollups are the rollups of a bulk load (WithoutReviewIndexes),
// kept in memory across its batches and written a million rows at a
// time, in key order. Written with every batch, as intake writes them,
// each batch of a big load touched a row of every member's day: tens of
// thousands of scattered pages of the rollup tables and their indexes,
// most of them out of the page cache, written again for every batch (at
// 10 million reviews, most of a load's time).
type bulkRollups struct {
	mu sync.Mutex
	ru rollupRows
}

// add counts a committed batch's rollups in b and writes them all when b
// holds more than bulkRollupKeys rows.
func (s *Store) addBulk(ctx context.Context, b *bulkRollups, batch rollupRows) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	merge(b.ru.rows, batch.rows)
	merge(b.ru.unverified, batch.unverified)
	if len(b.ru.rows)+len(b.ru.unverified) <= bulkRollupKeys {
		return nil
	}
	return s.flushBulk(ctx, b)
}

// flushBulk writes b's rows to the stored rollups and empties b. The
// caller holds b.mu.
func (s *Store) flushBulk(ctx context.Context, b *bulkRollups) error {
	for _, t := range []struct {
		table string
		rows  map[rollupKey]*tallyRow
	}{{"review_rollups", b.ru.rows}, {"review_rollups_unverified", b.ru.unverified}} {
		keys := sortedRollupKeys(t.rows)
		for len(keys) > 0 {
			n := min(len(keys), bulkFlushRows)
			chunk := keys[:n]
			keys = keys[n:]
			err := s.inRounds(ctx, func(func([]stmt) error) ([]stmt, error) {
				if s.pg {
					return pgStagedRollupStmts(t.table, chunk, t.rows), nil
				}
				return rollupKeyStmts(t.table, chunk, t.rows, rowInserter(s.pg)), nil
			})
			if err != nil {
				return fmt.Errorf("bulk rollups: %w", err)
			}
		}
		clear(t.rows)
	}
	s.dropMonths()
	return nil
}

// pgStagedRollupStmts are the statements that add the rows of rows under
// keys to table on PostgreSQL: COPY into a temporary table, emptied at
// commit, then one upsert from it in key order. Sent as one statement of
// arrays, 50,000 rows took more of the loader's CPU to encode (a buffer
// of tens of megabytes grown again and again) than the rest of the load.
func pgStagedRollupStmts(table string, keys []rollupKey, rows map[rollupKey]*tallyRow) []stmt {
	staged := "bulk_" + table
	out := []stmt{{q: "CREATE TEMPORARY TABLE IF NOT EXISTS " + staged + " (LIKE " + table + ") ON COMMIT DELETE ROWS"}}
	copied := func(table string, cols columns, _ string, args []any, max int) []stmt {
		return pgCopyStmts(table, cols, "", args, max) // the upsert comes after
	}
	out = append(out, rollupKeyStmts(staged, keys, rows, copied)...)
	return append(out, stmt{q: "INSERT INTO " + table + " (" + rollupColumns.names() + ") SELECT " + rollupColumns.names() +
		" FROM " + staged + " ORDER BY " + rollupKeyColumns.names() + rollupUpdate(table)})
}

// merge adds the rows of from to into.
func merge(into, from map[rollupKey]*tallyRow) {
	for k, v := range from {
		d := into[k]
		if d == nil {
			into[k] = v
			continue
		}
		for i := range d.stars {
			d.stars[i] += v.stars[i]
			d.tags[i] += v.tags[i]
			d.defaults[i] += v.defaults[i]
		}
		for i := range d.sums {
			d.sums[i] += v.sums[i]
			d.cnts[i] += v.cnts[i]
		}
		d.linked += v.linked
	}
}
