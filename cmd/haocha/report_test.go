package main

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestReportAndVerifyCommands: `haocha report` writes the file named after
// the period where asked and prints its path; `haocha index verify` passes
// on the demo and fails, naming the figure, once a rollup row is edited.
func TestReportAndVerifyCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "d.db")
	ctx := context.Background()
	cmd := func(args ...string) (string, error) {
		var out, errOut bytes.Buffer
		err := run(ctx, args, &out, &errOut)
		return out.String(), err
	}
	if _, err := cmd("demo", "--db", db, "--reviews", "600", "--seed", "3"); err != nil {
		t.Fatal(err)
	}
	month := time.Now().AddDate(0, 0, -1).Format("2006-01")
	out, err := cmd("report", "--db", db, "--period", month, "--format", "csv", "--out", filepath.Join(dir, "r.csv"))
	if err != nil || strings.TrimSpace(out) != filepath.Join(dir, "r.csv") {
		t.Fatalf("report: %q, %v", out, err)
	}
	body, _ := os.ReadFile(filepath.Join(dir, "r.csv"))
	// The 通报's CSV is Chinese, with a byte-order mark so that a Chinese
	// desktop's spreadsheet reads it.
	if !strings.HasPrefix(string(body), "\ufeff统计期,范围,排名,名称,代码,评价指数,样本量(n),") || !strings.Contains(string(body), month+",全市,") {
		t.Errorf("the CSV: %.200s", body)
	}
	wd, _ := os.Getwd()
	t.Cleanup(func() { os.Chdir(wd) })
	os.Chdir(dir)
	if out, err := cmd("report", "--db", db, "--period", month, "--format", "html"); err != nil || !strings.HasSuffix(strings.TrimSpace(out), "report-"+month+".html") {
		t.Errorf("default file: %q, %v", out, err)
	}
	for _, bad := range [][]string{{"--period", "2026-13"}, {"--period", month, "--format", "pdf"}} {
		if _, err := cmd(append([]string{"report", "--db", db}, bad...)...); err == nil {
			t.Errorf("report %v was taken", bad)
		}
	}

	if out, err := cmd("index", "verify", "--db", db); err != nil || !strings.Contains(out, "no difference") {
		t.Fatalf("verify on the demo: %q, %v", out, err)
	}
	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`UPDATE review_rollups SET stars5 = stars5 + 1 WHERE rowid = (SELECT MIN(rowid) FROM review_rollups WHERE axis = 'item')`); err != nil {
		t.Fatal(err)
	}
	out, err = cmd("index", "verify", "--db", db)
	if err == nil || !strings.Contains(out, "stats item ") || !strings.Contains(err.Error(), "differences") {
		t.Errorf("verify after editing a rollup row: %q, %v", out, err)
	}
}
