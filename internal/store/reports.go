package store

// Issued reports (insert-only) and the work orders a report lists.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/haocha/haocha/internal/audit"
	"github.com/haocha/haocha/internal/report"
	"github.com/haocha/haocha/internal/workorder"
)

// SaveReport stores an issued report with its SHA-256 and records the hash
// in the audit trail, in one transaction. A period and format already
// issued is kept as it was: SaveReport then reports false and changes
// nothing, so issuing is idempotent.
func (s *Store) SaveReport(ctx context.Context, period string, f report.Format, content []byte, actor string) (bool, error) {
	sum := sha256.Sum256(content)
	hash := hex.EncodeToString(sum[:])
	now := s.Now()
	var saved bool
	err := s.inTx(ctx, func(t tx) error {
		res, err := t.exec(ctx, `INSERT INTO reports (period, format, sha256, size, content, created_at, created_by)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (period, format) DO NOTHING`,
			period, string(f), hash, len(content), content, millis(now), actor)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		saved = true
		return s.appendAudit(ctx, t, audit.Entry{At: now, Actor: actor, Action: "report_issued",
			Note: fmt.Sprintf("%s %s sha256=%s", period, f, hash)})
	})
	if err != nil {
		return false, fmt.Errorf("save report %s %s: %w", period, f, err)
	}
	return saved, nil
}

// HasReport reports whether the report of period in format f was issued.
func (s *Store) HasReport(ctx context.Context, period string, f report.Format) (bool, error) {
	var n int
	err := s.queryRow(ctx, "SELECT COUNT(*) FROM reports WHERE period = ? AND format = ?", period, string(f)).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("report %s: %w", period, err)
	}
	return n > 0, nil
}

const reportColumns = "id, period, format, sha256, size, created_at, created_by"

func scanReport(row scanner, extra ...any) (report.Stored, error) {
	var r report.Stored
	var f string
	var at int64
	err := row.Scan(append([]any{&r.ID, &r.Period, &f, &r.SHA256, &r.Size, &at, &r.CreatedBy}, extra...)...)
	r.Format, r.CreatedAt = report.Format(f), fromMillis(at)
	return r, err
}

// Reports lists issued reports without their content, last issued
// first.
func (s *Store) Reports(ctx context.Context) ([]report.Stored, error) {
	rows, err := s.query(ctx, "SELECT "+reportColumns+" FROM reports ORDER BY created_at DESC, id")
	if err != nil {
		return nil, fmt.Errorf("reports: %w", err)
	}
	defer rows.Close()
	var out []report.Stored
	for rows.Next() {
		r, err := scanReport(rows)
		if err != nil {
			return nil, fmt.Errorf("reports: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Report returns an issued report with its content.
func (s *Store) Report(ctx context.Context, period string, f report.Format) (report.Stored, error) {
	var content []byte
	r, err := scanReport(s.queryRow(ctx, "SELECT "+reportColumns+", content FROM reports WHERE period = ? AND format = ?",
		period, string(f)), &content)
	r.Content = content
	return r, notFound(err, "period", "no report issued for that period and format")
}

// PeriodOrders lists the work orders opened in [from, to), oldest first,
// with their review's item and stars.
func (s *Store) PeriodOrders(ctx context.Context, from, to time.Time) ([]workorder.Row, error) {
	return s.orderRows(ctx, "SELECT "+orderColumns.sel("o")+rowColumns+`
		FROM work_orders o JOIN reviews r ON r.id = o.review JOIN items i ON i.code = r.item
		WHERE o.created_at >= ? AND o.created_at < ? ORDER BY o.id`, []any{millis(from), millis(to)}, false)
}

// AuditByAction returns the audit rows of one action, oldest first: the
// reports issued, say, with their SHA-256.
func (s *Store) AuditByAction(ctx context.Context, action string) ([]audit.Entry, error) {
	return s.auditRows(ctx, " WHERE action = ?", action)
}
