package storetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/haocha/haocha/internal/store"
)

// Schema describes st's tables, columns, indexes and constraints, one line
// each in a stable order, for comparing an upgraded database with a fresh
// one. PostgreSQL's partitions of reviews are left out: which months exist
// depends on when the database was made, not on its migrations.
func Schema(tb testing.TB, st *store.Store) string {
	tb.Helper()
	q := `SELECT type || ' ' || name || ': ' || COALESCE(sql, '') FROM sqlite_master
		WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name`
	if st.Postgres() {
		q = `SELECT line FROM (
			SELECT 'column ' || c.table_name || '.' || c.column_name || ' ' || c.data_type || ' null=' || c.is_nullable ||
				' default=' || COALESCE(c.column_default, '') || ' identity=' || c.is_identity AS line
			FROM information_schema.columns c JOIN pg_class k ON k.relname = c.table_name
				AND k.relnamespace = to_regnamespace(current_schema())
			WHERE c.table_schema = current_schema() AND NOT k.relispartition
			UNION ALL
			SELECT 'index ' || i.tablename || ' ' || replace(i.indexdef, current_schema() || '.', '')
			FROM pg_indexes i JOIN pg_class k ON k.relname = i.tablename AND k.relnamespace = to_regnamespace(current_schema())
			WHERE i.schemaname = current_schema() AND NOT k.relispartition
			UNION ALL
			SELECT 'constraint ' || k.relname || ' ' || n.conname || ' ' || pg_get_constraintdef(n.oid)
			FROM pg_constraint n JOIN pg_class k ON k.oid = n.conrelid
			WHERE k.relnamespace = to_regnamespace(current_schema()) AND NOT k.relispartition
		) s ORDER BY line`
	}
	rows, err := st.DB().QueryContext(context.Background(), q)
	if err != nil {
		tb.Fatalf("read schema: %v", err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			tb.Fatal(err)
		}
		fmt.Fprintln(&b, line)
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	return b.String()
}

// DiffLines lists the lines only in want (-) and only in got (+): two
// schemas' difference, readable in a test's failure.
func DiffLines(want, got string) string {
	var b strings.Builder
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for _, l := range w {
		if !slices.Contains(g, l) {
			b.WriteString("- " + l + "\n")
		}
	}
	for _, l := range g {
		if !slices.Contains(w, l) {
			b.WriteString("+ " + l + "\n")
		}
	}
	return b.String()
}
