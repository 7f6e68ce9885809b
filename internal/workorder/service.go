package workorder

import (
	"context"
	"fmt"
	"github.com/haocha/haocha/internal/account"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/audit"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/review"
)

// Store is what the work-order service needs of storage. ChangeOrder loads
// an order, lets fn change it and stores it with its audit row and notice
// in one transaction; a concurrent change is a conflict.
type Store interface {
	Calendar(ctx context.Context) (*calendar.Calendar, error)
	Units(ctx context.Context, kind catalog.UnitKind) ([]catalog.Unit, error)
	Unit(ctx context.Context, code string) (catalog.Unit, error)
	Item(ctx context.Context, code string) (catalog.Item, error)
	Order(ctx context.Context, id int64) (*Order, error)
	OrderByNumber(ctx context.Context, number string) (*Order, error)
	OrderByToken(ctx context.Context, token string) (*Order, error)
	Orders(ctx context.Context, f Filter) ([]Row, error)
	OrderReview(ctx context.Context, reviewID int64) (*review.Record, error)
	ChangeOrder(ctx context.Context, id int64, actor account.Actor, fn ChangeFunc) (*Order, Change, error)
	RecordView(ctx context.Context, actor account.Actor, o *Order, note string) error
	AuditOf(ctx context.Context, order int64) ([]audit.Entry, error)
	Steps(ctx context.Context, order int64) ([]Step, error)
	Causes(ctx context.Context) ([]Cause, error)
	Watch(ctx context.Context, w Watch) (overdue, dueSoon, escalate []int64, err error)
}

// Service is the closed loop as every door uses it (the consoles, the
// work-order API, the citizen's follow page, the scheduler): the same
// rules, the same authorization, the same audit trail.
type Service struct {
	Store Store
	// Now is the clock.
	Now func() time.Time
	// Contacts opens a reviewer's sealed contact for a viewer allowed to
	// see it; nil shows it as stored (tests of clear contacts).
	Contacts review.ContactCipher
	// Cursors seals the cursors of the lists it pages (ListPage).
	Cursors CursorSeal

	mu    sync.Mutex
	cal   *calendar.Calendar
	calAt time.Time
}

// NewService returns the service over st with the clock now.
func NewService(st Store, now func() time.Time) *Service {
	return &Service{Store: st, Now: now}
}

// Calendar returns the working-day calendar, reloaded every minute so an
// import reaches every process.
func (s *Service) Calendar(ctx context.Context) (*calendar.Calendar, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cal == nil || time.Since(s.calAt) > time.Minute {
		c, err := s.Store.Calendar(ctx)
		if err != nil {
			return nil, err
		}
		s.cal, s.calAt = c, time.Now()
	}
	return s.cal, nil
}

// ForgetCalendar makes the next Calendar call reload.
func (s *Service) ForgetCalendar() {
	s.mu.Lock()
	s.cal = nil
	s.mu.Unlock()
}

// Units returns every unit by code.
func (s *Service) Units(ctx context.Context) (map[string]catalog.Unit, error) {
	list, err := s.Store.Units(ctx, "")
	if err != nil {
		return nil, err
	}
	units := make(map[string]catalog.Unit, len(list))
	for _, u := range list {
		units[u.Code] = u
	}
	return units, nil
}

// Input is what an action takes; each action reads the fields it needs.
type Input struct {
	Unit          string     `json:"unit,omitempty"`
	Complexity    Complexity `json:"complexity,omitempty"`
	Days          int        `json:"days,omitempty"`
	Note          string     `json:"note,omitempty"`
	Satisfied     *bool      `json:"satisfied,omitempty"`
	Reason        string     `json:"reason,omitempty"`
	Findings      string     `json:"findings,omitempty"`
	Rectification string     `json:"rectification,omitempty"`
	Answer        string     `json:"answer,omitempty"`
	Grant         *bool      `json:"grant,omitempty"`
	Uphold        *bool      `json:"uphold,omitempty"`
	Ground        string     `json:"ground,omitempty"`
	Cause         string     `json:"cause,omitempty"`
}

