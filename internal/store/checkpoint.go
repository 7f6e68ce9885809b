package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"

	"github.com/haocha/haocha/internal/calendar"
)

// AuditHead is the audit trail's last row and its hash (0 and genesis when
// it is empty).
func (s *Store) AuditHead(ctx context.Context) (int64, string, error) {
	seq, hash := int64(0), genesis
	err := s.queryRow(ctx, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").Scan(&seq, &hash)
	if err != nil && !isNoRows(err) {
		return 0, "", fmt.Errorf("audit head: %w", err)
	}
	return seq, hash, nil
}

// AuditHashAt is the chained hash of audit row seq.
func (s *Store) AuditHashAt(ctx context.Context, seq int64) (string, error) {
	var h string
	if err := s.queryRow(ctx, "SELECT hash FROM audit_log WHERE seq = ?", seq).Scan(&h); err != nil {
		return "", notFound(err, "audit", "no such audit row")
	}
	return h, nil
}

// ReviewDigest is the SHA-256 over the reviews given on day (YYYY-MM-DD,
// the city's zone), by id, of what a review says and never changes: not
// whether it is excluded from the index, which appeals and fraud holds
// change by right. It returns the digest and the number of reviews.
func (s *Store) ReviewDigest(ctx context.Context, day string) (string, int, error) {
	from, err := calendar.ParseDay(day)
	if err != nil {
		return "", 0, fmt.Errorf("review digest: %w", err)
	}
	to := calendar.Midnight(from.Add(36 * time.Hour))
	rows, err := s.query(ctx, digestReviewsQuery, millis(from), millis(to))
	if err != nil {
		return "", 0, fmt.Errorf("review digest: %w", err)
	}
	defer rows.Close()
	h, n := sha256.New(), 0
	for rows.Next() {
		var id, at, tags int64
		var stars int
		var sc [6]int
		var channel, item, stage, unit, ws, staff, comment, kind, txn string
		var anon bool
		if err := rows.Scan(&id, &at, &channel, &item, &stage, &unit, &ws, &staff, &stars, &sc[0], &sc[1], &sc[2], &sc[3], &sc[4], &sc[5],
			&tags, &comment, &anon, &kind, &txn); err != nil {
			return "", 0, err
		}
		fields := []string{strconv.FormatInt(id, 10), strconv.FormatInt(at, 10), channel, item, stage, unit, ws, staff,
			strconv.Itoa(stars), fmt.Sprint(sc), strconv.FormatInt(tags, 10), comment, strconv.FormatBool(anon), kind, txn}
		for _, f := range fields {
			fmt.Fprintf(h, "%d:%s|", len(f), f)
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// FirstReviewDay is the day of the oldest review, or "" when there are none.
func (s *Store) FirstReviewDay(ctx context.Context) (string, error) {
	var first sql.NullInt64
	if err := s.queryRow(ctx, "SELECT MIN(created_at) FROM reviews").Scan(&first); err != nil {
		return "", fmt.Errorf("first review: %w", err)
	}
	if !first.Valid {
		return "", nil
	}
	return fromMillis(first.Int64).In(calendar.Zone).Format(time.DateOnly), nil
}

// Setting reads a settings row; "" when it is not there.
func (s *Store) Setting(ctx context.Context, name string) (string, error) {
	var v string
	err := s.queryRow(ctx, "SELECT value FROM settings WHERE name = ?", name).Scan(&v)
	if err != nil && !isNoRows(err) {
		return "", fmt.Errorf("setting %s: %w", name, err)
	}
	return v, nil
}

// SetSetting writes a settings row.
func (s *Store) SetSetting(ctx context.Context, name, value string) error {
	return s.inTx(ctx, func(t tx) error { return setSetting(ctx, t, name, value) })
}

// digestReviewsQuery reads the reviews of a span of time for a digest.
const digestReviewsQuery = `SELECT id, created_at, channel, item, stage, unit, COALESCE(workstation, ''), COALESCE(staff, ''),
		stars, COALESCE(score1, 0), COALESCE(score2, 0), COALESCE(score3, 0), COALESCE(score4, 0), COALESCE(score5, 0), COALESCE(score6, 0),
		tags, comment, anonymous, reviewer_kind, COALESCE(txn, '')
	FROM reviews WHERE created_at >= ? AND created_at < ? ORDER BY id`
