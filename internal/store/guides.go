package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/haocha/haocha/internal/catalog"
)

// putGuides stores service guides; an item's guide in a language replaces
// the one stored.
func putGuides(ctx context.Context, t tx, guides []catalog.Guide) error {
	for _, g := range guides {
		if _, err := t.exec(ctx, `INSERT INTO item_guides (item, lang, materials, conditions, time_limit, fees, place, hours)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (item, lang) DO UPDATE SET materials = excluded.materials, conditions = excluded.conditions,
			time_limit = excluded.time_limit, fees = excluded.fees, place = excluded.place, hours = excluded.hours`,
			g.Item, g.Lang, strings.Join(g.Materials, "\n"), g.Conditions, g.TimeLimit, g.Fees, g.Place, g.Hours); err != nil {
			return fmt.Errorf("guide %s/%s: %w", g.Item, g.Lang, err)
		}
	}
	return nil
}

// Guides returns an item's service guides, one per language stored.
func (s *Store) Guides(ctx context.Context, item string) ([]catalog.Guide, error) {
	rows, err := s.query(ctx, `SELECT item, lang, materials, conditions, time_limit, fees, place, hours
		FROM item_guides WHERE item = ? ORDER BY lang`, item)
	if err != nil {
		return nil, fmt.Errorf("guides of %s: %w", item, err)
	}
	defer rows.Close()
	var out []catalog.Guide
	for rows.Next() {
		var g catalog.Guide
		var materials string
		if err := rows.Scan(&g.Item, &g.Lang, &materials, &g.Conditions, &g.TimeLimit, &g.Fees, &g.Place, &g.Hours); err != nil {
			return nil, fmt.Errorf("guides of %s: %w", item, err)
		}
		if materials != "" {
			g.Materials = strings.Split(materials, "\n")
		}
		out = append(out, g)
	}
	return out, rows.Err()
}
