package store

import (
	"context"
	"fmt"
)

// LabelDemoReviews labels the demo reviews ids with kind: "honest" or the
// attack that made them.
func (s *Store) LabelDemoReviews(ctx context.Context, kind string, ids []int64) error {
	return s.inTx(ctx, func(t tx) error {
		for _, id := range ids {
			if _, err := t.exec(ctx, "INSERT INTO demo_labels (review, kind) VALUES (?, ?)", id, kind); err != nil {
				return fmt.Errorf("label demo review %d: %w", id, err)
			}
		}
		return nil
	})
}

// LabelCount is how many reviews of one label there are and how many of
// them the detectors held (a supervisor's later release still counts:
// the detectors held it).
type LabelCount struct {
	Kind    string
	Reviews int
	Held    int
}

// DemoLabelCounts counts the labelled demo reviews by kind.
func (s *Store) DemoLabelCounts(ctx context.Context) ([]LabelCount, error) {
	rows, err := s.query(ctx, `SELECT l.kind, COUNT(*),
			SUM(CASE WHEN r.held IS NOT NULL OR EXISTS (SELECT 1 FROM held_decisions d WHERE d.review = r.id) THEN 1 ELSE 0 END)
		FROM demo_labels l JOIN reviews r ON r.id = l.review GROUP BY l.kind ORDER BY l.kind`)
	if err != nil {
		return nil, fmt.Errorf("demo labels: %w", err)
	}
	defer rows.Close()
	var out []LabelCount
	for rows.Next() {
		var c LabelCount
		if err := rows.Scan(&c.Kind, &c.Reviews, &c.Held); err != nil {
			return nil, fmt.Errorf("demo labels: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
