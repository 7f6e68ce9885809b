// Package storetest opens real databases for tests: a SQLite file in the
// test's temporary folder, and PostgreSQL when HAOCHA_TEST_POSTGRES holds a
// DSN, each test in a schema of its own.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/store"
)

// Backends lists the DSN makers to run store tests against, by name. Both
// are always listed so that each test has a "postgres" subtest: without
// HAOCHA_TEST_POSTGRES it is skipped with the reason, never left out silently.
func Backends(tb testing.TB) map[string]func(testing.TB) string {
	return map[string]func(testing.TB) string{"sqlite": SQLiteDSN, "postgres": PostgresDSN}
}

// RequirePostgres returns HAOCHA_TEST_POSTGRES. When it is unset, tb is
// skipped with the reason, or fails under HAOCHA_CI=1, where a missing
// database means the PostgreSQL cases would pass without running.
func RequirePostgres(tb testing.TB) string {
	tb.Helper()
	dsn := os.Getenv("HAOCHA_TEST_POSTGRES")
	if dsn == "" {
		const reason = "HAOCHA_TEST_POSTGRES unset: PostgreSQL cases need a database URL, e.g. postgres://haocha:haocha@127.0.0.1:5432/haocha_test?sslmode=disable"
		if os.Getenv("HAOCHA_CI") == "1" {
			tb.Fatal(reason + " (required under HAOCHA_CI=1)")
		}
		tb.Skip(reason)
	}
	return dsn
}

// SQLiteDSN returns a fresh SQLite file in tb's temporary folder.
func SQLiteDSN(tb testing.TB) string {
	return filepath.Join(tb.TempDir(), "haocha.db")
}

// PostgresDSN returns a DSN on HAOCHA_TEST_POSTGRES whose search path is a
// new, empty schema, dropped when tb ends.
func PostgresDSN(tb testing.TB) string {
	tb.Helper()
	base := RequirePostgres(tb)
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatalf("open postgres: %v", err)
	}
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		tb.Fatalf("create schema (is PostgreSQL running at HAOCHA_TEST_POSTGRES?): %v", err)
	}
	tb.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("HAOCHA_TEST_POSTGRES: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Open opens and migrates a store on dsn, closed when tb ends.
func Open(tb testing.TB, dsn string) *store.Store {
	tb.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() { st.Close() })
	if err := st.Migrate(ctx); err != nil {
		tb.Fatalf("migrate: %v", err)
	}
	return st
}

// Now is the fixed clock of fixture stores: a Tuesday in the trial run.
var Now = time.Date(2026, 7, 21, 10, 0, 0, 0, time.UTC)

// OpenFixture opens a store on dsn holding Fixture(), its clock at Now.
func OpenFixture(tb testing.TB, dsn string) *store.Store {
	tb.Helper()
	st := Open(tb, dsn)
	st.Now = func() time.Time { return Now }
	if err := st.ImportCatalog(context.Background(), Fixture()); err != nil {
		tb.Fatalf("import fixture: %v", err)
	}
	return st
}

// Fixture is a small catalogue: two districts, two agencies, items with
// stages, one hall with a window and two workstations.
func Fixture() *catalog.Catalog {
	st := []catalog.Stage{{Code: "application", NameZH: "申请"}, {Code: "acceptance", NameZH: "受理"}, {Code: "decision", NameZH: "决定"}}
	return &catalog.Catalog{
		Units: []catalog.Unit{
			{Code: "310101", Kind: catalog.District, NameZH: "黄浦区", NameEN: "Huangpu District", District: "310101"},
			{Code: "310104", Kind: catalog.District, NameZH: "徐汇区", NameEN: "Xuhui District", District: "310104"},
			{Code: "GA", Kind: catalog.Agency, NameZH: "市公安局", NameEN: "Public Security Bureau"},
			{Code: "SCJG", Kind: catalog.Agency, NameZH: "市市场监管局", NameEN: "Market Regulation"},
		},
		Items: []catalog.Item{
			{Code: "GA-001", NameZH: "居民身份证申领", NameEN: "Identity card", Unit: "GA", Stages: st},
			{Code: "SCJG-001", NameZH: "企业设立登记", NameEN: "Company registration", Unit: "SCJG", Stages: st},
		},
		Halls: []catalog.Hall{
			{Code: "H1", NameZH: "黄浦区行政服务中心", Unit: "310101", District: "310101"},
		},
		Windows: []catalog.Window{{Code: "H1-W1", Hall: "H1", Name: "1号窗口"}},
		Staff:   []catalog.Staff{{Code: "S1", Name: "王芳", Unit: "310101"}},
		Workstations: []catalog.Workstation{
			{Code: "H1-W1-1", Window: "H1-W1", Name: "1号工位", Staff: "S1"},
			{Code: "H1-W1-2", Window: "H1-W1", Name: "2号工位"},
		},
		HallItems: []catalog.HallItem{{Hall: "H1", Item: "GA-001"}, {Hall: "H1", Item: "SCJG-001"}},
	}
}