func (in Input) assignment() Assignment {
	return Assignment{Unit: strings.TrimSpace(in.Unit), Complexity: in.Complexity, Days: in.Days, Note: in.Note}
}

// Required reads a yes-or-no answer that must be given.
func Required(b *bool, field string) (bool, error) {
	if b == nil {
		return false, apperr.Invalidf(field, "required: yes or no")
	}
	return *b, nil
}

// Actions are the actions a staff member or integration may request, by
// the name used in URLs.
var Actions = map[string]Action{
	"dispatch":          ActDispatch,
	"redispatch":        ActRedispatch,
	"contact":           ActContact,
	"reply":             ActReply,
	"follow-up":         ActFollowUp,
	"escalate":          ActEscalate,
	"reassign-request":  ActAskReassign,
	"reassign-decision": ActDecideReassign,
	"appeal":            ActAppeal,
	"appeal-decision":   ActDecideAppeal,
	"assessment":        ActAssessment,
	"cause":             ActRecordCause,
	"cause-contest":     ActContestCause,
	"cause-decision":    ActDecideCause,
}

// Act does act to order id for a, or refuses it and changes nothing.
func (s *Service) Act(ctx context.Context, a account.Actor, id int64, act Action, in Input) (*Order, error) {
	cal, err := s.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	o, _, err := s.Store.ChangeOrder(ctx, id, a, func(o *Order) (Change, error) {
		if err := Authorize(a, act, o); err != nil {
			return Change{}, err
		}
		now := s.Now()
		checkUnit := func() error {
			if in.Unit == "" {
				return nil // the domain says it is required
			}
			_, err := s.Store.Unit(ctx, strings.TrimSpace(in.Unit))
			if apperr.Is(err, apperr.NotFound) {
				return apperr.Invalidf("unit", "unknown unit %q", in.Unit)
			}
			return err
		}
		switch act {
		case ActDispatch, ActRedispatch:
			if err := checkUnit(); err != nil {
				return Change{}, err
			}
			if act == ActDispatch {
				return o.Dispatch(now, cal, in.assignment())
			}
			return o.Redispatch(now, cal, in.assignment())
		case ActContact:
			return o.RecordContact(now, in.Note)
		case ActReply:
			return o.Answer(now, Reply{Findings: in.Findings, Rectification: in.Rectification, Answer: in.Answer})
		case ActFollowUp:
			sat, err := Required(in.Satisfied, "satisfied")
			if err != nil {
				return Change{}, err
			}
			c, err := o.FollowUp(now, sat, in.Reason)
			c.Note = "by phone: " + c.Note
			return c, err
		case ActEscalate:
			return o.Escalate(now, in.Note)
		case ActAskReassign:
			return o.AskReassign(now, in.Reason)
		case ActDecideReassign:
			grant, err := Required(in.Grant, "grant")
			if err != nil {
				return Change{}, err
			}
			if err := checkUnit(); err != nil {
				return Change{}, err
			}
			return o.DecideReassign(now, cal, grant, in.assignment())
		case ActAppeal:
			return o.FileAppeal(now, in.Ground, in.Reason)
		case ActDecideAppeal:
			up, err := Required(in.Uphold, "uphold")
			if err != nil {
				return Change{}, err
			}
			return o.DecideAppeal(now, up, in.Note)
		case ActAssessment:
			return o.MarkAssessment(now, in.Note)
		case ActRecordCause, ActDecideCause:
			list, err := s.Store.Causes(ctx)
			if err != nil {
				return Change{}, err
			}
			if act == ActRecordCause {
				return o.RecordCause(now, list, in.Cause, in.Note)
			}
			up, err := Required(in.Uphold, "uphold")
			if err != nil {
				return Change{}, err
			}
			return o.DecideCause(now, list, up, in.Cause, in.Note)
		case ActContestCause:
			return o.ContestCause(now, in.Reason)
		}
		return Change{}, apperr.New(apperr.NotFound, "action", "no such action")
	})
	return o, err
}

