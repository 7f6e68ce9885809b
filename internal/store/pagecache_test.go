package store

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"testing"
)

// TestPageCachesStayInBudget fills the page cache of every connection of
// a SQLite store, the writer's by storing a table several times its
// cache and each reader's by reading it, and checks that the memory the
// process took outside Go's heap meanwhile (SQLite's, through
// modernc.org/libc's allocator) stays within the store's cache budget and
// a margin for the connections' schemas and statements. With the caches
// given in KiB, as SQLite counts a page, a budget of 16 MiB took 32 MiB.
func TestPageCachesStayInBudget(t *testing.T) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("needs /proc to read the resident set")
	}
	const budget, margin = 16 << 20, 4 << 20
	ctx := context.Background()
	s, err := OpenCache(ctx, filepath.Join(t.TempDir(), "caches.db"), budget)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	before := outsideGoHeap(t)
	// Rows of most of a page each: 24 MiB, three times the writer's cache.
	if _, err := s.w.ExecContext(ctx, `CREATE TABLE pages (b BLOB)`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.ExecContext(ctx, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 6144)
		INSERT INTO pages SELECT randomblob(3500) FROM n`); err != nil {
		t.Fatal(err)
	}
	scan := func(q interface {
		QueryRowContext(context.Context, string, ...any) *sql.Row
	}) {
		var n int64
		if err := q.QueryRowContext(ctx, `SELECT SUM(LENGTH(b)) FROM pages`).Scan(&n); err != nil {
			t.Fatal(err)
		}
	}
	scan(s.w)
	// Every reader at once, so that each is a connection of its own.
	for range readers {
		c, err := s.r.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		scan(c)
	}
	grew := outsideGoHeap(t) - before
	t.Logf("memory outside Go's heap grew %.1f MiB with every page cache full; budget %d MiB", float64(grew)/(1<<20), budget>>20)
	if grew > budget+margin {
		t.Errorf("SQLite's page caches took %.1f MiB, over the budget of %d MiB and %d MiB of margin",
			float64(grew)/(1<<20), budget>>20, margin>>20)
	}
}

// outsideGoHeap is the process's anonymous resident memory that Go's
// runtime does not account for, after a collection that returns every
// free page of Go's heap to the system: with SQLite, its allocations.
func outsideGoHeap(t *testing.T) int64 {
	t.Helper()
	debug.FreeOSMemory()
	sample := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	metrics.Read(sample)
	goResident := int64(sample[0].Value.Uint64() - sample[1].Value.Uint64())
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.Lines(string(raw)) {
		if v, ok := strings.CutPrefix(line, "RssAnon:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err != nil {
				t.Fatalf("RssAnon %q: %v", v, err)
			}
			return kb<<10 - goResident
		}
	}
	t.Fatal("no RssAnon in /proc/self/status")
	return 0
}
