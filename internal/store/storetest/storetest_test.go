package storetest

import (
	"strings"
	"testing"
)

// recorder is a testing.TB that records a skip or a failure instead of
// ending the test that uses it.
type recorder struct {
	testing.TB
	skipped, failed string
}

type stop struct{}

func (r *recorder) Helper()           {}
func (r *recorder) Skip(args ...any)  { r.skipped = strings.TrimSpace(sprint(args)); panic(stop{}) }
func (r *recorder) Fatal(args ...any) { r.failed = strings.TrimSpace(sprint(args)); panic(stop{}) }

func sprint(args []any) string {
	var b strings.Builder
	for _, a := range args {
		b.WriteString(a.(string))
	}
	return b.String()
}

// run calls fn with rec, stopping where a real test would end.
func run(rec *recorder, fn func(testing.TB)) {
	defer func() {
		if p := recover(); p != nil {
			if _, ok := p.(stop); !ok {
				panic(p)
			}
		}
	}()
	fn(rec)
}

func TestBackendsAlwaysNamePostgres(t *testing.T) {
	if _, ok := Backends(t)["postgres"]; !ok {
		t.Fatal(`Backends leaves out "postgres": its cases would vanish without a word`)
	}
}

func TestPostgresDSNWithoutDatabase(t *testing.T) {
	for _, tt := range []struct {
		name, ci     string
		skip, failed bool
	}{
		{"skipped with the reason", "", true, false},
		{"a failure in CI", "1", false, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("HAOCHA_TEST_POSTGRES", "")
			t.Setenv("HAOCHA_CI", tt.ci)
			rec := &recorder{TB: t}
			run(rec, func(tb testing.TB) { PostgresDSN(tb) })
			if got := rec.skipped != ""; got != tt.skip {
				t.Errorf("skipped = %q, want skipped %v", rec.skipped, tt.skip)
			}
			if got := rec.failed != ""; got != tt.failed {
				t.Errorf("failed = %q, want failed %v", rec.failed, tt.failed)
			}
			if why := rec.skipped + rec.failed; !strings.Contains(why, "HAOCHA_TEST_POSTGRES unset") {
				t.Errorf("reason %q does not say HAOCHA_TEST_POSTGRES is unset", why)
			}
		})
	}
}
