package backup_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/haocha/haocha/internal/backup"
)

func sqliteDB(t *testing.T, file string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", file)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

func count(t *testing.T, file string) int {
	t.Helper()
	db, err := sql.Open("sqlite", file)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM t").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestRestoreSQLite: a restore into a database with tables is refused
// unless forced, and then replaces it whole, its old WAL file with it;
// a backup is never written over an existing file.
func TestRestoreSQLite(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src, dst, file := filepath.Join(dir, "src.db"), filepath.Join(dir, "dst.db"), filepath.Join(dir, "b.backup")
	sqliteDB(t, src, "PRAGMA journal_mode=WAL", "CREATE TABLE t (x)", "INSERT INTO t VALUES (1), (2)")
	if err := backup.Backup(ctx, src, file); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(file); err != nil {
		t.Fatal(err)
	} else if fi.Mode().Perm() != 0o600 {
		t.Errorf("backup file mode %v, want 0600", fi.Mode().Perm())
	}
	if err := backup.Backup(ctx, src, file); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Errorf("backup over an existing file: %v, want a refusal", err)
	}
	sqliteDB(t, dst, "CREATE TABLE t (x)", "INSERT INTO t VALUES (9)")
	if err := os.WriteFile(dst+"-wal", []byte("stale"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := backup.Restore(ctx, dst, file, false); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("restore over a database with tables: %v, want a refusal naming --force", err)
	}
	if err := backup.Restore(ctx, dst, file, true); err != nil {
		t.Fatalf("restore --force: %v", err)
	}
	if n := count(t, dst); n != 2 {
		t.Errorf("the restored database holds %d rows, want the backup's 2", n)
	}
	if err := backup.Restore(ctx, filepath.Join(dir, "new.db"), src+"-nothing", false); err == nil {
		t.Error("restore of a missing backup file succeeded")
	}
}

// TestPostgresToolsMissing: without pg_dump on PATH a PostgreSQL backup
// says so and names the package, and leaves no file.
func TestPostgresToolsMissing(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	out := filepath.Join(t.TempDir(), "b.dump")
	err := backup.Backup(context.Background(), "postgres://haocha@127.0.0.1:5432/haocha", out)
	if err == nil || !strings.Contains(err.Error(), "pg_dump is not on PATH") {
		t.Errorf("backup without pg_dump: %v, want an error saying pg_dump is not on PATH", err)
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("%s was written", out)
	}
}
