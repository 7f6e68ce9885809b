package main

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestServeUnusableAddress: serve binds its address before it touches the
// database, so a wrong --addr fails at once with a message naming it, and
// leaves no database, demo data or accounts behind.
func TestServeUnusableAddress(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	tests := []struct {
		name, addr, want string
	}{
		{"no port", "bad", `"bad"`},
		{"in use", taken.Addr().String(), "address already in use"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "haocha.db")
			var out bytes.Buffer
			err := run(context.Background(), []string{"serve", "--addr", tt.addr, "--db", db, "--reviews", "100"}, &out, &out)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "listen") {
				t.Errorf("serve --addr %s: err = %v, want a listen error naming %s", tt.addr, err, tt.want)
			}
			if _, err := os.Stat(db); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("serve --addr %s created the database %s (stat: %v)", tt.addr, db, err)
			}
			if strings.Contains(out.String(), "password") {
				t.Errorf("serve --addr %s made demo accounts:\n%s", tt.addr, out.String())
			}
		})
	}
}
