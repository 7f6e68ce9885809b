package store_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/store/storetest"
)

// released0052 is the SHA-256 of 0052 as released (0052_follow_ups.sql,
// testdata), which the repair migration 0063 covers.
const released0052 = "bcd22c065defcd911b70e4464edd048536ace6e16c5f709f48f962d4164cc53e"

// TestChangedMigrationIsRefused: a database whose applied migration no
// longer matches its file is refused by name; one from before checksums
// gets them recorded and starts.
func TestChangedMigrationIsRefused(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			st := storetest.Open(t, dsn(t))
			exec(t, st, "ALTER TABLE schema_migrations DROP COLUMN checksum")
			if err := st.Migrate(ctx); err != nil {
				t.Fatalf("a database from before checksums: %v", err)
			}
			raw, err := fs.ReadFile(store.MigrationFiles(), "0010_calendar.sql")
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(raw)
			if got := checksum(t, st, 10); got != hex.EncodeToString(sum[:]) {
				t.Errorf("checksum of 0010 recorded as %q, want the file's %x", got, sum)
			}
			exec(t, st, "UPDATE schema_migrations SET checksum = 'e3b0c442' WHERE version = 10")
			err = st.Migrate(ctx)
			if err == nil || !strings.Contains(err.Error(), "0010_calendar.sql") {
				t.Fatalf("migrate with 0010 changed: %v, want an error naming 0010_calendar.sql", err)
			}
			// The released 0052's checksum is accepted for 0052 only.
			exec(t, st, "UPDATE schema_migrations SET checksum = NULL WHERE version = 10")
			exec(t, st, "UPDATE schema_migrations SET checksum = '"+released0052+"' WHERE version = 53")
			if err := st.Migrate(ctx); err == nil || !strings.Contains(err.Error(), "0053_") {
				t.Fatalf("migrate with 0053 recorded as the old 0052: %v, want an error naming 0053", err)
			}
		})
	}
}

// TestRepairOfReleased0052: a database made with 0052 as released (table
// review_followups), before checksums were stored, migrates to today's
// schema with its later reviews kept.
func TestRepairOfReleased0052(t *testing.T) {
	old, err := os.ReadFile("testdata/0052_follow_ups.sql")
	if err != nil {
		t.Fatal(err)
	}
	if sum := sha256.Sum256(old); hex.EncodeToString(sum[:]) != released0052 {
		t.Fatalf("testdata/0052_follow_ups.sql has sha256 %x, not the released file's %s", sum, released0052)
	}
	released := migrationsBefore(t, "0052")
	released["0052_follow_ups.sql"] = &fstest.MapFile{Data: old}
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			st := openMigrated(t, dsn(t), released)
			exec(t, st, "INSERT INTO review_followups (txn, stage, review, follows) VALUES ('T1', 'acceptance', 2, 1)")
			exec(t, st, "ALTER TABLE schema_migrations DROP COLUMN checksum")

			if err := st.Migrate(ctx); err != nil {
				t.Fatalf("migrate a database made with the released 0052: %v", err)
			}
			var txn string
			var follows int
			if err := st.DB().QueryRow("SELECT txn, follows FROM review_later").Scan(&txn, &follows); err != nil || txn != "T1" || follows != 1 {
				t.Errorf("review_later holds %q following %d (%v), want the later review of T1 following 1", txn, follows, err)
			}
			if got := checksum(t, st, 52); got != released0052 {
				t.Errorf("0052 recorded with checksum %s, want the released file's", got)
			}
			if err := st.Migrate(ctx); err != nil {
				t.Fatalf("migrate again: %v", err)
			}
			fresh := storetest.Open(t, dsn(t))
			if got, want := storetest.Schema(t, st), storetest.Schema(t, fresh); got != want {
				t.Errorf("schema after the repair differs from a fresh database's:\n%s", storetest.DiffLines(want, got))
			}
		})
	}
}

func exec(t *testing.T, st *store.Store, q string) {
	t.Helper()
	if _, err := st.DB().Exec(q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func checksum(t *testing.T, st *store.Store, version int) string {
	t.Helper()
	var sum string
	q := "SELECT checksum FROM schema_migrations WHERE version = ?"
	if st.Postgres() {
		q = "SELECT checksum FROM schema_migrations WHERE version = $1"
	}
	if err := st.DB().QueryRow(q, version).Scan(&sum); err != nil {
		t.Fatal(err)
	}
	return sum
}

// migrationsBefore is the migration files numbered before version.
func migrationsBefore(t *testing.T, version string) fstest.MapFS {
	t.Helper()
	files, err := fs.Glob(store.MigrationFiles(), "*.sql")
	if err != nil {
		t.Fatal(err)
	}
	out := fstest.MapFS{}
	for _, f := range files {
		if f < version {
			raw, _ := fs.ReadFile(store.MigrationFiles(), f)
			out[f] = &fstest.MapFile{Data: raw}
		}
	}
	return out
}

// openMigrated opens dsn with only the migrations of fsys applied.
func openMigrated(t *testing.T, dsn string, fsys fs.FS) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.ApplyMigrations(context.Background(), fsys); err != nil {
		t.Fatalf("migrations before today's: %v", err)
	}
	return st
}
