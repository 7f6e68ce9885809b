package main

import (
	"bytes"
	"context"
	"runtime"
	"testing"
)

// TestVersion: "haocha version" names what the package build stamped in,
// and the Go that built it, on one line an operator can paste in a report.
func TestVersion(t *testing.T) {
	v, c := Version, Commit
	t.Cleanup(func() { Version, Commit = v, c })
	Version, Commit = "1.2.3", "0123abcd"
	var out bytes.Buffer
	if err := run(context.Background(), []string{"version"}, &out, &out); err != nil {
		t.Fatal(err)
	}
	if want := "haocha 1.2.3 commit 0123abcd " + runtime.Version() + "\n"; out.String() != want {
		t.Errorf("version printed %q, want %q", out.String(), want)
	}
}
