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

// TestIndexVerifyServerCommand runs `haocha index verify --server` as an
// auditor would, against a running `haocha serve`: no difference on the
// demo, and a review edited in the raw table behind the server's back is
// found, the command failing.
func TestIndexVerifyServerCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "d.db")
	t.Setenv("HAOCHA_VERIFY_TOKEN", "")
	cmd := func(ctx context.Context, args ...string) (string, error) {
		var out, errOut bytes.Buffer
		err := run(ctx, args, &out, &errOut)
		return out.String(), err
	}
	if _, err := cmd(context.Background(), "demo", "--db", db, "--reviews", "600", "--seed", "3"); err != nil {
		t.Fatal(err)
	}
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := cmd(ctx, "serve", "--db", db, "--addr", addr)
		done <- err
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve ended with %v", err)
		}
	}()
	waitReady(t, addr)
	server := "http://" + addr
	out, err := cmd(context.Background(), "index", "verify", "--server", server, "--db", db)
	if err != nil || !strings.Contains(out, "no difference") || !strings.Contains(out, "not checked (set HAOCHA_VERIFY_TOKEN") {
		t.Fatalf("verify --server on the demo: %q, %v", out, err)
	}
	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`UPDATE reviews SET stars = 1 WHERE id = (SELECT MIN(id) FROM reviews WHERE stars = 5 AND channel = 'window')`); err != nil {
		t.Fatal(err)
	}
	out, err = cmd(context.Background(), "index", "verify", "--server", server, "--db", db)
	if err == nil || !strings.Contains(err.Error(), "differences") || out == "" {
		t.Errorf("verify --server after a review was edited: %q, %v", out, err)
	}
}
