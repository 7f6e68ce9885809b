package workorder

import (
	"context"
	"errors"
	"github.com/haocha/haocha/internal/account"
	"strings"
	"time"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/review"
)

// The contact step without the number: the unit sees a masked phone, so it
// either asks the 12345 operator to call (a call request in the operator's
// queue) or has the exchange join it to the citizen (click-to-call). Either
// is the first contact once it has happened.

// Actions of the contact step, in the audit trail.
const (
	ActCallRequest Action = "call_request" // the unit asked the operator to call
	ActCallDone    Action = "call_done"    // the operator called (or could not reach the citizen)
	ActCall        Action = "call"         // the unit had the exchange bridge a call
)

// CallRequest is a unit's request that the 12345 operator call the
// reviewer.
type CallRequest struct {
	ID          int64
	Order       int64
	Number      string // the order's number, for lists
	Unit        string
	Note        string
	RequestedAt time.Time
	RequestedBy string
	DoneAt      time.Time
	DoneBy      string
	Reached     bool
}

// Open reports whether the operator has yet to call.
func (c CallRequest) Open() bool { return c.DoneAt.IsZero() }

// Caller places a bridged call (internal/telephony); placed is false when
// no call was set up.
type Caller interface {
	Bridge(ctx context.Context, order, handlerPhone, citizenPhone string) (placed bool, err error)
}

// CallStore is what the contact step needs of storage beyond Store.
type CallStore interface {
	AddCallRequest(ctx context.Context, actor account.Actor, c CallRequest) (CallRequest, error)
	CallRequests(ctx context.Context, order int64) ([]CallRequest, error)
	OpenCallRequests(ctx context.Context, limit int) ([]CallRequest, error)
	FinishCallRequest(ctx context.Context, actor account.Actor, c CallRequest) error
	AuditOrder(ctx context.Context, actor account.Actor, o *Order, act Action, note string) error
}

func (s *Service) calls() (CallStore, error) {
	cs, ok := s.Store.(CallStore)
	if !ok {
		return nil, apperr.New(apperr.Unavailable, "", "call requests are not kept by this store")
	}
	return cs, nil
}

// callable checks that a handler may reach the reviewer of o: the unit
// has the order and the reviewer left a phone.
func (s *Service) callable(ctx context.Context, a account.Actor, ref string) (*Order, *review.Record, error) {
	o, err := s.Resolve(ctx, a, ref)
	if err != nil {
		return nil, nil, err
	}
	if a.Role != account.Handler {
		return nil, nil, apperr.New(apperr.Forbidden, "", "only the unit that has the order calls its reviewer")
	}
	if o.State != Dispatched {
		return nil, nil, o.refuse(ActCall, "; the unit calls while it has the order")
	}
	r, err := s.Store.OrderReview(ctx, o.Review)
	if err != nil {
		return nil, nil, err
	}
	if r.Anonymous || r.Contact == nil || r.Contact.Phone == "" {
		return nil, nil, apperr.New(apperr.Conflict, "phone", "the reviewer left no phone: anonymous reviews are answered on the private link")
	}
	return o, r, nil
}

// RequestCall records a unit's request that the operator call the
// reviewer. One request waits at a time.
func (s *Service) RequestCall(ctx context.Context, a account.Actor, ref, note string) (CallRequest, error) {
	o, _, err := s.callable(ctx, a, ref)
	if err != nil {
		return CallRequest{}, err
	}
	if note, err = text("note", note, false, MaxNote); err != nil {
		return CallRequest{}, err
	}
	cs, err := s.calls()
	if err != nil {
		return CallRequest{}, err
	}
	return cs.AddCallRequest(ctx, a, CallRequest{Order: o.ID, Number: o.Number, Unit: o.Unit, Note: note, RequestedAt: s.Now()})
}

// CallRequests lists the call requests of an order a may see.
func (s *Service) CallRequests(ctx context.Context, a account.Actor, o *Order) ([]CallRequest, error) {
	if err := Authorize(a, ActView, o); err != nil {
		return nil, err
	}
	cs, err := s.calls()
	if err != nil {
		return nil, err
	}
	return cs.CallRequests(ctx, o.ID)
}

