package store_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/haocha/haocha/internal/keys"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/store/storetest"
)

// TestStartWithoutTheKeyFile: a database started with a key file other
// than its own, or none, stops at start with an error naming the master
// key it needs, and no new key is made in place of a lost one.
func TestStartWithoutTheKeyFile(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			d := dsn(t)
			dir := t.TempDir()
			keyFile := filepath.Join(dir, "haocha.key")
			if err := os.WriteFile(keyFile, []byte(keys.New()+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			t.Setenv("HAOCHA_KEY_FILE", keyFile)
			open := func() error {
				st, err := store.Open(ctx, d)
				if err != nil {
					return err
				}
				defer st.Close()
				return st.Migrate(ctx)
			}
			if err := open(); err != nil {
				t.Fatal(err)
			}
			ring, err := keys.Load(keys.Source{File: keyFile})
			if err != nil {
				t.Fatal(err)
			}
			need := ring.IDs()[0]
			other := filepath.Join(dir, "other.key")
			if err := os.WriteFile(other, []byte(keys.New()+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			t.Setenv("HAOCHA_KEY_FILE", other)
			if err := open(); err == nil || !strings.Contains(err.Error(), need) {
				t.Errorf("start with another key file: %v, want an error naming master key %s", err, need)
			}
			t.Setenv("HAOCHA_KEY_FILE", filepath.Join(dir, "lost.key"))
			if err := open(); err == nil || !strings.Contains(err.Error(), need) {
				t.Errorf("start with a missing key file: %v, want an error naming master key %s", err, need)
			}
			if !store.IsPostgres(d) {
				// The default key file beside the database, lost.
				t.Setenv("HAOCHA_KEY_FILE", "")
				err := open()
				if err == nil || !strings.Contains(err.Error(), need) {
					t.Errorf("start without the default key file: %v, want an error naming master key %s", err, need)
				}
				if _, err := os.Stat(keys.DefaultFile(d)); err == nil {
					t.Errorf("a new key file %s was made in place of the lost one", keys.DefaultFile(d))
				}
			}
			t.Setenv("HAOCHA_KEY_FILE", keyFile)
			if err := open(); err != nil {
				t.Errorf("start with its own key file: %v", err)
			}
		})
	}
}
