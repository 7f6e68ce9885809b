package console

import (
	"context"
	"github.com/haocha/haocha/internal/audit"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/workorder"
)

// Service is the closed loop as the consoles and the JSON API use it: the
// same rules, the same authorization, the same audit trail.
type Service struct {
	Store *store.Store

	mu    sync.Mutex
	cal   *calendar.Calendar
	calAt time.Time
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
	Unit          string               `json:"unit,omitempty"`
	Complexity    workorder.Complexity `json:"complexity,omitempty"`
	Days          int                  `json:"days,omitempty"`
	Note          string               `json:"note,omitempty"`
	Satisfied     *bool                `json:"satisfied,omitempty"`
	Reason        string               `json:"reason,omitempty"`
	Findings      string               `json:"findings,omitempty"`
	Rectification string               `json:"rectification,omitempty"`
	Answer        string               `json:"answer,omitempty"`
	Grant         *bool                `json:"grant,omitempty"`
	Uphold        *bool                `json:"uphold,omitempty"`
	Ground        string               `json:"ground,omitempty"`
}

func (in Input) assignment() workorder.Assignment {
	return workorder.Assignment{Unit: strings.TrimSpace(in.Unit), Complexity: in.Complexity, Days: in.Days, Note: in.Note}
}

func need(b *bool, field string) (bool, error) {
	if b == nil {
		return false, apperr.Invalidf(field, "required: yes or no")
	}
	return *b, nil
}

// Actions are the actions a staff member or integration may request, by
// the name used in URLs.
var Actions = map[string]workorder.Action{
	"dispatch":          workorder.ActDispatch,
	"redispatch":        workorder.ActRedispatch,
	"contact":           workorder.ActContact,
	"reply":             workorder.ActReply,
	"follow-up":         workorder.ActFollowUp,
	"escalate":          workorder.ActEscalate,
	"reassign-request":  workorder.ActAskReassign,
	"reassign-decision": workorder.ActDecideReassign,
	"appeal":            workorder.ActAppeal,
	"appeal-decision":   workorder.ActDecideAppeal,
	"assessment":        workorder.ActAssessment,
}

// Act does act to order id for a, or refuses it and changes nothing.
func (s *Service) Act(ctx context.Context, a workorder.Actor, id int64, act workorder.Action, in Input) (*workorder.Order, error) {
	cal, err := s.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	o, _, err := s.Store.ChangeOrder(ctx, id, a, func(o *workorder.Order) (workorder.Change, error) {
		if err := workorder.Authorize(a, act, o); err != nil {
			return workorder.Change{}, err
		}
		now := s.Store.Now()
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
		case workorder.ActDispatch, workorder.ActRedispatch:
			if err := checkUnit(); err != nil {
				return workorder.Change{}, err
			}
			if act == workorder.ActDispatch {
				return o.Dispatch(now, cal, in.assignment())
			}
			return o.Redispatch(now, cal, in.assignment())
		case workorder.ActContact:
			return o.RecordContact(now, in.Note)
		case workorder.ActReply:
			return o.Answer(now, workorder.Reply{Findings: in.Findings, Rectification: in.Rectification, Answer: in.Answer})
		case workorder.ActFollowUp:
			sat, err := need(in.Satisfied, "satisfied")
			if err != nil {
				return workorder.Change{}, err
			}
			c, err := o.FollowUp(now, sat, in.Reason)
			c.Note = "by phone: " + c.Note
			return c, err
		case workorder.ActEscalate:
			return o.Escalate(now, in.Note)
		case workorder.ActAskReassign:
			return o.AskReassign(now, in.Reason)
		case workorder.ActDecideReassign:
			grant, err := need(in.Grant, "grant")
			if err != nil {
				return workorder.Change{}, err
			}
			if err := checkUnit(); err != nil {
				return workorder.Change{}, err
			}
			return o.DecideReassign(now, cal, grant, in.assignment())
		case workorder.ActAppeal:
			return o.FileAppeal(now, in.Ground, in.Reason)
		case workorder.ActDecideAppeal:
			up, err := need(in.Uphold, "uphold")
			if err != nil {
				return workorder.Change{}, err
			}
			return o.DecideAppeal(now, up, in.Note)
		case workorder.ActAssessment:
			return o.MarkAssessment(now, in.Note)
		}
		return workorder.Change{}, apperr.New(apperr.NotFound, "action", "no such action")
	})
	return o, err
}

