package transaction

import (
	"context"
	"slices"
	"time"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/review"
)

// Store is what the service needs of storage: the catalogue, and a write
// that stores new transactions and tells which numbers it had already.
type Store interface {
	review.Catalog
	// SaveTransactions stores ts by number, keeping a number stored
	// before; it returns the stored version of each number it kept.
	SaveTransactions(ctx context.Context, ts []*Transaction, reporter int64) (map[string]*Transaction, error)
	// StaffUnit is the unit a staff member works for; NotFound if none.
	StaffUnit(ctx context.Context, staff string) (string, error)
}

// ClockSkew is how far in the future an integration account's finish time
// may be: a business system's clock a few minutes ahead is tolerated, a
// transaction finishing tomorrow is not.
const ClockSkew = 5 * time.Minute

// Service takes transaction reports in.
type Service struct {
	Store Store
	// RatingDays is the rating window; 0 means DefaultRatingDays.
	RatingDays int
	// Reported is told the transactions a report created, once stored
	// (the window devices show them at once); nil tells nobody.
	Reported func(ts []*Transaction)
	// Now is the clock the finish time is checked against; nil: time.Now.
	Now func() time.Time
}

// Reporter is who reports: an integration account and the units it may
// report for; nil Units means any unit (the command-line import).
type Reporter struct {
	ID    int64
	Units []string
}

// Report checks, resolves and stores recs, answering each by its index:
// created, unchanged, or the error with its field. Only a fault of the
// store fails the whole report.
func (s *Service) Report(ctx context.Context, by Reporter, recs []Record) ([]Result, error) {
	if len(recs) > MaxBatch {
		return nil, apperr.Invalidf("transactions", "at most %d records a batch, got %d", MaxBatch, len(recs))
	}
	days := s.RatingDays
	if days == 0 {
		days = DefaultRatingDays
	}
	now := time.Now()
	if s.Now != nil {
		now = s.Now()
	}
	scope, err := s.scopeOf(ctx, by)
	if err != nil {
		return nil, err
	}
	out := make([]Result, len(recs))
	var good []*Transaction
	var at []int
	batch := map[string]*Transaction{}
	for i, rec := range recs {
		t, err := rec.Check(days)
		if err == nil && by.Units != nil && !slices.Contains(by.Units, t.Unit) {
			err = apperr.New(apperr.Forbidden, "unit", "this account may not report for unit %s", t.Unit)
		}
		if err == nil && by.Units != nil {
			err = finishedInWindow(t, now, days)
		}
		if err == nil {
			err = s.resolve(ctx, t)
		}
		if err == nil && scope != nil {
			err = s.inScope(ctx, t, scope)
		}
		if err == nil {
			err = repeated(batch[t.Number], t)
		}
		if err != nil {
			if apperr.As(err) == nil {
				return nil, err
			}
			out[i] = Fail(rec.Number, err)
			continue
		}
		if batch[t.Number] != nil {
			out[i] = Result{Number: t.Number, Status: Unchanged}
			continue
		}
		batch[t.Number] = t
		good = append(good, t)
		at = append(at, i)
	}
	kept, err := s.Store.SaveTransactions(ctx, good, by.ID)
	if err != nil {
		return nil, err
	}
	var created []*Transaction
	for j, t := range good {
		res := Result{Number: t.Number, Status: Created}
		if old := kept[t.Number]; old != nil {
			res.Status = Unchanged
			if err := repeated(old, t); err != nil {
				res = Fail(t.Number, err)
			}
		} else {
			created = append(created, t)
		}
		out[at[j]] = res
	}
	if s.Reported != nil && len(created) > 0 {
		s.Reported(created)
	}
	return out, nil
}

// finishedInWindow refuses a finish time an integration account cannot
// honestly report: later than now (beyond ClockSkew), or so long ago that
// the rating window of days closed already.
func finishedInWindow(t *Transaction, now time.Time, days int) error {
	if t.FinishedAt.After(now.Add(ClockSkew)) {
		return apperr.Invalidf("finished_at", "in the future: at most %s ahead of the server's clock", ClockSkew)
	}
	if !RatingCloses(t.FinishedAt, days).After(now) {
		return apperr.Invalidf("finished_at", "older than the rating window of %d days", days)
	}
	return nil
}

