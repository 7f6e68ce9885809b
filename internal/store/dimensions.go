package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/review"
)

// ensureDimensionSet stores the default set when there is none.
// Processes migrating together store it once.
func (s *Store) ensureDimensionSet(ctx context.Context) error {
	return s.Exclusively(ctx, lockMigrate, func() error {
		var n int
		if err := s.queryRow(ctx, "SELECT COUNT(*) FROM dimension_sets").Scan(&n); err != nil {
			return fmt.Errorf("count dimension sets: %w", err)
		}
		if n > 0 {
			return nil
		}
		_, err := s.AddDimensionSet(ctx, review.DefaultDimensions)
		return err
	})
}

// AddDimensionSet stores a new version of a dimension set and makes it the
// one new reviews are given under.
func (s *Store) AddDimensionSet(ctx context.Context, set review.DimensionSet) (int64, error) {
	if len(set.Dimensions) == 0 || len(set.Dimensions) > review.MaxDimensions {
		return 0, apperr.Invalidf("dimensions", "a set has 1 to %d dimensions", review.MaxDimensions)
	}
	var id int64
	err := s.inTx(ctx, func(t tx) error {
		if _, err := t.exec(ctx, "UPDATE dimension_sets SET active = FALSE WHERE active"); err != nil {
			return err
		}
		err := t.queryRow(ctx, `INSERT INTO dimension_sets (name, version, active, created_at)
			VALUES (?, ?, TRUE, ?) RETURNING id`, set.Name, set.Version, millis(s.Now())).Scan(&id)
		if err != nil {
			return err
		}
		for i, d := range set.Dimensions {
			if _, err := t.exec(ctx, `INSERT INTO dimensions (dimension_set, position, code, name_zh, name_en)
				VALUES (?, ?, ?, ?, ?)`, id, i+1, d.Code, d.NameZH, d.NameEN); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("add dimension set %s v%d: %w", set.Name, set.Version, err)
	}
	s.mu.Lock()
	s.checked = time.Time{}
	s.mu.Unlock()
	return id, nil
}

// ActiveDimensionSet returns the set new reviews are given under. It is
// cached for a few seconds: sets change seldom, reviews come often.
func (s *Store) ActiveDimensionSet(ctx context.Context) (review.DimensionSet, error) {
	s.mu.Lock()
	id, fresh := s.active, time.Since(s.checked) < 10*time.Second
	s.mu.Unlock()
	if !fresh {
		err := s.queryRow(ctx, "SELECT id FROM dimension_sets WHERE active").Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return review.DimensionSet{}, fmt.Errorf("no active dimension set: run migrate")
		} else if err != nil {
			return review.DimensionSet{}, fmt.Errorf("active dimension set: %w", err)
		}
		s.mu.Lock()
		s.active, s.checked = id, time.Now()
		s.mu.Unlock()
	}
	return s.DimensionSet(ctx, id)
}

// DimensionSet returns the set with id.
func (s *Store) DimensionSet(ctx context.Context, id int64) (review.DimensionSet, error) {
	s.mu.Lock()
	set, ok := s.sets[id]
	s.mu.Unlock()
	if ok {
		return set, nil
	}
	set.ID = id
	err := s.queryRow(ctx, "SELECT name, version FROM dimension_sets WHERE id = ?", id).Scan(&set.Name, &set.Version)
	if err != nil {
		return set, fmt.Errorf("dimension set %d: %w", id, err)
	}
	rows, err := s.query(ctx, "SELECT code, name_zh, name_en FROM dimensions WHERE dimension_set = ? ORDER BY position", id)
	if err != nil {
		return set, fmt.Errorf("dimensions of set %d: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var d review.Dimension
		if err := rows.Scan(&d.Code, &d.NameZH, &d.NameEN); err != nil {
			return set, err
		}
		set.Dimensions = append(set.Dimensions, d)
	}
	if err := rows.Err(); err != nil {
		return set, err
	}
	s.mu.Lock()
	s.sets[id] = set
	s.mu.Unlock()
	return set, nil
}
