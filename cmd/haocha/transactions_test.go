package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/store/storetest"
)

// TestImportTransactions: `haocha import --kind transactions` stores the
// good lines of a file, names each bad one by line and field and fails;
// importing again changes nothing. `user add --role integration` binds the
// account to every --unit, and refuses none or an unknown one.
func TestImportTransactions(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "h.db")
	cat, _ := json.Marshal(storetest.Fixture())
	os.WriteFile(filepath.Join(dir, "catalog.json"), cat, 0o644)
	if out, err := runCLI(t, "import", "--db", db, filepath.Join(dir, "catalog.json")); err != nil {
		t.Fatalf("catalogue: %v %s", err, out)
	}
	file := filepath.Join(dir, "ban.csv")
	os.WriteFile(file, []byte("number,item,stages,unit,workstation,channel,applicant_kind,accepted_at,finished_at,phone\n"+
		"T1,GA-001,application|acceptance,310101,H1-W1-1,,person,2026-07-20T09:00:00+08:00,2026-07-20T09:30:00+08:00,13800000001\n"+
		"T2,GA-001,approval,310101,,app,person,2026-07-20T09:00:00+08:00,2026-07-20T09:30:00+08:00,\n"+
		"T3,GA-001,decision,310101,,pc,organisation,2026-07-20T09:00:00+08:00,2026-07-19T09:30:00+08:00,\n"+
		"T4,SCJG-001,decision,SCJG,,pc,organisation,2026-07-20T09:00:00+08:00,2026-07-20T10:30:00+08:00,\n"), 0o644)
	out, err := runCLI(t, "import", "--db", db, "--kind", "transactions", file)
	for _, want := range []string{"ban.csv:3: stages:", "ban.csv:4: finished_at:", "2 created, 0 unchanged, 2 with errors"} {
		if !strings.Contains(out, want) {
			t.Errorf("import output lacks %q:\n%s", want, out)
		}
	}
	if err == nil {
		t.Error("a file with bad lines imported without an error")
	}
	out, _ = runCLI(t, "import", "--db", db, "--kind", "transactions", file)
	if !strings.Contains(out, "0 created, 2 unchanged, 2 with errors") {
		t.Errorf("second import: %s", out)
	}
	os.WriteFile(file, []byte("number,item,colour\n"), 0o644)
	if out, err := runCLI(t, "import", "--db", db, "--kind", "transactions", file); err == nil || !strings.Contains(out+err.Error(), `unknown column "colour"`) {
		t.Errorf("unknown column: %v %s", err, out)
	}

	t.Setenv("HAOCHA_PASSWORD", "a long enough password")
	for _, args := range [][]string{{"--name", "sys0"}, {"--name", "sys1", "--unit", "NOPE"}} {
		if _, err := runCLI(t, append([]string{"user", "add", "--db", db, "--role", "integration"}, args...)...); err == nil {
			t.Errorf("integration account %v created", args)
		}
	}
	if out, err := runCLI(t, "user", "add", "--db", db, "--role", "integration", "--name", "sys", "--unit", "310101", "--unit", "GA"); err != nil {
		t.Fatalf("user add: %v %s", err, out)
	}
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	u, err := st.UserByLogin(context.Background(), "sys")
	if err != nil {
		t.Fatal(err)
	}
	if units, err := st.IntegrationUnits(context.Background(), u.ID); err != nil || strings.Join(units, " ") != "310101 GA" {
		t.Errorf("bound to %v, %v; want 310101 GA", units, err)
	}
	if tr, err := st.Transaction(context.Background(), "T1"); err != nil || strings.Join(tr.Stages, " ") != "application acceptance" || tr.Hall != "H1" {
		t.Errorf("T1: %+v, %v", tr, err)
	}
}
