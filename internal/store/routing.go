package store

import (
	"context"
	"fmt"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/audit"
	"github.com/haocha/haocha/internal/routing"
)

// RoutingRules returns every routing rule, by kind and key. The table is
// small: one row per item or hall that has a rule.
func (s *Store) RoutingRules(ctx context.Context) ([]routing.Rule, error) {
	rows, err := s.query(ctx, "SELECT kind, rule_key, unit, updated_at, updated_by FROM routing_rules ORDER BY kind, rule_key")
	if err != nil {
		return nil, fmt.Errorf("routing rules: %w", err)
	}
	defer rows.Close()
	var out []routing.Rule
	for rows.Next() {
		var r routing.Rule
		var kind string
		var at int64
		if err := rows.Scan(&kind, &r.Key, &r.Unit, &at, &r.UpdatedBy); err != nil {
			return nil, err
		}
		r.Kind, r.UpdatedAt = routing.Kind(kind), fromMillis(at)
		out = append(out, r)
	}
	return out, rows.Err()
}

// PutRoutingRule adds r or replaces the rule of its item or hall, with an
// audit row naming who.
func (s *Store) PutRoutingRule(ctx context.Context, r routing.Rule) error {
	return s.inTx(ctx, func(t tx) error {
		_, err := t.exec(ctx, `INSERT INTO routing_rules (kind, rule_key, unit, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (kind, rule_key) DO UPDATE SET unit = excluded.unit, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			string(r.Kind), r.Key, r.Unit, millis(r.UpdatedAt), r.UpdatedBy)
		if err != nil {
			return fmt.Errorf("put routing rule: %w", err)
		}
		return s.appendAudit(ctx, t, audit.Entry{At: r.UpdatedAt, Actor: r.UpdatedBy, Action: "routing_rule_set",
			Note: fmt.Sprintf("%s %s → unit %s", r.Kind, r.Key, r.Unit)})
	})
}

// DeleteRoutingRule removes the rule of an item or hall, with an audit row.
func (s *Store) DeleteRoutingRule(ctx context.Context, actor string, kind routing.Kind, key string) error {
	return s.inTx(ctx, func(t tx) error {
		res, err := t.exec(ctx, "DELETE FROM routing_rules WHERE kind = ? AND rule_key = ?", string(kind), key)
		if err != nil {
			return fmt.Errorf("delete routing rule: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.NotFoundf("routing_rule", "no routing rule for %s %q", kind, key)
		}
		return s.appendAudit(ctx, t, audit.Entry{At: s.Now(), Actor: actor, Action: "routing_rule_deleted",
			Note: fmt.Sprintf("%s %s", kind, key)})
	})
}
