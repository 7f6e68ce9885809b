package store

// The national 好差评 exchange: what a day sends (internal/national) and the
// durable state of its daily push.

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/haocha/haocha/internal/audit"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/national"
	"github.com/haocha/haocha/internal/review"
)

// NationalDay reads day (YYYY-MM-DD, the city's zone): the transactions
// reported that day, by reporting time and number, without their phones,
// and the reviews given that day that count in the index (neither held nor
// excluded), by id, without their contacts or comments.
func (s *Store) NationalDay(ctx context.Context, day string) (national.Day, error) {
	out := national.Day{Date: day}
	from, err := calendar.ParseDay(day)
	if err != nil {
		return out, fmt.Errorf("national day: %w", err)
	}
	start, end := millis(from), millis(calendar.Midnight(from.Add(36*time.Hour)))
	rows, err := s.query(ctx, "SELECT "+transactionColumns.sel("")+` FROM transactions
		WHERE reported_at >= ? AND reported_at < ? ORDER BY reported_at, number`, start, end)
	if err != nil {
		return out, fmt.Errorf("national transactions: %w", err)
	}
	if out.Transactions, err = scanTransactions(rows); err != nil {
		return out, fmt.Errorf("national transactions: %w", err)
	}
	out.Reviews, err = s.nationalReviews(ctx, start, end)
	return out, err
}

// nationalReviewsQuery reads a period's reviews by time (reviews_created).
const nationalReviewsQuery = `SELECT id, created_at, channel, item, stage, unit, COALESCE(district, ''), COALESCE(hall, ''),
			COALESCE(window_code, ''), COALESCE(workstation, ''), stars, dimension_set, score1, score2, score3, score4, score5, score6,
			tags, anonymous, reviewer_kind, COALESCE(txn, ''), origin
		FROM reviews WHERE created_at >= ? AND created_at < ? AND excluded IS NULL AND held IS NULL ORDER BY id`

func (s *Store) nationalReviews(ctx context.Context, start, end int64) ([]national.Review, error) {
	rows, err := s.query(ctx, nationalReviewsQuery, start, end)
	if err != nil {
		return nil, fmt.Errorf("national reviews: %w", err)
	}
	type scored struct {
		set    int64
		scores [review.MaxDimensions]sql.NullInt64
	}
	var out []national.Review
	var sc []scored
	for rows.Next() {
		var r national.Review
		var at, tags int64
		var x scored
		var origin string
		if err := rows.Scan(&r.ID, &at, &r.Channel, &r.Item, &r.Stage, &r.Unit, &r.District, &r.Hall, &r.Window, &r.WS,
			&r.Stars, &x.set, &x.scores[0], &x.scores[1], &x.scores[2], &x.scores[3], &x.scores[4], &x.scores[5],
			&tags, &r.Anonymous, &r.ReviewerKind, &r.Transaction, &origin); err != nil {
			rows.Close()
			return nil, fmt.Errorf("national reviews: %w", err)
		}
		r.At, r.Default = fromMillis(at), origin == string(review.Default)
		for _, t := range review.TagSet(tags).List() {
			r.Tags = append(r.Tags, string(t))
		}
		out, sc = append(out, r), append(sc, x)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("national reviews: %w", err)
	}
	// Scores are stored by position in the review's dimension set.
	for i := range out {
		set, err := s.DimensionSet(ctx, sc[i].set)
		if err != nil {
			return nil, err
		}
		for j, d := range set.Dimensions {
			if v := sc[i].scores[j]; v.Valid && v.Int64 > 0 {
				if out[i].Scores == nil {
					out[i].Scores = map[string]int{}
				}
				out[i].Scores[d.Code] = int(v.Int64)
			}
		}
	}
	return out, nil
}

