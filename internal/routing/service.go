package routing

import (
	"context"
	"time"
)

// Store is what keeping the rules reads and writes.
type Store interface {
	Catalog
	RoutingRules(ctx context.Context) ([]Rule, error)
	PutRoutingRule(ctx context.Context, r Rule) error
	DeleteRoutingRule(ctx context.Context, actor string, kind Kind, key string) error
}

// Service keeps the routing rules, for the administrator's page and the
// API alike.
type Service struct {
	Store Store
	Now   func() time.Time
}

// Put checks r and adds or replaces it, as by (the actor's audit name).
func (s *Service) Put(ctx context.Context, by string, r Rule) (Rule, error) {
	r, err := Check(ctx, s.Store, r)
	if err != nil {
		return r, err
	}
	r.UpdatedAt, r.UpdatedBy = s.Now(), by
	return r, s.Store.PutRoutingRule(ctx, r)
}

// Delete removes the rule of kind for key, as by.
func (s *Service) Delete(ctx context.Context, by string, kind Kind, key string) error {
	return s.Store.DeleteRoutingRule(ctx, by, kind, key)
}

// Rules lists the rules, never nil.
func (s *Service) Rules(ctx context.Context) ([]Rule, error) {
	rules, err := s.Store.RoutingRules(ctx)
	if rules == nil && err == nil {
		rules = []Rule{}
	}
	return rules, err
}
