package main

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/haocha/haocha/internal/store/storetest"
)

// TestUpgradeFromFixture: a database made by the previous release
// (testdata/upgrade, made by scripts/upgrade-fixture.sh) upgrades with
// haocha migrate, keeps every row of its main tables and its audit trail,
// and ends with the schema of a fresh database.
func TestUpgradeFromFixture(t *testing.T) {
	key, err := filepath.Abs("testdata/upgrade/haocha-key.txt")
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("HAOCHA_KEY_FILE", key)
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			db, driver, dump := filepath.Join(t.TempDir(), "old.db"), "sqlite", "testdata/upgrade/sqlite.sql"
			if name == "postgres" {
				db, driver, dump = newDatabase(t), "pgx", "testdata/upgrade/postgres.sql"
			}
			loadDump(t, driver, db, dump)
			tables := []string{"reviews", "review_later", "work_orders", "work_order_steps", "transactions", "users", "api_tokens", "audit_log", "units", "items"}
			before := rowCounts(t, driver, db, tables)

			if out, err := runCLI(t, "migrate", "--db", db); err != nil {
				t.Fatalf("haocha migrate on the previous release's database: %v\n%s", err, out)
			}
			after := rowCounts(t, driver, db, tables)
			for _, table := range tables {
				if before[table] == 0 || after[table] != before[table] {
					t.Errorf("%s: %d rows in the fixture, %d after the upgrade; want the same, at least one", table, before[table], after[table])
				}
			}
			if out, err := runCLI(t, "audit", "verify", "--db", db); err != nil || !strings.Contains(out, "intact") {
				t.Errorf("audit verify after the upgrade: %v\n%s", err, out)
			}
			upgraded, err := openStore(t.Context(), db)
			if err != nil {
				t.Fatal(err)
			}
			defer upgraded.Close()
			fresh := storetest.Open(t, dsn(t))
			if got, want := storetest.Schema(t, upgraded), storetest.Schema(t, fresh); got != want {
				t.Errorf("schema after the upgrade differs from a fresh database's:\n%s", storetest.DiffLines(want, got))
			}
		})
	}
}

// loadDump runs the SQL of a plain dump on the database dsn, on one
// connection closed after (a PostgreSQL dump empties its search path).
func loadDump(t *testing.T, driver, dsn, file string) {
	t.Helper()
	text, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(string(text)); err != nil {
		t.Fatalf("load %s: %v", file, err)
	}
}

func rowCounts(t *testing.T, driver, dsn string, tables []string) map[string]int {
	t.Helper()
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	n := map[string]int{}
	for _, table := range tables {
		var c int
		if err := db.QueryRow("SELECT COUNT(*) FROM " + table).Scan(&c); err != nil {
			t.Fatalf("count %s: %v", table, err)
		}
		n[table] = c
	}
	return n
}
