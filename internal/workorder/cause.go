package workorder

import (
	"strings"
	"time"

	"github.com/haocha/haocha/internal/apperr"
)

// Cause review of unsatisfied answers (不满意原因审查): once a citizen has
// said "not satisfied", the 12345 operator records why, from a list held
// as data (the unsatisfied_causes table). The unit may contest a finding
// against it once; the supervisor upholds it or changes the cause.

// Cause is one entry of the list of causes: a code (its words are in the
// catalogue under cause.code.<code>) and whether it puts the unit at fault.
type Cause struct {
	Code    string `json:"code"`
	AtFault bool   `json:"at_fault"`
}

// CauseContest is where a unit's contest of a cause stands; empty when the
// unit has not contested it.
type CauseContest string

// Contest states.
const (
	ContestPending CauseContest = "pending"
	ContestUpheld  CauseContest = "upheld"  // the supervisor kept the cause
	ContestChanged CauseContest = "changed" // the supervisor recorded another cause
)

// CauseQueue names a queue of the cause review, as in ?cause= of a list.
type CauseQueue string

// The queues: orders waiting for the operator's cause, findings against
// a unit it has not contested, contests waiting for the supervisor.
const (
	CauseAwaiting    CauseQueue = "awaiting"
	CauseContestable CauseQueue = "contestable"
	CauseContested   CauseQueue = "contested"
)

// NotAtFault reports whether the order's reviewed cause clears its unit.
// It is the one rule by which the cause review enters the figures: an
// order whose cause clears the unit is not unrectified, in R under every
// definition version (index.Order.Rectified) and in the year-end
// assessment. An order without a cause counts as it always did, so
// figures published before the review existed do not move.
func (o *Order) NotAtFault() bool { return o.Cause != "" && !o.CauseAtFault }

// findCause is the cause of the list with code, or an error naming field.
func findCause(list []Cause, field, code string) (Cause, error) {
	code = strings.TrimSpace(code)
	if code == "" {
		return Cause{}, apperr.Invalidf(field, "required: one of the listed causes")
	}
	for _, c := range list {
		if c.Code == code {
			return c, nil
		}
	}
	return Cause{}, apperr.Invalidf(field, "unknown cause %q", code)
}

// causeNote is the audit and history note of a cause: "cause CODE[: note]".
func causeNote(code, note string) string { return joinNote("cause "+code, note) }

// RecordCause records the operator's finding on why the citizen was not
// satisfied. One cause per order: a change goes through a contest.
func (o *Order) RecordCause(now time.Time, list []Cause, code, note string) (Change, error) {
	if !o.Possible(ActRecordCause) {
		return Change{}, apperr.New(apperr.Conflict, "cause", "work order %s needs no cause: none recorded after a \"not satisfied\" follow-up, or one already is", o.Number)
	}
	c, err := findCause(list, "cause", code)
	if err != nil {
		return Change{}, err
	}
	if note, err = text("note", note, false, MaxNote); err != nil {
		return Change{}, err
	}
	o.Cause, o.CauseAtFault, o.CauseNote = c.Code, c.AtFault, note
	ch := o.change(ActRecordCause, o.State, now, causeNote(c.Code, note))
	ch.Step = o.step(ActRecordCause, now)
	ch.Step.Note = ch.Note
	return ch, nil
}

// ContestCause is the unit's one contest of a cause that puts it at fault.
func (o *Order) ContestCause(now time.Time, reason string) (Change, error) {
	if !o.Possible(ActContestCause) {
		return Change{}, apperr.New(apperr.Conflict, "cause", "work order %s has no finding against the unit left to contest: a unit contests once", o.Number)
	}
	reason, err := text("reason", reason, true, MaxNote)
	if err != nil {
		return Change{}, err
	}
	o.CauseContest, o.CauseContestReason = ContestPending, reason
	ch := o.change(ActContestCause, o.State, now, reason)
	ch.Step = o.step(ActContestCause, now)
	ch.Step.Note = reason
	return ch, nil
}

// DecideCause is the supervisor's decision on a contest: uphold keeps the
// cause; otherwise code is the cause recorded instead. note says why.
func (o *Order) DecideCause(now time.Time, list []Cause, uphold bool, code, note string) (Change, error) {
	if o.CauseContest != ContestPending {
		return Change{}, apperr.New(apperr.Conflict, "cause", "work order %s has no pending contest of its cause", o.Number)
	}
	note, err := text("note", note, true, MaxNote)
	if err != nil {
		return Change{}, err
	}
	o.CauseDecision = note
	var ch Change
	if uphold {
		o.CauseContest = ContestUpheld
		ch = o.change(ActDecideCause, o.State, now, "upheld: "+note)
	} else {
		c, err := findCause(list, "cause", code)
		if err != nil {
			return Change{}, err
		}
		if c.Code == o.Cause {
			return Change{}, apperr.Invalidf("cause", "the order's cause is already %s: uphold it instead", c.Code)
		}
		// The operator's note was about the old cause; the history keeps it.
		o.Cause, o.CauseAtFault, o.CauseNote, o.CauseContest = c.Code, c.AtFault, "", ContestChanged
		ch = o.change(ActDecideCause, o.State, now, "changed to "+causeNote(c.Code, note))
	}
	ch.Step = o.step(ActDecideCause, now)
	ch.Step.Note = ch.Note
	return ch, nil
}
