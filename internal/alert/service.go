package alert

import (
	"context"
	"slices"
	"time"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/index"
)

// Store is what the service needs of storage.
type Store interface {
	AlertRules(ctx context.Context) ([]index.Rule, error)
	AddAlertRule(ctx context.Context, r *index.Rule, actor string) error
	UpdateAlertRule(ctx context.Context, r index.Rule, actor string) error
	// AlertFacts returns the bad reviews in the index since since, and,
	// with good, the other reviews summed per unit and hour.
	AlertFacts(ctx context.Context, since time.Time, good bool) ([]index.Fact, error)
	// RaiseAlerts stores the alerts whose keys are new, each with its
	// alert_opened notice and an audit row, and returns those it stored.
	RaiseAlerts(ctx context.Context, as []*Alert) ([]*Alert, error)
	// WithdrawnAlerts returns the alerts that crossed since since of
	// which a review has since left the index (an upheld appeal, a
	// review held as suspected, one a later review replaced).
	WithdrawnAlerts(ctx context.Context, since time.Time) ([]*Alert, error)
	Alerts(ctx context.Context, f Filter) (list []*Alert, next string, err error)
	Alert(ctx context.Context, id int64) (*Alert, error)
	AlertReviews(ctx context.Context, id int64) ([]Review, error)
	// ChangeAlert applies fn to the stored alert and saves it with an
	// audit row, or leaves it as stored when fn fails.
	ChangeAlert(ctx context.Context, id int64, actor string, act Action, fn func(*Alert) error) (*Alert, error)
}

// Service is what every door (API, console, scheduler) calls.
type Service struct {
	Store Store
	Now   func() time.Time
}

// NewService returns a service over st with the clock now.
func NewService(st Store, now func() time.Time) *Service { return &Service{Store: st, Now: now} }

// Rules returns every rule, enabled or not.
func (s *Service) Rules(ctx context.Context, a account.Actor) ([]index.Rule, error) {
	if err := CanReadRules(a); err != nil {
		return nil, err
	}
	return s.Store.AlertRules(ctx)
}

// AddRule stores a new rule.
func (s *Service) AddRule(ctx context.Context, a account.Actor, r index.Rule) (index.Rule, error) {
	if err := CanEditRules(a); err != nil {
		return r, err
	}
	if err := r.Validate(); err != nil {
		return r, err
	}
	r.ID = 0
	err := s.Store.AddAlertRule(ctx, &r, a.String())
	return r, err
}

// UpdateRule replaces stored rule r.ID. Its kind stays: a rule of another
// kind is another rule, and the alerts it raised keep naming what it was.
func (s *Service) UpdateRule(ctx context.Context, a account.Actor, r index.Rule) (index.Rule, error) {
	if err := CanEditRules(a); err != nil {
		return r, err
	}
	if err := r.Validate(); err != nil {
		return r, err
	}
	rules, err := s.Store.AlertRules(ctx)
	if err != nil {
		return r, err
	}
	for _, old := range rules {
		if old.ID == r.ID {
			if old.Kind != r.Kind {
				return r, apperr.Invalidf("kind", "a rule keeps its kind (%s): add a new rule instead", old.Kind)
			}
			return r, s.Store.UpdateAlertRule(ctx, r, a.String())
		}
	}
	return r, apperr.NotFoundf("rule", "no alert rule %d", r.ID)
}

// Sweep evaluates the enabled rules over the recent reviews and raises
// the findings not raised before. Evaluate needs facts over two windows
// of the longest rule before now.
func (s *Service) Sweep(ctx context.Context) ([]*Alert, error) {
	rules, err := s.Store.AlertRules(ctx)
	if err != nil {
		return nil, err
	}
	var on []index.Rule
	longest, rate := 0, false
	for _, r := range rules {
		if !r.Enabled {
			continue
		}
		on = append(on, r)
		longest = max(longest, r.Window)
		rate = rate || r.Kind == index.RuleUnitBadRate
	}
	if len(on) == 0 {
		return nil, nil
	}
	now := s.Now()
	facts, err := s.Store.AlertFacts(ctx, now.Add(-2*time.Duration(longest)*24*time.Hour), rate)
	if err != nil {
		return nil, err
	}
	unitOf := make(map[int64]string, len(facts))
	for _, f := range facts {
		if f.ID > 0 {
			unitOf[f.ID] = f.Unit
		}
	}
	found := index.Evaluate(on, facts, now)
	if len(found) == 0 {
		return nil, nil
	}
	withdrawn, err := s.Store.WithdrawnAlerts(ctx, now.Add(-2*time.Duration(longest)*24*time.Hour))
	if err != nil {
		return nil, err
	}
	as := make([]*Alert, 0, len(found))
	for _, f := range found {
		if !sameSpell(f, withdrawn, on) {
			as = append(as, FromFinding(f, unitOf[f.Reviews[len(f.Reviews)-1]], now))
		}
	}
	return s.Store.RaiseAlerts(ctx, as)
}

// sameSpell reports whether f is a concentration already raised: when a
// review of a raised alert leaves the index (an upheld appeal), the
// threshold is crossed again by a later review of the same spell, a
// finding with another key. It is the same spell when an alert of the same
// rule and group, one of whose reviews left, crossed within the rule's
// window of f (issue 18).
func sameSpell(f index.Finding, withdrawn []*Alert, rules []index.Rule) bool {
	for _, a := range withdrawn {
		if a.Rule != f.Rule || a.Kind != f.Kind || !slices.Equal(a.Group, f.Group) {
			continue
		}
		for _, r := range rules {
			if r.ID == f.Rule && r.Kind == f.Kind {
				if d := f.At.Sub(a.At).Abs(); d < windowOf(r) {
					return true
				}
			}
		}
	}
	return false
}

func windowOf(r index.Rule) time.Duration { return time.Duration(r.Window) * 24 * time.Hour }

// List returns the alerts a may see under f: a handler's own unit only.
func (s *Service) List(ctx context.Context, a account.Actor, f Filter) ([]*Alert, string, error) {
	if err := CanRead(a, nil); err != nil {
		return nil, "", err
	}
	if a.Role == account.Handler {
		f.Unit = a.Unit
	}
	return s.Store.Alerts(ctx, f)
}

// Get returns an alert with its reviews.
func (s *Service) Get(ctx context.Context, a account.Actor, id int64) (*Alert, []Review, error) {
	if err := CanRead(a, nil); err != nil {
		return nil, nil, err
	}
	al, err := s.Store.Alert(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if err := CanRead(a, &al.Unit); err != nil {
		return nil, nil, err
	}
	rs, err := s.Store.AlertReviews(ctx, id)
	return al, rs, err
}

// Act does act to alert id as a.
func (s *Service) Act(ctx context.Context, a account.Actor, id int64, act Action, note string) (*Alert, error) {
	if _, _, err := s.Get(ctx, a, id); err != nil {
		return nil, err
	}
	if err := CanAct(a); err != nil {
		return nil, err
	}
	return s.Store.ChangeAlert(ctx, id, a.String(), act, func(al *Alert) error {
		return al.Apply(act, a.String(), note, s.Now())
	})
}
