package store

// The complaint themes (差评主题) of bad reviews (migration 0120): stored
// once a review, counted per unit, hall, item or the city over a period.

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/review"
)

// Classifier gives the theme codes of a bad review.
type Classifier func(stars int, comment string, tags []string) []string

// unthemedQuery reads a batch of bad reviews without themes through the
// partial index reviews_bad_created, in its order: ordered by id, SQLite
// read every review from the first, in the scheduler's every round. It
// starts after the last review of the batch before (created_at, id).
const unthemedQuery = `SELECT r.id, r.created_at, r.unit, COALESCE(r.hall, ''), r.item, r.stars, r.tags, r.comment
			FROM reviews r WHERE r.stars <= 2 AND r.created_at >= ? AND (r.created_at > ? OR r.id > ?)
			AND NOT EXISTS (SELECT 1 FROM review_themes t WHERE t.review = r.id) ORDER BY r.created_at, r.id LIMIT 500`

// ClassifyThemes stores the themes of every bad review given since since
// that has none stored yet, a batch at a time, and returns how many it
// classified. Zero since backfills every bad review.
func (s *Store) ClassifyThemes(ctx context.Context, since time.Time, classify Classifier) (int, error) {
	done := 0
	// Each batch reads on from the last one's last review: read again from
	// the first, the backfill of 10M reviews read the classified ones once
	// a batch, hundreds of times.
	var afterAt, after int64
	for {
		rows, err := s.query(ctx, unthemedQuery, max(millis(since), afterAt), afterAt, after)
		if err != nil {
			return done, fmt.Errorf("classify themes: %w", err)
		}
		type bad struct {
			id, at                int64
			unit, hall, item, txt string
			stars                 int
			tags                  review.TagSet
		}
		var batch []bad
		for rows.Next() {
			var b bad
			if err := rows.Scan(&b.id, &b.at, &b.unit, &b.hall, &b.item, &b.stars, &b.tags, &b.txt); err != nil {
				rows.Close()
				return done, fmt.Errorf("classify themes: %w", err)
			}
			batch = append(batch, b)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return done, fmt.Errorf("classify themes: %w", err)
		}
		if len(batch) == 0 {
			return done, nil
		}
		afterAt, after = batch[len(batch)-1].at, batch[len(batch)-1].id
		// Classified before the write transaction, not in it: on SQLite it
		// holds the one writer, which the group commit of intake waits for
		// (a classifier's first call may train its models: seconds).
		codes := make([][]string, len(batch))
		for i, b := range batch {
			var tags []string
			for _, tag := range b.tags.List() {
				tags = append(tags, string(tag))
			}
			if codes[i] = classify(b.stars, b.txt, tags); len(codes[i]) == 0 {
				codes[i] = []string{""}
			}
		}
		err = s.inTx(ctx, func(t tx) error {
			*t.uncounted = true // themes are counted apart from the index
			for i, b := range batch {
				for _, code := range codes[i] {
					if _, err := t.exec(ctx, `INSERT INTO review_themes (review, created_at, unit, hall, item, theme)
						VALUES (?, ?, ?, ?, ?, ?)`, b.id, b.at, b.unit, b.hall, b.item, code); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			return done, fmt.Errorf("classify themes: %w", err)
		}
		done += len(batch)
	}
}

// ThemeAxis is what theme counts are grouped by: "unit", "hall", "item",
// "district" (every review given in the district's halls, as the district's
// page counts them), or "" for the whole city.
type ThemeAxis string

// ThemeCounts counts the bad reviews given in the days from to to
// (inclusive) of code on axis that count in the index, by theme.
func (s *Store) ThemeCounts(ctx context.Context, axis ThemeAxis, code string, from, to time.Time) (map[string]int64, error) {
	if axis == "" {
		code = ""
	} else if code == "" {
		// An empty code would ask for every member's.
		return map[string]int64{}, nil
	}
	by, err := s.ThemeCountsByMember(ctx, axis, code, from, to)
	if err != nil {
		return nil, err
	}
	if out, ok := by[code]; ok {
		return out, nil
	}
	return map[string]int64{}, nil
}

// ThemeCountsByMember is ThemeCounts of every member of axis at once, by
// member code (the city's under ""), in one read: the boards cache holds
// a period's counts of a whole axis, so that no page view counts themes.
// A non-empty code counts that member's alone.
func (s *Store) ThemeCountsByMember(ctx context.Context, axis ThemeAxis, code string, from, to time.Time) (map[string]map[string]int64, error) {
	where := "t.theme <> '' AND t.created_at >= ? AND t.created_at < ?"
	args := []any{millis(calendar.Midnight(from)), millis(calendar.Midnight(to).AddDate(0, 0, 1))}
	member := "''"
	switch axis {
	case "unit", "hall", "item":
		member = "t." + string(axis)
	case "district":
		member = "r.district"
	case "":
	default:
		return nil, fmt.Errorf("theme counts: unknown axis %q", axis)
	}
	group := member + ", t.theme"
	if axis == "" {
		// PostgreSQL refuses a constant to group by.
		group = "t.theme"
	} else if code != "" {
		where += " AND " + member + " = ?"
		args = append(args, code)
	}
	s.themeReads.Add(1)
	// Held and excluded reviews leave the counts as they leave the index.
	rows, err := s.query(ctx, `SELECT `+member+`, t.theme, COUNT(*) FROM review_themes t
		JOIN reviews r ON r.id = t.review AND r.created_at = t.created_at
		WHERE `+where+` AND r.excluded IS NULL AND r.held IS NULL AND r.superseded IS NULL GROUP BY `+group, args...)
	if err != nil {
		return nil, fmt.Errorf("theme counts: %w", err)
	}
	defer rows.Close()
	out := map[string]map[string]int64{}
	for rows.Next() {
		var m sql.NullString
		var theme string
		var n int64
		if err := rows.Scan(&m, &theme, &n); err != nil {
			return nil, fmt.Errorf("theme counts: %w", err)
		}
		if out[m.String] == nil {
			out[m.String] = map[string]int64{}
		}
		out[m.String][theme] = n
	}
	return out, rows.Err()
}

// ThemeReads is how many times theme counts were read from the database
// since the store was opened: a page served from the boards cache adds
// none.
func (s *Store) ThemeReads() int64 { return s.themeReads.Load() }

// CityThemeCounts is ThemeCounts of the whole city: the 通报's themes.
func (s *Store) CityThemeCounts(ctx context.Context, from, to time.Time) (map[string]int64, error) {
	return s.ThemeCounts(ctx, "", "", from, to)
}