// scope is what an integration account reports for: its units, and the
// districts they belong to (a district's halls seat its agencies).
type scope struct {
	units, districts map[string]bool
}

// scopeOf is by's scope; nil for the command-line import, which reports
// for any unit.
func (s *Service) scopeOf(ctx context.Context, by Reporter) (*scope, error) {
	if by.Units == nil {
		return nil, nil
	}
	sc := &scope{units: map[string]bool{}, districts: map[string]bool{}}
	for _, code := range by.Units {
		sc.units[code] = true
		u, err := s.Store.Unit(ctx, code)
		if apperr.CodeOf(err) == apperr.NotFound {
			continue
		}
		if err != nil {
			return nil, err
		}
		if u.District != "" {
			sc.districts[u.District] = true
		}
	}
	return sc, nil
}

// owns reports whether a hall or staff member of unit, in district,
// belongs to the scope.
func (sc *scope) owns(unit, district string) bool {
	return sc.units[unit] || district != "" && sc.districts[district]
}

// inScope refuses a resolved t whose hall (and so workstation) or staff
// member belongs to none of the account's units or their districts: an
// account reports only what its own units served.
func (s *Service) inScope(ctx context.Context, t *Transaction, sc *scope) error {
	if t.Workstation != "" {
		p, err := s.Store.Place(ctx, t.Workstation)
		if err != nil {
			return invalid(err, "workstation")
		}
		if !sc.owns(p.Hall.Unit, p.Hall.District) {
			return apperr.New(apperr.Forbidden, "workstation", "workstation %s is in hall %s, which this account may not report for", t.Workstation, p.Hall.Code)
		}
	}
	if t.Staff == "" {
		return nil
	}
	unit, err := s.Store.StaffUnit(ctx, t.Staff)
	if err != nil {
		return invalid(err, "staff")
	}
	district := ""
	if u, err := s.Store.Unit(ctx, unit); err == nil {
		district = u.District
	} else if apperr.CodeOf(err) != apperr.NotFound {
		return err
	}
	if !sc.owns(unit, district) {
		return apperr.New(apperr.Forbidden, "staff", "staff member %s works for unit %s, which this account may not report for", t.Staff, unit)
	}
	return nil
}

// repeated refuses a number reported before with other content.
func repeated(old, t *Transaction) error {
	if old == nil || old.Same(t) {
		return nil
	}
	return apperr.New(apperr.Conflict, "number", "transaction %s was reported before with other content", t.Number)
}

// resolve checks t's codes against the catalogue and fills in what the
// workstation implies: its hall, window and district, and its staff when
// the record names none.
func (s *Service) resolve(ctx context.Context, t *Transaction) error {
	item, err := s.Store.Item(ctx, t.Item)
	if err != nil {
		return invalid(err, "item")
	}
	for _, st := range t.Stages {
		if _, ok := item.Stage(st); !ok {
			return apperr.Invalidf("stages", "item %s has no stage %q", t.Item, st)
		}
	}
	u, err := s.Store.Unit(ctx, t.Unit)
	if err != nil {
		return invalid(err, "unit")
	}
	t.District = u.District
	if t.Workstation == "" {
		return nil
	}
	p, err := s.Store.Place(ctx, t.Workstation)
	if err != nil {
		return invalid(err, "workstation")
	}
	if t.Hall != "" && t.Hall != p.Hall.Code {
		return apperr.Invalidf("hall", "workstation %s is in hall %s, not %s", t.Workstation, p.Hall.Code, t.Hall)
	}
	t.Hall, t.Window, t.District = p.Hall.Code, p.Window.Code, p.Hall.District
	if t.Staff == "" && p.Staff != nil {
		t.Staff = p.Staff.Code
	}
	return nil
}

// invalid turns "not found" into a wrong value of field.
func invalid(err error, field string) error {
	if e := apperr.As(err); e != nil && e.Code == apperr.NotFound {
		return apperr.Invalidf(field, "%s", e.Message)
	}
	return err
}
