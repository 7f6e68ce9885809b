package store

// Issued reports (insert-only) and the work orders a report lists.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/haocha/haocha/internal/audit"
	"github.com/haocha/haocha/internal/i18n"
	"github.com/haocha/haocha/internal/report"
	"github.com/haocha/haocha/internal/workorder"
)

// SaveReport stores an issued report file with its SHA-256 and records the
// hash in the audit trail, in one transaction. A period, format and
// language already issued is kept as it was: SaveReport then reports false
// and changes nothing, so issuing is idempotent.
func (s *Store) SaveReport(ctx context.Context, file report.File, actor string) (bool, error) {
	saved, err := s.SaveReports(ctx, []report.File{file}, actor)
	return saved == 1, err
}

// SaveReports stores the files of one issue in one transaction, so that a
// period's languages and formats are issued together or not at all, and
// reports how many it stored (those already issued are kept as they were).
func (s *Store) SaveReports(ctx context.Context, files []report.File, actor string) (int, error) {
	now := s.Now()
	saved := 0
	err := s.inTx(ctx, func(t tx) error {
		saved = 0
		for _, file := range files {
			sum := sha256.Sum256(file.Content)
			hash := hex.EncodeToString(sum[:])
			res, err := t.exec(ctx, `INSERT INTO reports (period, format, lang, sha256, size, content, created_at, created_by)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (period, format, lang) DO NOTHING`,
				file.Period, string(file.Format), string(file.Lang), hash, len(file.Content), file.Content, millis(now), actor)
			if err != nil {
				return fmt.Errorf("%s %s %s: %w", file.Period, file.Format, file.Lang, err)
			}
			if n, err := res.RowsAffected(); err != nil || n == 0 {
				if err != nil {
					return err
				}
				continue
			}
			saved++
			if err := s.appendAudit(ctx, t, audit.Entry{At: now, Actor: actor, Action: "report_issued",
				Note: fmt.Sprintf("%s %s %s sha256=%s", file.Period, file.Format, file.Lang, hash)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("save reports: %w", err)
	}
	return saved, nil
}

// IssuedFiles lists the format and language of every file of period that
// was issued.
func (s *Store) IssuedFiles(ctx context.Context, period string) ([]report.File, error) {
	rows, err := s.query(ctx, "SELECT format, lang FROM reports WHERE period = ?", period)
	if err != nil {
		return nil, fmt.Errorf("report %s: %w", period, err)
	}
	defer rows.Close()
	var out []report.File
	for rows.Next() {
		var f, l string
		if err := rows.Scan(&f, &l); err != nil {
			return nil, fmt.Errorf("report %s: %w", period, err)
		}
		out = append(out, report.File{Period: period, Format: report.Format(f), Lang: i18n.Lang(l)})
	}
	return out, rows.Err()
}

const reportColumns = "id, period, format, lang, sha256, size, created_at, created_by"

func scanReport(row scanner, extra ...any) (report.Stored, error) {
	var r report.Stored
	var f, l string
	var at int64
	err := row.Scan(append([]any{&r.ID, &r.Period, &f, &l, &r.SHA256, &r.Size, &at, &r.CreatedBy}, extra...)...)
	r.Format, r.Lang, r.CreatedAt = report.Format(f), i18n.Lang(l), fromMillis(at)
	return r, err
}

// Reports lists issued reports without their content, last issued
// first, Chinese before English.
func (s *Store) Reports(ctx context.Context) ([]report.Stored, error) {
	rows, err := s.query(ctx, "SELECT "+reportColumns+" FROM reports ORDER BY created_at DESC, period DESC, lang DESC, id")
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

// Report returns an issued report file in language l with its content.
func (s *Store) Report(ctx context.Context, period string, f report.Format, l i18n.Lang) (report.Stored, error) {
	var content []byte
	r, err := scanReport(s.queryRow(ctx, "SELECT "+reportColumns+", content FROM reports WHERE period = ? AND format = ? AND lang = ?",
		period, string(f), string(l)), &content)
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
