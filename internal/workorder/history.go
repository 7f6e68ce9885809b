package workorder

import (
	"github.com/haocha/haocha/internal/account"
	"strings"
	"time"

	"github.com/haocha/haocha/internal/audit"
)

// Step is one step of an order's history: a dispatch with the operator's
// note, a first contact, a reply, a follow-up, an escalation. Steps are
// kept per round and never rewritten, so a round-1 answer stays readable
// after round 2 replaces the order's current reply.
type Step struct {
	Round  int
	Action Action
	At     time.Time
	Actor  account.Role // who did it, by role: staff names are not shown across units
	// Account is the login of the account that did it, kept for the
	// 12345 operators' own figures and never shown in the history.
	Account    string
	Unit       string // the unit that had the order at this step
	Complexity Complexity
	Days       int
	Due        time.Time // of a dispatch
	Note       string    // the operator's dispatch note, the contact note, the escalation note
	Reply      Reply     // of a reply
	// Satisfied and Reason are a follow-up's answer and the citizen's words.
	Satisfied bool
	Reason    string
}

// step starts the history step of act on o, as o stands after it.
func (o *Order) step(act Action, now time.Time) *Step {
	return &Step{Round: o.Round, Action: act, At: now, Unit: o.Unit}
}

// dispatchStep is the step of a dispatch, re-dispatch or granted
// reassignment: where the order went, until when, and the operator's note.
func (o *Order) dispatchStep(act Action, now time.Time, a Assignment) *Step {
	s := o.step(act, now)
	s.Complexity, s.Days, s.Due, s.Note = a.Complexity, a.Days, o.Due, strings.TrimSpace(a.Note)
	return s
}

// replyNote is a reply in the words of its audit row: the trail keeps what
// the unit said, not only that it replied.
func replyNote(r Reply) string {
	return "findings: " + r.Findings + "; rectification: " + r.Rectification + "; answer: " + r.Answer
}

// StepsFromAudit rebuilds the history of an order written before steps
// were kept, from its audit rows (oldest first): the dispatches with their
// units and notes, contacts, follow-ups and escalations. A reply row of
// that time carried no text; the caller fills in the current round's reply
// from the order.
func StepsFromAudit(trail []audit.Entry) []Step {
	var out []Step
	round, unit := 1, ""
	for _, e := range trail {
		s := Step{Round: round, Action: Action(e.Action), At: e.At, Actor: account.Role(strings.SplitN(e.Actor, ":", 2)[0]), Unit: unit}
		switch s.Action {
		case ActRedispatch:
			round++
			s.Round = round
			_, rest, _ := strings.Cut(e.Note, ": ")
			unit = parseAssignNote(&s, rest)
		case ActDispatch:
			unit = parseAssignNote(&s, e.Note)
		case ActDecideReassign:
			_, to, ok := strings.Cut(e.Note, " to ")
			if !strings.HasPrefix(e.Note, "granted") || !ok {
				continue
			}
			unit = parseAssignNote(&s, to)
		case ActContact, ActEscalate:
			s.Note = e.Note
		case ActReply:
		case ActFollowUp:
			note := strings.TrimPrefix(e.Note, "by phone: ")
			s.Satisfied = e.To == string(Closed)
			s.Reason = strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(note, "not satisfied"), "satisfied"), ": ")
		default:
			continue
		}
		out = append(out, s)
	}
	return out
}

// parseAssignNote reads a dispatch's note (ReadAssignNote) into s, and
// returns the unit; any other note is kept as written.
func parseAssignNote(s *Step, note string) string {
	a, ok := ReadAssignNote(note)
	if !ok {
		s.Note = note
		return s.Unit
	}
	s.Unit, s.Complexity, s.Days, s.Note = a.Unit, a.Complexity, a.Days, a.Note
	return s.Unit
}