// ScheduleNationalPushes adds a push for every day after the last one
// scheduled through through (YYYY-MM-DD); the first time, through alone,
// so that turning the push on does not send the whole history.
func (s *Store) ScheduleNationalPushes(ctx context.Context, through string, now time.Time) error {
	var last sql.NullString
	if err := s.queryRow(ctx, "SELECT MAX(day) FROM national_pushes").Scan(&last); err != nil {
		return fmt.Errorf("national pushes: %w", err)
	}
	day, err := calendar.ParseDay(through)
	if err != nil {
		return fmt.Errorf("national pushes: %w", err)
	}
	if last.Valid {
		if day, err = calendar.ParseDay(last.String); err != nil {
			return fmt.Errorf("national pushes: %w", err)
		}
		day = day.AddDate(0, 0, 1)
	}
	return s.inTx(ctx, func(t tx) error {
		for ; day.Format(time.DateOnly) <= through; day = day.AddDate(0, 0, 1) {
			if _, err := t.exec(ctx, "INSERT INTO national_pushes (day, next_attempt_at) VALUES (?, ?) ON CONFLICT (day) DO NOTHING",
				day.Format(time.DateOnly), millis(now)); err != nil {
				return fmt.Errorf("schedule national push: %w", err)
			}
		}
		return nil
	})
}

// NationalPushesDue lists the pushes not yet acknowledged whose next
// attempt is due by now, the oldest day first.
func (s *Store) NationalPushesDue(ctx context.Context, now time.Time, limit int) ([]national.Push, error) {
	rows, err := s.query(ctx, `SELECT day, attempts FROM national_pushes
		WHERE pushed_at IS NULL AND next_attempt_at <= ? ORDER BY day LIMIT ?`, millis(now), limit)
	if err != nil {
		return nil, fmt.Errorf("national pushes due: %w", err)
	}
	defer rows.Close()
	var out []national.Push
	for rows.Next() {
		var p national.Push
		if err := rows.Scan(&p.Day, &p.Attempts); err != nil {
			return nil, fmt.Errorf("national pushes due: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// NationalPush returns the state of day's push; not found before it is
// scheduled.
func (s *Store) NationalPush(ctx context.Context, day string) (national.Push, error) {
	p := national.Push{Day: day}
	var pushed sql.NullInt64
	var next int64
	err := s.queryRow(ctx, "SELECT attempts, next_attempt_at, last_error, manifest_sha256, pushed_at FROM national_pushes WHERE day = ?", day).
		Scan(&p.Attempts, &next, &p.LastError, &p.ManifestSHA256, &pushed)
	if err != nil {
		return p, notFound(err, "date", "no national push of %s", day)
	}
	p.NextAttempt = fromMillis(next)
	if pushed.Valid {
		p.PushedAt = fromMillis(pushed.Int64)
	}
	return p, nil
}

// NationalPushFailed records a failed attempt and when to try again.
func (s *Store) NationalPushFailed(ctx context.Context, day string, next time.Time, reason string) error {
	_, err := s.w.ExecContext(ctx, s.rebind(`UPDATE national_pushes SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?
		WHERE day = ? AND pushed_at IS NULL`), millis(next), reason, day)
	if err != nil {
		return fmt.Errorf("national push failed: %w", err)
	}
	return nil
}

// NationalPushed records day's push as acknowledged, and writes it to the
// audit trail in the same transaction.
func (s *Store) NationalPushed(ctx context.Context, day, manifestSHA string, at time.Time, actor string) error {
	return s.inTx(ctx, func(t tx) error {
		res, err := t.exec(ctx, `UPDATE national_pushes SET attempts = attempts + 1, pushed_at = ?, manifest_sha256 = ?, last_error = ''
			WHERE day = ? AND pushed_at IS NULL`, millis(at), manifestSHA, day)
		if err != nil {
			return fmt.Errorf("national pushed: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // acknowledged before: audited then
		}
		return s.appendAudit(ctx, t, audit.Entry{At: at, Actor: actor, Action: "national_pushed",
			Note: fmt.Sprintf("national exchange of %s delivered; manifest sha256 %s", day, manifestSHA)})
	})
}