// CitizenFollowUp records the citizen's own follow-up through the private
// link.
func (s *Service) CitizenFollowUp(ctx context.Context, token string, satisfied bool, reason string) (*Order, error) {
	o, err := s.Store.OrderByToken(ctx, token)
	if err != nil {
		return nil, err
	}
	citizen := account.Actor{Role: account.Citizen}
	o, _, err = s.Store.ChangeOrder(ctx, o.ID, citizen, func(o *Order) (Change, error) {
		if err := Authorize(citizen, ActFollowUp, o); err != nil {
			return Change{}, err
		}
		return o.FollowUp(s.Now(), satisfied, reason)
	})
	return o, err
}

// List returns the orders a may see that f selects. A handler sees only
// its unit's orders, whatever f says.
func (s *Service) List(ctx context.Context, a account.Actor, f Filter) ([]Row, error) {
	if !CanList(a.Role) {
		return nil, apperr.New(apperr.Forbidden, "", "a %s does not handle work orders", a.Role)
	}
	if a.Role == account.Handler {
		f.Unit = a.Unit
		if f.Unit == "" {
			return nil, nil
		}
	}
	if f.Now.IsZero() {
		f.Now = s.Now()
	}
	if f.DispatchLateBy.IsZero() {
		cal, err := s.Calendar(ctx)
		if err != nil {
			return nil, err
		}
		f.DispatchLateBy = cal.LateBy(f.Now, DispatchDays)
	}
	if f.DueSoonBy.IsZero() {
		f.DueSoonBy = f.Now.Add(DefaultRules.DueSoon)
	}
	rows, err := s.Store.Orders(ctx, f)
	if err != nil {
		return nil, err
	}
	for i := range rows {
		rows[i].ReviewAt = review.StaffTime(rows[i].ReviewAt, rows[i].Anonymous)
		rows[i].Order.ForStaff(rows[i].Anonymous)
	}
	return rows, nil
}

// forStaff cuts from an anonymous review, and from the order it opened,
// what would let staff find the reviewer (review.Record.ForStaff): the
// transaction number names the applicant, and the minute, matched with a
// hall's queue or camera, names them too. The day is kept: deadlines are
// counted in days.
func forStaff(o *Order, r *review.Record) {
	r.ForStaff()
	o.ForStaff(r.Anonymous)
}

// OrderView is an order with its review, as a shows it.
type OrderView struct {
	Order    *Order
	Review   *review.Record // Contact already cut to what the viewer may see
	ItemName string
	UnitName string
	Identity Identity
	Audit    []audit.Entry
	// History is every round's dispatch, contact, reply and follow-up,
	// oldest first: for every role that may see the order.
	History []Step
	// Can lists the actions the viewer may take, by their URL name.
	Can map[string]bool
	// DueProvisional: the due time falls in a year whose official
	// calendar is not loaded, so it was counted on weekends alone.
	DueProvisional bool
	// DispatchLate: see Order.DispatchLate.
	DispatchLate bool
}

// Lookup finds an order by id or number.
func (s *Service) lookup(ctx context.Context, ref string) (*Order, error) {
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		return s.Store.Order(ctx, id)
	}
	return s.Store.OrderByNumber(ctx, ref)
}

// Resolve finds order ref for a, who must be allowed to see it; it reads
// no personal data.
func (s *Service) Resolve(ctx context.Context, a account.Actor, ref string) (*Order, error) {
	if !CanList(a.Role) {
		return nil, apperr.New(apperr.Forbidden, "", "a %s does not handle work orders", a.Role)
	}
	o, err := s.lookup(ctx, ref)
	if err != nil {
		return nil, err
	}
	if err := Authorize(a, ActView, o); err != nil {
		return nil, err
	}
	return o, nil
}

