package store

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"github.com/haocha/haocha/internal/audit"
	"strconv"
	"strings"
	"time"

	"github.com/haocha/haocha/internal/apperr"
)

// genesis is the hash before the first row.
const genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// auditHash chains e to the row before it: HMAC-SHA256 under key, so that
// whoever can write the database but lacks the master key cannot recompute
// the chain; a nil key gives the bare SHA-256 of rows written before the
// trail was keyed. Every field is length-prefixed so that no two different
// rows hash alike.
func auditHash(key []byte, e audit.Entry) string {
	h := sha256.New()
	if key != nil {
		h = hmac.New(sha256.New, key)
	}
	for _, f := range []string{strconv.FormatInt(e.Seq, 10), strconv.FormatInt(millis(e.At), 10), e.Actor, e.Action,
		strconv.FormatInt(e.WorkOrder, 10), e.From, e.To, e.Note, e.PrevHash} {
		fmt.Fprintf(h, "%d:%s|", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// appendAudit adds e at the end of the chain, inside t. Writers take turns:
// SQLite has one writer; PostgreSQL takes a transaction-scoped lock.
func (s *Store) appendAudit(ctx context.Context, t tx, e audit.Entry) error {
	if err := s.xactLock(ctx, t, lockAudit); err != nil {
		return fmt.Errorf("lock audit trail: %w", err)
	}
	e.PrevHash = genesis
	err := t.queryRow(ctx, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").Scan(&e.Seq, &e.PrevHash)
	if err != nil && !isNoRows(err) {
		return fmt.Errorf("audit tail: %w", err)
	}
	e.Seq++
	e.At = time.UnixMilli(millis(e.At))
	e.Hash = auditHash(s.auditKey(), e)
	if _, err := t.exec(ctx, `INSERT INTO audit_log (seq, at, actor, action, work_order, from_state, to_state, note, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.Seq, millis(e.At), e.Actor, e.Action, nullInt(e.WorkOrder),
		e.From, e.To, e.Note, e.PrevHash, e.Hash); err != nil {
		return fmt.Errorf("append audit: %w", err)
	}
	// The head kept apart lets verify notice rows cut off the end.
	return setSetting(ctx, t, "audit_head", fmt.Sprintf("%d:%s", e.Seq, e.Hash))
}

func nullInt(v int64) any {
	if v == 0 {
		return nil
	}
	return v
}

// Audit appends an entry about no particular work order (a login, an
// account created, a calendar imported).
func (s *Store) Audit(ctx context.Context, e audit.Entry) error {
	if e.At.IsZero() {
		e.At = s.Now()
	}
	return s.inTx(ctx, func(t tx) error { return s.appendAudit(ctx, t, e) })
}

// AuditOf returns the audit rows of one work order, oldest first.
func (s *Store) AuditOf(ctx context.Context, order int64) ([]audit.Entry, error) {
	return s.auditRows(ctx, " WHERE work_order = ?", order)
}

func (s *Store) auditRows(ctx context.Context, where string, args ...any) ([]audit.Entry, error) {
	rows, err := s.query(ctx, `SELECT seq, at, actor, action, COALESCE(work_order, 0), from_state, to_state, note, prev_hash, hash
		FROM audit_log`+where+" ORDER BY seq", args...)
	if err != nil {
		return nil, fmt.Errorf("read audit: %w", err)
	}
	return scanAudit(rows)
}

// VerifyAudit walks the whole chain, row by row, and returns the number of
// rows checked. An edited, inserted or deleted row fails it with an error
// naming the row.
func (s *Store) VerifyAudit(ctx context.Context) (int, error) {
	entries, err := s.auditRows(ctx, "")
	if err != nil {
		return 0, err
	}
	prev, want, n, key := genesis, int64(1), 0, s.auditKey()
	for _, e := range entries {
		switch {
		case e.Seq != want:
			return 0, apperr.New(apperr.Conflict, "audit", "row %d missing: rows %d to %d were deleted", want, want, e.Seq-1)
		case e.PrevHash != prev:
			return 0, apperr.New(apperr.Conflict, "audit", "row %d does not follow row %d: the chain was altered", e.Seq, e.Seq-1)
		case auditHash(key, e) != e.Hash:
			return 0, apperr.New(apperr.Conflict, "audit", "row %d was edited: its contents do not match its hash", e.Seq)
		}
		prev, want, n = e.Hash, e.Seq+1, n+1
	}
	var head string
	err = s.queryRow(ctx, "SELECT value FROM settings WHERE name = 'audit_head'").Scan(&head)
	if err != nil && !isNoRows(err) {
		return 0, err
	}
	if last := fmt.Sprintf("%d:%s", want-1, prev); head != "" && head != last {
		written, _, _ := strings.Cut(head, ":")
		return 0, apperr.New(apperr.Conflict, "audit", "the trail ends at row %d but row %s was written: rows at the end were deleted or edited", want-1, written)
	} else if head == "" && n > 0 {
		return 0, apperr.New(apperr.Conflict, "audit", "the record of the last row is missing")
	}
	return n, nil
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
