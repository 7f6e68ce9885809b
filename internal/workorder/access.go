package workorder

import (
	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/apperr"
)

// Action is something done to or with a work order.
type Action string

// Actions.
const (
	ActView           Action = "view"
	ActViewContact    Action = "view_contact" // a view of the reviewer's personal data
	ActDispatch       Action = "dispatch"
	ActRedispatch     Action = "redispatch"
	ActContact        Action = "contact"
	ActReply          Action = "reply"
	ActFollowUp       Action = "follow_up"
	ActEscalate       Action = "escalate"
	ActOverdue        Action = "overdue"
	ActDueSoon        Action = "due_soon"
	ActAskReassign    Action = "ask_reassign"
	ActDecideReassign Action = "decide_reassign"
	ActAppeal         Action = "appeal"
	ActDecideAppeal   Action = "decide_appeal"
	ActAssessment     Action = "assessment"
	ActRecordCause    Action = "cause"
	ActContestCause   Action = "cause_contest"
	ActDecideCause    Action = "cause_decision"
)

// Verb is the action in words, for messages.
func (a Action) Verb() string {
	switch a {
	case ActDispatch:
		return "dispatch it"
	case ActRedispatch:
		return "re-dispatch it"
	case ActContact:
		return "record a first contact"
	case ActReply:
		return "reply"
	case ActFollowUp:
		return "record a follow-up"
	case ActEscalate:
		return "escalate it"
	case ActAskReassign:
		return "ask for reassignment"
	case ActAppeal:
		return "appeal"
	case ActRecordCause:
		return "record the cause"
	case ActContestCause:
		return "contest the cause"
	case ActDecideCause:
		return "decide on the contest"
	}
	return string(a)
}

// may lists what each role may do to an order it can see.
var may = map[account.Role][]Action{
	account.Operator:   {ActView, ActViewContact, ActDispatch, ActRedispatch, ActFollowUp, ActEscalate, ActDecideReassign, ActRecordCause},
	account.Handler:    {ActView, ActViewContact, ActContact, ActReply, ActAskReassign, ActAppeal, ActContestCause},
	account.Supervisor: {ActView, ActViewContact, ActRedispatch, ActEscalate, ActDecideAppeal, ActAssessment, ActDecideCause},
	account.Citizen:    {ActView, ActFollowUp},
	account.Scheduler:  {ActView, ActOverdue, ActDueSoon, ActEscalate},
}

// CanList reports whether the role sees work orders at all.
func CanList(r account.Role) bool {
	return r == account.Operator || r == account.Handler || r == account.Supervisor
}

// Authorize decides whether a may do act to o. A handler asking about
// another unit's order, or one not yet dispatched, is told it does not
// exist: existence must not leak across units. The citizen is checked by
// the private token before this.
func Authorize(a account.Actor, act Action, o *Order) error {
	if a.Role == account.Handler && (o.Unit == "" || o.Unit != a.Unit) {
		return apperr.NotFoundf("work_order", "no such work order")
	}
	for _, k := range may[a.Role] {
		if k == act {
			return nil
		}
	}
	if a.Role == "" {
		return apperr.New(apperr.Unauthorized, "", "log in first")
	}
	return apperr.New(apperr.Forbidden, "", "a %s may not %s", a.Role, act.Verb())
}

// Identity is how much of a real-name reviewer's identity an actor sees.
type Identity int

// Levels of identity shown.
const (
	IdentityNone   Identity = iota // nothing: not even whether there is one
	IdentityMasked                 // the name and a masked phone
	IdentityFull                   // name and phone, for calling back
)

// IdentityFor is what a sees of a reviewer. Anonymous reviewers have no
// identity to show to anyone; the unit rated never sees it whole.
func IdentityFor(a account.Actor) Identity {
	switch a.Role {
	case account.Operator:
		return IdentityFull
	case account.Handler, account.Supervisor:
		return IdentityMasked
	}
	return IdentityNone
}

// Possible reports whether the order's state lets act happen at all, who
// ever asks. The consoles offer only possible actions.
func (o *Order) Possible(act Action) bool {
	switch act {
	case ActDispatch:
		return o.State == New
	case ActRedispatch:
		return o.State == NotSatisfied || o.State == Supervised
	case ActContact:
		return o.State == Dispatched && o.ContactedAt.IsZero()
	case ActReply:
		return o.State == Dispatched
	case ActFollowUp:
		return o.State == Replied
	case ActEscalate:
		return o.State == Dispatched || o.State == Replied || o.State == NotSatisfied
	case ActAskReassign:
		return o.State == Dispatched && o.ReassignReason == ""
	case ActDecideReassign:
		return o.State == Dispatched && o.ReassignReason != ""
	case ActAppeal:
		return o.State != New && o.Appeal == ""
	case ActDecideAppeal:
		return o.Appeal == AppealPending
	case ActAssessment:
		return !o.Assessment
	case ActRecordCause:
		return o.NotSatisfied > 0 && o.Cause == "" && o.Appeal != AppealUpheld
	case ActContestCause:
		return o.Cause != "" && o.CauseAtFault && o.CauseContest == ""
	case ActDecideCause:
		return o.CauseContest == ContestPending
	}
	return false
}
