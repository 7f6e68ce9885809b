// Package keys holds Haocha's master keys, kept outside the database: every
// secret the server needs (the QR signing key, the audit trail's key, form
// tokens, the client-mark salt) is derived from the first of them with
// HKDF, one purpose each, and personal data is sealed with the newest, so
// that a copy of the database alone reveals neither.
package keys

import (
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// Size is the length of a master key in bytes.
const Size = 32

// Key is one master key and its id, a fingerprint stored with each value it
// seals so that any key of the ring can open it after a rotation.
type Key struct {
	ID     string
	secret []byte
}

// Ring is the set of master keys in use: the first derives the secrets, the
// last seals new personal data, all of them open it.
type Ring struct {
	keys []Key
	// File is where the ring was read from; empty when it came from the
	// environment. Rotate appends to it.
	File string
	// aeads caches each key's sealing cipher by key id: deriving it costs
	// more than sealing a phone (a report of 1,000 transactions seals
	// 1,000 phones).
	aeads sync.Map
}

// Source says where Load looks, in order: Env (base64 keys separated by
// commas), File, then Default, created with one new key and mode 0600 when
// it does not exist.
type Source struct {
	Env     string
	File    string
	Default string
}

// FromEnv is the source the binary uses: HAOCHA_KEY, HAOCHA_KEY_FILE, then
// the default file for the database dsn.
func FromEnv(dsn string) Source {
	return Source{Env: os.Getenv("HAOCHA_KEY"), File: os.Getenv("HAOCHA_KEY_FILE"), Default: DefaultFile(dsn)}
}

// DefaultFile is the key file beside a SQLite database (haocha.db:
// haocha.db.key), or haocha.key in the working directory for a server
// database.
func DefaultFile(dsn string) string { return Beside(dsn, ".key") }

// Beside names a file beside the database dsn: the SQLite file's name with
// suffix, or "haocha"+suffix in the working directory for PostgreSQL.
func Beside(dsn, suffix string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return "haocha" + suffix
	}
	file, _, _ := strings.Cut(dsn, "?")
	return file + suffix
}

// Load reads the ring from src.
func Load(src Source) (*Ring, error) {
	if src.Env != "" {
		r, err := parse(strings.ReplaceAll(src.Env, ",", "\n"))
		if err != nil {
			return nil, fmt.Errorf("HAOCHA_KEY: %w", err)
		}
		return r, nil
	}
	file := src.File
	if file == "" {
		file = src.Default
		if err := create(file); err != nil {
			return nil, err
		}
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("read key file: %w", err)
	}
	r, err := parse(string(b))
	if err != nil {
		return nil, fmt.Errorf("key file %s: %w", file, err)
	}
	r.File = file
	return r, nil
}

// create writes a key file with one new key unless one is there. The key
// is written to a temporary file first and linked into place, so two
// processes starting together agree on one key and neither reads a file
// half written.
func create(file string) error {
	if file == "" {
		return errors.New("no master key: set HAOCHA_KEY or HAOCHA_KEY_FILE")
	}
	if _, err := os.Stat(file); err == nil {
		return nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), ".haocha-key-*")
	if err != nil {
		return fmt.Errorf("create key file: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, err = fmt.Fprintf(tmp, "# Haocha master keys (base64): the first derives the secrets, the last seals personal data.\n# Keep a copy apart from the database backups; without it personal data cannot be read.\n%s\n", New())
	if err == nil {
		err = tmp.Chmod(0o600)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write key file: %w", err)
	}
	if err := os.Link(tmp.Name(), file); err != nil && !errors.Is(err, os.ErrExist) {
		return fmt.Errorf("create key file: %w", err)
	}
	return nil
}

// New returns a new random key, base64-encoded.
func New() string {
	b := make([]byte, Size)
	rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}

func parse(text string) (*Ring, error) {
	r := &Ring{}
	for line := range strings.Lines(text) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		b, err := base64.StdEncoding.DecodeString(line)
		if err != nil || len(b) != Size {
			return nil, fmt.Errorf("key %d: want %d bytes in base64", len(r.keys)+1, Size)
		}
		r.keys = append(r.keys, Key{ID: fingerprint(b), secret: b})
	}
	if len(r.keys) == 0 {
		return nil, errors.New("no key")
	}
	return r, nil
}

func fingerprint(b []byte) string {
	h := sha256.Sum256(append([]byte("haocha key id\x00"), b...))
	return hex.EncodeToString(h[:4])
}

// Of returns a ring of the given keys (base64), for tests and tools.
func Of(keys ...string) (*Ring, error) { return parse(strings.Join(keys, "\n")) }

// Current is the key that seals new personal data.
func (r *Ring) Current() Key { return r.keys[len(r.keys)-1] }

// IDs lists the ring's key ids, oldest first.
func (r *Ring) IDs() []string {
	ids := make([]string, len(r.keys))
	for i, k := range r.keys {
		ids[i] = k.ID
	}
	return ids
}

// Derive returns n bytes for purpose, from the first key. The same purpose
// gives the same bytes in every process sharing the ring, and rotating the
// sealing key leaves them alone (printed QR codes keep working).
func (r *Ring) Derive(purpose string, n int) []byte {
	return deriveN(r.keys[0].secret, purpose, n)
}

func deriveFrom(secret []byte, purpose string) []byte { return deriveN(secret, purpose, 32) }

func deriveN(secret []byte, purpose string, n int) []byte {
	b, err := hkdf.Key(sha256.New, secret, nil, "haocha/"+purpose, n)
	if err != nil {
		panic(fmt.Sprintf("hkdf %s: %v", purpose, err)) // only for n beyond 255 hashes
	}
	return b
}

// Rotate appends a new key to the ring's file: from now on it seals.
func (r *Ring) Rotate() (Key, error) {
	if r.File == "" {
		return Key{}, errors.New("the keys come from HAOCHA_KEY: append a new key there (comma-separated) instead")
	}
	k := New()
	f, err := os.OpenFile(r.File, os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return Key{}, fmt.Errorf("key file: %w", err)
	}
	_, err = fmt.Fprintln(f, k)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return Key{}, fmt.Errorf("append key: %w", err)
	}
	b, _ := base64.StdEncoding.DecodeString(k)
	r.keys = append(r.keys, Key{ID: fingerprint(b), secret: b})
	return r.Current(), nil
}
