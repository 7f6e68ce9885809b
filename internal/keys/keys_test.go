package keys

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/haocha/haocha/internal/review"
)

// TestDefaultFile: with no key configured, the first run creates the key
// file beside the database, readable by its owner alone, and later runs
// (and other processes) read the same key.
func TestDefaultFile(t *testing.T) {
	db := filepath.Join(t.TempDir(), "haocha.db")
	a, err := Load(FromEnvFor(db, "", ""))
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(db + ".key")
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", fi.Mode().Perm())
	}
	b, err := Load(FromEnvFor(db, "", ""))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Derive("secret/qr", 32), b.Derive("secret/qr", 32)) {
		t.Error("a second load derived another QR secret")
	}
	if bytes.Equal(a.Derive("secret/qr", 32), a.Derive("audit", 32)) {
		t.Error("two purposes derived the same secret")
	}
}

// FromEnvFor is FromEnv with the variables given.
func FromEnvFor(dsn, env, file string) Source {
	return Source{Env: env, File: file, Default: DefaultFile(dsn)}
}

func TestSealOpenRotate(t *testing.T) {
	k1 := New()
	r, err := Load(FromEnvFor("x.db", k1, ""))
	if err != nil {
		t.Fatal(err)
	}
	c, err := r.SealContact(review.Contact{Name: "李四", Phone: "13912345678"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(c.Name+c.Phone, "李四") || strings.Contains(c.Name+c.Phone, "1391") {
		t.Fatalf("sealed contact readable: %v", c)
	}
	// The same key from the environment with a second key after it: the
	// old value still opens, new values seal with the new id, and the
	// derived secrets do not change.
	r2, err := Load(FromEnvFor("x.db", k1+","+New(), ""))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := r2.OpenContact(c); err != nil || got.Name != "李四" || got.Phone != "13912345678" {
		t.Fatalf("open after rotation: %v, %v", got, err)
	}
	if r2.IsCurrent(c) || !r.IsCurrent(c) {
		t.Error("IsCurrent does not follow the current key")
	}
	if !bytes.Equal(r.Derive("secret/qr", 32), r2.Derive("secret/qr", 32)) {
		t.Error("adding a key changed the QR secret: printed codes would break")
	}
	tests := map[string]review.Contact{
		"name passed off as phone": {Name: c.Name, Phone: c.Name},
		"a byte flipped":           {Name: c.Name[:len(c.Name)-2] + "AA", Phone: c.Phone},
	}
	for name, bad := range tests {
		if _, err := r2.OpenContact(bad); err == nil {
			t.Errorf("%s: opened", name)
		}
	}
	other, _ := Load(FromEnvFor("x.db", New(), ""))
	if _, err := other.OpenContact(c); err == nil {
		t.Error("a ring without the key opened the contact")
	}
	if _, err := Load(FromEnvFor("x.db", "not a key", "")); err == nil {
		t.Error("a malformed HAOCHA_KEY was taken")
	}
}

func TestRotateAppendsToFile(t *testing.T) {
	db := filepath.Join(t.TempDir(), "h.db")
	r, err := Load(FromEnvFor(db, "", ""))
	if err != nil {
		t.Fatal(err)
	}
	old := r.Current().ID
	k, err := r.Rotate()
	if err != nil || k.ID == old {
		t.Fatalf("rotate: %v, %v", k.ID, err)
	}
	again, err := Load(FromEnvFor(db, "", ""))
	if err != nil || again.Current().ID != k.ID || len(again.IDs()) != 2 {
		t.Errorf("reloaded ring: %v, %v", again.IDs(), err)
	}
}