// Get returns order ref as a may see it, recording any view of the
// reviewer's personal data in the audit trail.
func (s *Service) Get(ctx context.Context, a account.Actor, ref string) (*OrderView, error) {
	o, err := s.Resolve(ctx, a, ref)
	if err != nil {
		return nil, err
	}
	r, err := s.Store.OrderReview(ctx, o.Review)
	if err != nil {
		return nil, err
	}
	forStaff(o, r)
	v := &OrderView{Order: o, Review: r, Identity: IdentityFor(a), Can: map[string]bool{}}
	if r.Contact != nil && v.Identity != IdentityNone && s.Contacts != nil {
		c, err := s.Contacts.OpenContact(*r.Contact)
		if err != nil {
			return nil, fmt.Errorf("open contact of order %d: %w", o.ID, err)
		}
		r.Contact = &c
	}
	if r.Contact != nil {
		switch v.Identity {
		case IdentityFull:
			err = s.Store.RecordView(ctx, a, o, "name and phone")
		case IdentityMasked:
			r.Contact = &review.Contact{Name: r.Contact.Name, Phone: review.MaskPhone(r.Contact.Phone)}
			err = s.Store.RecordView(ctx, a, o, "name and masked phone")
		default:
			r.Contact = nil
		}
		if err != nil {
			return nil, err
		}
	}
	if it, err := s.Store.Item(ctx, r.Item); err == nil {
		v.ItemName = it.NameZH
	}
	if o.Unit != "" {
		if u, err := s.Store.Unit(ctx, o.Unit); err == nil {
			v.UnitName = u.NameZH
		}
	}
	if v.History, err = s.Store.Steps(ctx, o.ID); err != nil {
		return nil, err
	}
	if a.Role != account.Handler {
		if v.Audit, err = s.Store.AuditOf(ctx, o.ID); err != nil {
			return nil, err
		}
	}
	for name, act := range Actions {
		v.Can[name] = o.Possible(act) && Authorize(a, act, o) == nil
	}
	if cal, err := s.Calendar(ctx); err == nil {
		v.DueProvisional = cal.Provisional(o.Due)
		v.DispatchLate = o.DispatchLate(cal, s.Now())
	}
	return v, nil
}

// Followed is a work order as its citizen sees it through the private
// link: its progress and answer, and what the review rated. Nothing of the
// unit's internal handling.
type Followed struct {
	Order *Order
	Item  string
	Stage string
	Stars int
	// The citizen's own words: their comment and the problems they ticked.
	Comment string
	Tags    []review.Tag
	// Later is the citizen's later review (追评) of the same transaction
	// and stage, First the review it follows when the order's review is
	// the later one; nil when none.
	Later, First *review.Opinion
	// Story is what happened so far, oldest first.
	Story []StoryEvent
}

// Follow returns the order whose citizen holds token. An unknown token is
// not found: it must not tell whether any order exists.
func (s *Service) Follow(ctx context.Context, token string) (*Followed, error) {
	o, err := s.Store.OrderByToken(ctx, token)
	if err != nil {
		return nil, err
	}
	r, err := s.Store.OrderReview(ctx, o.Review)
	if err != nil {
		return nil, err
	}
	trail, err := s.Store.AuditOf(ctx, o.ID)
	if err != nil {
		return nil, err
	}
	return &Followed{Order: o, Item: r.Item, Stage: r.Stage, Stars: r.Stars, Comment: r.Comment, Tags: r.Tags.List(),
		Later: r.Later, First: r.First, Story: Story(o, trail)}, nil
}

// ForStaff rounds o's times for staff when its review is anonymous, as
// Get and List do: for answers that carry an order without its review.
func (s *Service) ForStaff(ctx context.Context, o *Order) error {
	r, err := s.Store.OrderReview(ctx, o.Review)
	if err != nil {
		return fmt.Errorf("review of order %d: %w", o.ID, err)
	}
	o.ForStaff(r.Anonymous)
	return nil
}