// OpenCallRequests is the operator's list of calls to make, oldest first.
func (s *Service) OpenCallRequests(ctx context.Context, a account.Actor, limit int) ([]CallRequest, error) {
	if a.Role != account.Operator {
		return nil, apperr.New(apperr.Forbidden, "", "call requests are for the 12345 operator")
	}
	cs, err := s.calls()
	if err != nil {
		return nil, err
	}
	return cs.OpenCallRequests(ctx, limit)
}

// ContactNote is the first contact recorded when the operator reached the
// citizen for the unit.
const ContactNote = "called by the 12345 operator at the unit's request"

// FinishCallRequest is the operator's report of the call: reached or not.
// Reaching the citizen is the order's first contact, if none was recorded.
func (s *Service) FinishCallRequest(ctx context.Context, a account.Actor, ref string, id int64, reached bool, note string) error {
	if a.Role != account.Operator {
		return apperr.New(apperr.Forbidden, "", "the 12345 operator makes the call")
	}
	o, err := s.Resolve(ctx, a, ref)
	if err != nil {
		return err
	}
	if note, err = text("note", note, false, MaxNote); err != nil {
		return err
	}
	cs, err := s.calls()
	if err != nil {
		return err
	}
	list, err := cs.CallRequests(ctx, o.ID)
	if err != nil {
		return err
	}
	var req *CallRequest
	for i := range list {
		if list[i].ID == id {
			req = &list[i]
		}
	}
	if req == nil {
		return apperr.NotFoundf("call_request", "no such call request on work order %s", o.Number)
	}
	if !req.Open() {
		return apperr.New(apperr.Conflict, "call_request", "the call was already marked done")
	}
	req.DoneAt, req.Reached, req.Note = s.Now(), reached, joinNote(req.Note, note)
	if err := cs.FinishCallRequest(ctx, a, *req); err != nil {
		return err
	}
	if reached {
		return s.firstContact(ctx, a, o.ID, joinNote(ContactNote, note))
	}
	return nil
}

// firstContact records the first contact made for the unit, by the
// operator or the exchange, if the order still waits for one.
func (s *Service) firstContact(ctx context.Context, a account.Actor, id int64, note string) error {
	_, _, err := s.Store.ChangeOrder(ctx, id, a, func(o *Order) (Change, error) {
		if !o.Possible(ActContact) {
			return Change{}, errNoContactNeeded
		}
		return o.RecordContact(s.Now(), note)
	})
	if errors.Is(err, errNoContactNeeded) {
		return nil
	}
	return err
}

var errNoContactNeeded = apperr.New(apperr.Conflict, "state", "no first contact needed")

// CallCitizen has the exchange join the handler, on handlerPhone, and the
// reviewer, whose number the handler never sees. A placed call is the
// order's first contact; every attempt is in the audit trail.
func (s *Service) CallCitizen(ctx context.Context, a account.Actor, ref, handlerPhone string, c Caller) (placed bool, err error) {
	// Who may call comes first: another unit learns nothing of the order
	// from a refusal of its phone.
	o, r, err := s.callable(ctx, a, ref)
	if err != nil {
		return false, err
	}
	handlerPhone = strings.TrimSpace(handlerPhone)
	if !phoneLike(handlerPhone) {
		return false, apperr.Invalidf("phone", "your phone or extension: digits, with + - or spaces, 3 to 20 of them")
	}
	contact := *r.Contact
	if s.Contacts != nil {
		if contact, err = s.Contacts.OpenContact(contact); err != nil {
			return false, err
		}
	}
	cs, err := s.calls()
	if err != nil {
		return false, err
	}
	placed, callErr := c.Bridge(ctx, o.Number, handlerPhone, contact.Phone)
	note := "not placed: no exchange configured"
	switch {
	case callErr != nil:
		note = "failed: " + callErr.Error()
	case placed:
		note = "placed"
	}
	if err := cs.AuditOrder(ctx, a, o, ActCall, "bridged call "+note); err != nil {
		return false, err
	}
	if callErr != nil {
		return false, apperr.New(apperr.Unavailable, "", "the telephone exchange did not take the call; try again or request a call from the 12345 operator")
	}
	if !placed {
		return false, nil
	}
	return true, s.firstContact(ctx, a, o.ID, "click-to-call through the exchange")
}

// phoneLike accepts a phone number or extension.
func phoneLike(s string) bool {
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' || r == '-' || r == ' ':
		default:
			return false
		}
	}
	return digits >= 3 && digits <= 20
}
