// Package backup copies a Haocha database to a file and restores it: for
// SQLite an online, consistent copy of the file (VACUUM INTO) that intake
// need not stop for; for PostgreSQL a logical dump by pg_dump in its
// custom format, restored by pg_restore. The master keys are not in the
// database and so not in the copy: they are backed up apart (docs/backup.md).
package backup

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"
)

// Backup copies the database dsn to the new file out. The file appears
// only once it is complete: a copy cut short leaves nothing under out.
func Backup(ctx context.Context, dsn, out string) error {
	if _, err := os.Stat(out); err == nil {
		return fmt.Errorf("backup: %s exists; name a new file", out)
	}
	partial := out + ".partial"
	os.Remove(partial)
	var err error
	if isPostgres(dsn) {
		err = dumpPostgres(ctx, dsn, partial)
	} else {
		err = copySQLite(ctx, dsn, partial)
	}
	if err == nil {
		// It holds what the database holds: for its owner alone.
		err = os.Chmod(partial, 0o600)
	}
	if err == nil {
		err = syncFile(partial)
	}
	if err != nil {
		os.Remove(partial)
		return fmt.Errorf("backup: %w", err)
	}
	return os.Rename(partial, out)
}

// Restore puts the backup in into the database dsn. A target that holds
// tables already is refused unless force is set: then it is replaced.
func Restore(ctx context.Context, dsn, in string, force bool) error {
	if _, err := os.Stat(in); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if isPostgres(dsn) {
		return restorePostgres(ctx, dsn, in, force)
	}
	return restoreSQLite(ctx, dsn, in, force)
}

// MasterKey is the fingerprint of the master key the database dsn needs
// (its settings record it), or "" when it records none.
func MasterKey(ctx context.Context, dsn string) string {
	db, err := open(dsn)
	if err != nil {
		return ""
	}
	defer db.Close()
	var v string
	db.QueryRowContext(ctx, "SELECT value FROM settings WHERE name = 'master_key'").Scan(&v)
	return v
}

func isPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// open opens dsn with one connection, read as Haocha reads it.
func open(dsn string) (*sql.DB, error) {
	var db *sql.DB
	var err error
	if isPostgres(dsn) {
		db, err = sql.Open("pgx", dsn)
	} else {
		db, err = sql.Open("sqlite", "file:"+(&url.URL{Path: sqliteFile(dsn)}).EscapedPath()+"?_pragma=busy_timeout(10000)")
	}
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

// sqliteFile is the file of a SQLite dsn, without its parameters.
func sqliteFile(dsn string) string {
	file, _, _ := strings.Cut(dsn, "?")
	return file
}

// copySQLite writes a consistent copy of the SQLite database to file.
// VACUUM INTO reads one snapshot: in WAL mode the server's writer goes on
// committing meanwhile, and nothing it commits after the snapshot is in
// the copy.
func copySQLite(ctx context.Context, dsn, file string) error {
	if _, err := os.Stat(sqliteFile(dsn)); err != nil {
		return err
	}
	db, err := open(dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", file); err != nil {
		return fmt.Errorf("copy %s: %w", sqliteFile(dsn), err)
	}
	return nil
}

// restoreSQLite copies the backup into place. A server must not have the
// target open; the target's stale -wal and -shm files go with it.
func restoreSQLite(ctx context.Context, dsn, in string, force bool) error {
	head := make([]byte, 16)
	f, err := os.Open(in)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	_, err = f.Read(head)
	f.Close()
	if err != nil || string(head) != "SQLite format 3\x00" {
		return fmt.Errorf("restore: %s is not a SQLite backup (made by haocha backup of a SQLite database?)", in)
	}
	target := sqliteFile(dsn)
	if !force {
		if n, err := tablesIn(ctx, dsn); err != nil {
			return fmt.Errorf("restore: read %s: %w", target, err)
		} else if n > 0 {
			return fmt.Errorf("restore: %s holds %d tables already; restore into a new database, or give --force to replace it", target, n)
		}
	}
	tmp := target + ".restoring"
	if err := copyFile(in, tmp); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("restore: %w", err)
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Remove(target + suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			os.Remove(tmp)
			return fmt.Errorf("restore: %w", err)
		}
	}
	if err := os.Rename(tmp, target); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	return nil
}

// tablesIn counts the tables of the database dsn (of its schema, on
// PostgreSQL); a SQLite file that does not exist has none.
func tablesIn(ctx context.Context, dsn string) (int, error) {
	q := "SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema()"
	if !isPostgres(dsn) {
		if st, err := os.Stat(sqliteFile(dsn)); errors.Is(err, fs.ErrNotExist) || (err == nil && st.Size() == 0) {
			return 0, nil
		}
		q = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'"
	}
	db, err := open(dsn)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var n int
	err = db.QueryRowContext(ctx, q).Scan(&n)
	return n, err
}

func copyFile(from, to string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		return err
	}
	return syncFile(to)
}

// syncFile flushes file and its directory entry to disk.
func syncFile(file string) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if d, err := os.Open(filepath.Dir(file)); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// tool finds a PostgreSQL client program on PATH.
func tool(name string) (string, error) {
	p, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("%s is not on PATH: install the PostgreSQL client of the server's major version (Debian: postgresql-client-15)", name)
	}
	return p, nil
}
