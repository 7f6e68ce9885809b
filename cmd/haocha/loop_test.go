package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/app"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/store"
)

func init() { account.Cost = bcrypt.MinCost }

func runCLI(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, &out, &errOut)
	return out.String() + errOut.String(), err
}

// TestAuditVerify: `haocha audit verify` passes on an honest database and
// fails, naming the row, after a row is edited, deleted or cut off the end.
func TestAuditVerify(t *testing.T) {
	tests := []struct {
		name   string
		tamper string
		want   string
	}{
		{"edited note", "UPDATE audit_log SET note = 'nothing to see' WHERE seq = 3", "row 3 was edited"},
		{"edited actor", "UPDATE audit_log SET actor = 'operator:someone_else' WHERE seq = 2", "row 2 was edited"},
		{"deleted row", "DELETE FROM audit_log WHERE seq = 4", "row 4 missing"},
		{"edited and rehashed", "UPDATE audit_log SET note = 'x', hash = 'aaaa' WHERE seq = 2", "row 2"},
		{"last row cut off", "DELETE FROM audit_log WHERE seq = 6", "row 6 was written"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "h.db")
			for i := 0; i < 6; i++ {
				t.Setenv("HAOCHA_PASSWORD", "a long enough password")
				if out, err := runCLI(t, "user", "add", "--db", db, "--role", "operator", "--name", "op"+string(rune('a'+i))); err != nil {
					t.Fatalf("user add: %v %s", err, out)
				}
			}
			out, err := runCLI(t, "audit", "verify", "--db", db)
			if err != nil || !strings.Contains(out, "intact: 6 rows") {
				t.Fatalf("honest database: %v %s", err, out)
			}
			st, err := store.Open(context.Background(), db)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := st.DB().Exec(tt.tamper); err != nil {
				t.Fatal(err)
			}
			st.Close()
			_, err = runCLI(t, "audit", "verify", "--db", db)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("after %q: %v, want an error with %q", tt.tamper, err, tt.want)
			}
		})
	}
}

func TestUserAndCalendarCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "h.db")
	t.Setenv("HAOCHA_PASSWORD", "a long enough password")
	if _, err := runCLI(t, "user", "add", "--db", db, "--role", "handler", "--name", "h1"); err == nil {
		t.Error("a handler without a unit was created")
	}
	if _, err := runCLI(t, "user", "add", "--db", db, "--role", "king", "--name", "k"); err == nil {
		t.Error("an unknown role was accepted")
	}
	t.Setenv("HAOCHA_PASSWORD", "short")
	if _, err := runCLI(t, "user", "add", "--db", db, "--role", "operator", "--name", "o1"); err == nil {
		t.Error("a short password was accepted")
	}
	if _, err := runCLI(t, "user", "add", "--db", db, "--role", "operator", "--name", "o1", "--password", "a long enough password"); err != nil {
		t.Fatal(err)
	}
	out, err := runCLI(t, "user", "token", "--db", db, "--name", "o1")
	if err != nil || !strings.Contains(out, "Bearer") {
		t.Fatalf("token: %v %s", err, out)
	}
	csv := filepath.Join(t.TempDir(), "cn-2027.csv")
	os.WriteFile(csv, []byte("date,kind,name\n2027-01-01,holiday,元旦\n2027-02-06,workday,春节\n"), 0o644)
	if out, err := runCLI(t, "calendar", "import", "--db", db, csv); err != nil || !strings.Contains(out, "2 days") {
		t.Fatalf("calendar import: %v %s", err, out)
	}
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cal, err := st.Calendar(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	fri, _ := calendar.ParseDay("2027-01-01")
	sat, _ := calendar.ParseDay("2027-02-06")
	if cal.IsWorkday(fri) || !cal.IsWorkday(sat) {
		t.Error("the imported year is not in the calendar")
	}
	if got := cal.Years(); len(got) != 2 {
		t.Errorf("years %v, want 2026 and 2027", got)
	}
}

// TestDemoAccounts: one account per role, with the password printed, the
// handler bound to a unit with work orders.
func TestDemoAccounts(t *testing.T) {
	db := filepath.Join(t.TempDir(), "d.db")
	if _, err := runCLI(t, "demo", "--db", db, "--reviews", "2000"); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var out bytes.Buffer
	if err := app.DemoAccounts(context.Background(), st, &out); err != nil {
		t.Fatal(err)
	}
	for _, role := range []string{"operator", "handler", "supervisor", "staff", "admin"} {
		var pw string
		for _, line := range strings.Split(out.String(), "\n") {
			if f := strings.Fields(line); len(f) >= 3 && f[0] == role && f[1] == "password" {
				pw = f[2]
			}
		}
		u, err := st.UserByLogin(context.Background(), role)
		if err != nil || pw == "" || !account.PasswordMatches(u.PasswordHash, pw) {
			t.Errorf("demo account %s: %v, printed password %q does not log in", role, err, pw)
		}
	}
	if !strings.Contains(out.String(), "handler") || !strings.Contains(out.String(), "unit ") {
		t.Errorf("the handler's unit is not printed: %s", out.String())
	}
}
