package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

func TestBenchRawJSON(t *testing.T) {
	db := filepath.Join(t.TempDir(), "raw.db")
	var out bytes.Buffer
	err := run(context.Background(), []string{"benchraw", "--db", db, "--concurrency", "2", "--requests", "10", "--duration", "0", "--json"}, &out, &out)
	if err != nil {
		t.Fatalf("benchraw: %v\n%s", err, out.String())
	}
	var res struct {
		Mode string
		OK   int
	}
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out.String())
	}
	if res.Mode != "raw" || res.OK != 10 {
		t.Errorf("benchraw: %+v, want 10 raw inserts", res)
	}
}

func TestLoadgenRefusesRemoteURL(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), []string{"loadgen", "--url", "http://203.0.113.9:8080", "--requests", "1"}, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Errorf("loadgen on a remote URL: %v, want a refusal", err)
	}
}
