package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"

	"github.com/haocha/haocha/internal/keys"
)

// The master keys live outside the database (internal/keys), so a backup
// of the database alone restores a database whose secrets nobody can
// derive. The database records the fingerprint of the key that derives
// them (settings master_key) so that a start with a missing or wrong key
// file stops, naming the key it needs, instead of failing later as a
// broken audit chain or unreadable contacts.

// loadKeys reads the key ring for dsn. Where the default key file is
// missing it is created, as on a first start, unless the database already
// records a master key: then the file was lost (a restore without it) and
// a new key would only hide that.
func (s *Store) loadKeys(ctx context.Context, dsn string) (*keys.Ring, error) {
	src := keys.FromEnv(dsn)
	need := s.recordedKey(ctx)
	if src.Env == "" && src.File == "" && need != "" {
		if _, err := os.Stat(src.Default); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("key file %s is missing: this database needs master key %s; put the key file kept with its backup there, or name it with HAOCHA_KEY_FILE", src.Default, need)
		}
	}
	ring, err := keys.Load(src)
	if err != nil && need != "" {
		return nil, fmt.Errorf("%w (this database needs master key %s)", err, need)
	}
	return ring, err
}

// recordedKey is the master key fingerprint the database records, or ""
// when it records none (a new database, or one from before the record).
func (s *Store) recordedKey(ctx context.Context) string {
	var v string
	if err := s.w.QueryRowContext(ctx, "SELECT value FROM settings WHERE name = 'master_key'").Scan(&v); err != nil {
		return ""
	}
	return v
}

// checkMasterKey records the fingerprint of the ring's first key on the
// first start and refuses, afterwards, a ring that does not start with
// it or lacks a key that sealed personal data.
func (s *Store) checkMasterKey(ctx context.Context) error {
	ids := s.Keys.IDs()
	if err := s.inTx(ctx, func(t tx) error {
		_, err := t.exec(ctx, "INSERT INTO settings (name, value) VALUES ('master_key', ?) ON CONFLICT (name) DO NOTHING", ids[0])
		return err
	}); err != nil {
		return fmt.Errorf("record master key: %w", err)
	}
	from := "HAOCHA_KEY"
	if s.Keys.File != "" {
		from = "key file " + s.Keys.File
	}
	need, err := s.Setting(ctx, "master_key")
	if err != nil {
		return err
	}
	if need != ids[0] {
		return fmt.Errorf("this database needs master key %s first, but %s holds %s: restore the key file kept with this database's backup (HAOCHA_KEY_FILE)",
			need, from, strings.Join(ids, ", "))
	}
	for _, name := range []string{"contacts_key", "transaction_phones_key"} {
		kid, err := s.Setting(ctx, name)
		if err != nil {
			return err
		}
		if kid != "" && !slices.Contains(ids, kid) {
			return fmt.Errorf("personal data in this database is sealed with master key %s, which %s lacks (it holds %s): restore the key file kept with this database's backup (HAOCHA_KEY_FILE)",
				kid, from, strings.Join(ids, ", "))
		}
	}
	return nil
}