// CitizenFollowUp records the citizen's own follow-up through the private
// link.
func (s *Service) CitizenFollowUp(ctx context.Context, token string, satisfied bool, reason string) (*workorder.Order, error) {
	o, err := s.Store.OrderByToken(ctx, token)
	if err != nil {
		return nil, err
	}
	citizen := workorder.Actor{Role: workorder.Citizen}
	o, _, err = s.Store.ChangeOrder(ctx, o.ID, citizen, func(o *workorder.Order) (workorder.Change, error) {
		if err := workorder.Authorize(citizen, workorder.ActFollowUp, o); err != nil {
			return workorder.Change{}, err
		}
		return o.FollowUp(s.Store.Now(), satisfied, reason)
	})
	return o, err
}

// List returns the orders a may see that f selects. A handler sees only
// its unit's orders, whatever f says.
func (s *Service) List(ctx context.Context, a workorder.Actor, f workorder.Filter) ([]workorder.Row, error) {
	if !workorder.CanList(a.Role) {
		return nil, apperr.New(apperr.Forbidden, "", "a %s does not handle work orders", a.Role)
	}
	if a.Role == workorder.Handler {
		f.Unit = a.Unit
		if f.Unit == "" {
			return nil, nil
		}
	}
	return s.Store.Orders(ctx, f)
}

// OrderView is an order with its review, as a shows it.
type OrderView struct {
	Order    *workorder.Order
	Review   *review.Record // Contact already cut to what the viewer may see
	ItemName string
	UnitName string
	Identity workorder.Identity
	Audit    []audit.Entry
	// Can lists the actions the viewer may take, by their URL name.
	Can map[string]bool
}

// Lookup finds an order by id or number.
func (s *Service) lookup(ctx context.Context, ref string) (*workorder.Order, error) {
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		return s.Store.Order(ctx, id)
	}
	return s.Store.OrderByNumber(ctx, ref)
}

// Resolve finds order ref for a, who must be allowed to see it; it reads
// no personal data.
func (s *Service) Resolve(ctx context.Context, a workorder.Actor, ref string) (*workorder.Order, error) {
	if !workorder.CanList(a.Role) {
		return nil, apperr.New(apperr.Forbidden, "", "a %s does not handle work orders", a.Role)
	}
	o, err := s.lookup(ctx, ref)
	if err != nil {
		return nil, err
	}
	if err := workorder.Authorize(a, workorder.ActView, o); err != nil {
		return nil, err
	}
	return o, nil
}

// Get returns order ref as a may see it, recording any view of the
// reviewer's personal data in the audit trail.
func (s *Service) Get(ctx context.Context, a workorder.Actor, ref string) (*OrderView, error) {
	o, err := s.Resolve(ctx, a, ref)
	if err != nil {
		return nil, err
	}
	r, err := s.Store.OrderReview(ctx, o.Review)
	if err != nil {
		return nil, err
	}
	v := &OrderView{Order: o, Review: r, Identity: workorder.IdentityFor(a), Can: map[string]bool{}}
	if r.Contact != nil {
		switch v.Identity {
		case workorder.IdentityFull:
			err = s.Store.RecordView(ctx, a, o, "name and phone")
		case workorder.IdentityMasked:
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
	if a.Role != workorder.Handler {
		if v.Audit, err = s.Store.AuditOf(ctx, o.ID); err != nil {
			return nil, err
		}
	}
	for name, act := range Actions {
		v.Can[name] = o.Possible(act) && workorder.Authorize(a, act, o) == nil
	}
	return v, nil
}
