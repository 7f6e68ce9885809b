package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/store/storetest"
)

// TestExportNational: `haocha export national` writes the day's four data
// files and the manifest into --out and prints their paths; `export
// verify` accepts them, and refuses them once a file is changed; a bad
// date or directory is refused naming the flag.
func TestExportNational(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "h.db")
	st := storetest.OpenFixture(t, db)
	storetest.PlantDay(t, st, time.Date(2026, 7, 20, 23, 50, 0, 0, calendar.Zone))
	out := filepath.Join(dir, "out")
	os.Mkdir(out, 0o755)
	printed, err := runCLI(t, "export", "national", "--db", db, "--date", "2026-07-20", "--out", out)
	if err != nil {
		t.Fatalf("export: %v %s", err, printed)
	}
	paths := strings.Fields(printed)
	if len(paths) != 5 || !strings.HasSuffix(paths[4], "national-2026-07-20-manifest.json") {
		t.Fatalf("printed %q", printed)
	}
	reviews, _ := os.ReadFile(filepath.Join(out, "national-2026-07-20-reviews.csv"))
	// The reviews were given at 23:51, 23:52 and 23:53: all on the 20th.
	if n := strings.Count(string(reviews), "\n"); n != 4 {
		t.Errorf("reviews.csv has %d lines, want a header and 3:\n%s", n, reviews)
	}
	if msg, err := runCLI(t, "export", "verify", "--db", db, "--manifest", paths[4]); err != nil || !strings.Contains(msg, "4 files unchanged") {
		t.Fatalf("verify: %v %s", err, msg)
	}
	os.WriteFile(paths[0], []byte("{}\n"), 0o644)
	if msg, err := runCLI(t, "export", "verify", "--db", db, "--manifest", paths[4]); err == nil || !strings.Contains(err.Error(), "national-2026-07-20-transactions.jsonl differs") {
		t.Errorf("a changed file verified: %v %s", err, msg)
	}
	for _, args := range [][]string{{"--date", "20 July"}, {"--date", "2026-07-20", "--out", filepath.Join(dir, "none")}} {
		if _, err := runCLI(t, append([]string{"export", "national", "--db", db}, args...)...); err == nil || !strings.Contains(err.Error(), args[len(args)-2]) {
			t.Errorf("%v: err = %v, want one naming %s", args, err, args[len(args)-2])
		}
	}
}
