package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestLongCommandsShowProgress: the demo load, key rotation, a report and
// an import tell how far they have got on stderr, in plain lines since a
// buffer is not a terminal, and leave stdout to what they print: a
// summary, or the report's path alone.
func TestLongCommandsShowProgress(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "h.db")
	units := filepath.Join(dir, "units.csv")
	os.WriteFile(units, []byte("code,kind,name_zh\nXX1,agency,测试局\n"), 0o644)
	month := time.Now().AddDate(0, 0, -1).Format("2006-01")
	tests := []struct {
		name   string
		args   []string
		stdout string   // what stdout holds (a prefix)
		lines  []string // on stderr
	}{
		{"demo", []string{"demo", "--db", db, "--reviews", "3000", "--seed", "2"}, "demo loaded into",
			[]string{"demo reviews: 3,000 done in ", "demo work orders: "}},
		{"keys rotate", []string{"keys", "rotate", "--db", db}, "new key ",
			[]string{"re-encrypt contacts: ", " done in "}},
		{"report", []string{"report", "--db", db, "--period", month, "--format", "csv", "--out", filepath.Join(dir, "r.csv")}, filepath.Join(dir, "r.csv") + "\n",
			[]string{"report " + month + ": 1 of 6 (16%)", "report " + month + ": 6 done in "}},
		{"import", []string{"import", "--db", db, units}, units + ": 1 units",
			[]string{"import units.csv: 1 done in "}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			if err := run(context.Background(), tt.args, &out, &errOut); err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(out.String(), tt.stdout) || strings.Contains(out.String(), " done in ") {
				t.Errorf("stdout %q, want it to start %q and hold no progress", out.String(), tt.stdout)
			}
			if tt.name == "report" && out.String() != tt.stdout {
				t.Errorf("report printed %q, want its path alone", out.String())
			}
			for _, want := range tt.lines {
				if !strings.Contains(errOut.String(), want) {
					t.Errorf("stderr lacks %q:\n%s", want, errOut.String())
				}
			}
			if strings.Contains(errOut.String(), "\r") {
				t.Errorf("a bar's carriage returns on a non-terminal:\n%q", errOut.String())
			}
		})
	}
}
