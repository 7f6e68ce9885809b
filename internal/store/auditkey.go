package store

import (
	"context"
	"fmt"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/audit"
)

// auditKey keys the audit chain; it is derived from the master key, so it
// lives outside the database.
func (s *Store) auditKey() []byte { return s.Keys.Derive("audit", 32) }

// auditScheme is the settings row that says the chain is keyed.
const auditScheme = "hmac-sha256"

// keyAudit moves a trail chained by bare SHA-256 (written before the
// master key existed) to the keyed chain, once: the old chain must verify
// first, then every row is signed again in order. A broken old chain stops
// the upgrade rather than being blessed by it.
func (s *Store) keyAudit(ctx context.Context) error {
	return s.inTx(ctx, func(t tx) error {
		if err := s.xactLock(ctx, t, lockAudit); err != nil {
			return fmt.Errorf("lock audit trail: %w", err)
		}
		var scheme string
		err := t.queryRow(ctx, "SELECT value FROM settings WHERE name = 'audit_scheme'").Scan(&scheme)
		if err == nil && scheme == auditScheme {
			return nil
		}
		if err != nil && !isNoRows(err) {
			return err
		}
		rows, err := t.query(ctx, `SELECT seq, at, actor, action, COALESCE(work_order, 0), from_state, to_state, note, prev_hash, hash
			FROM audit_log ORDER BY seq`)
		if err != nil {
			return fmt.Errorf("read audit: %w", err)
		}
		entries, err := scanAudit(rows)
		if err != nil {
			return err
		}
		prev, key := genesis, s.auditKey()
		for i, e := range entries {
			if e.Seq != int64(i+1) || e.PrevHash != prev || auditHash(nil, e) != e.Hash {
				return apperr.New(apperr.Conflict, "audit", "the audit trail fails its check at row %d: it cannot be keyed; run haocha audit verify", e.Seq)
			}
			prev = e.Hash
			if i > 0 {
				e.PrevHash = entries[i-1].Hash
			}
			entries[i].Hash = auditHash(key, e)
			if _, err := t.exec(ctx, "UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?", e.PrevHash, entries[i].Hash, e.Seq); err != nil {
				return fmt.Errorf("key audit row %d: %w", e.Seq, err)
			}
		}
		if n := len(entries); n > 0 {
			if err := setSetting(ctx, t, "audit_head", fmt.Sprintf("%d:%s", n, entries[n-1].Hash)); err != nil {
				return err
			}
		}
		return setSetting(ctx, t, "audit_scheme", auditScheme)
	})
}

func setSetting(ctx context.Context, t tx, name, value string) error {
	_, err := t.exec(ctx, `INSERT INTO settings (name, value) VALUES (?, ?)
		ON CONFLICT (name) DO UPDATE SET value = excluded.value`, name, value)
	return err
}

// scanAudit reads audit rows and closes them.
func scanAudit(rows interface {
	Next() bool
	Scan(...any) error
	Err() error
	Close() error
}) ([]audit.Entry, error) {
	defer rows.Close()
	var out []audit.Entry
	for rows.Next() {
		var e audit.Entry
		var at int64
		if err := rows.Scan(&e.Seq, &at, &e.Actor, &e.Action, &e.WorkOrder, &e.From, &e.To, &e.Note, &e.PrevHash, &e.Hash); err != nil {
			return nil, err
		}
		e.At = fromMillis(at)
		out = append(out, e)
	}
	return out, rows.Err()
}
