package workorder

import (
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/haocha/haocha/internal/apperr"
)

// Assignment is an operator's decision: which unit, how complex, how many
// working days.
type Assignment struct {
	Unit       string     `json:"unit"`
	Complexity Complexity `json:"complexity"`
	Days       int        `json:"days"`
	Note       string     `json:"note,omitempty"`
}

// Check validates the complexity and days against the "1-5-15" rule.
func (a Assignment) Check() error {
	if a.Unit == "" {
		return apperr.Invalidf("unit", "required: the responsible district or agency")
	}
	switch a.Complexity {
	case Simple:
		if a.Days < 0 || a.Days > MaxSimpleDays {
			return apperr.Invalidf("days", "a simple order is due the same day (0) or within %d working days, got %d", MaxSimpleDays, a.Days)
		}
	case Complex:
		if a.Days > MaxDays {
			return apperr.Invalidf("days", "never more than %d working days, got %d", MaxDays, a.Days)
		}
		if a.Days < MinComplexDays {
			return apperr.Invalidf("days", "a complex order is due within %d to %d working days, got %d", MinComplexDays, MaxDays, a.Days)
		}
	case "":
		return apperr.Invalidf("complexity", "required: simple or complex")
	default:
		return apperr.Invalidf("complexity", "want simple or complex, got %q", a.Complexity)
	}
	_, err := text("note", a.Note, false, MaxNote)
	return err
}

func (o *Order) assign(now time.Time, cal Deadlines, a Assignment) {
	o.Unit, o.Complexity, o.Days = a.Unit, a.Complexity, a.Days
	o.DispatchedAt = now
	if o.FirstDispatchedAt.IsZero() {
		o.FirstDispatchedAt = now
	}
	o.ContactedAt = time.Time{}
	o.Due = cal.AddWorkdays(now, a.Days)
	// The reviewer is contacted before, or with, the reply: a same-day order
	// dispatched out of hours is due at the end of the next working day, and
	// its first contact cannot fall due a day after that.
	o.ContactDue = cal.FirstContactDue(now)
	if o.Due.Before(o.ContactDue) {
		o.ContactDue = o.Due
	}
	o.DueSoonSent = false
	o.ReassignReason = ""
}

func assignNote(a Assignment) string {
	n := fmt.Sprintf("unit %s, %s, %d working days", a.Unit, a.Complexity, a.Days)
	if a.Note != "" {
		n += ": " + a.Note
	}
	return n
}

// assignNoteRe matches what assignNote writes.
var assignNoteRe = regexp.MustCompile(`(?s)^unit (\S+), (simple|complex), (\d+) working days(?:: (.*))?$`)

// ReadAssignNote reads back the audit note of a dispatch, "unit CODE,
// complexity, N working days[: note]"; ok is false for any other note.
func ReadAssignNote(note string) (a Assignment, ok bool) {
	m := assignNoteRe.FindStringSubmatch(note)
	if m == nil {
		return a, false
	}
	a.Days, _ = strconv.Atoi(m[3])
	a.Unit, a.Complexity, a.Note = m[1], Complexity(m[2]), m[4]
	return a, true
}

// Dispatch sends a new order to a unit (转办).
func (o *Order) Dispatch(now time.Time, cal Deadlines, a Assignment) (Change, error) {
	if o.State != New {
		return Change{}, o.refuse(ActDispatch, "; only a new order is dispatched, use re-dispatch")
	}
	if o.Screening == Held {
		return Change{}, apperr.New(apperr.Conflict, "held",
			"work order %s is held for checking: its review may be fraud, and a supervisor must release it before it is dispatched", o.Number)
	}
	if err := a.Check(); err != nil {
		return Change{}, err
	}
	o.assign(now, cal, a)
	c := o.change(ActDispatch, Dispatched, now, assignNote(a))
	c.Notify, c.Step = EventDispatched, o.dispatchStep(ActDispatch, now, a)
	return c, nil
}

// Redispatch sends an order the citizen was not satisfied with, or one the
// General Office supervises, back to a unit for another round (二次转办).
func (o *Order) Redispatch(now time.Time, cal Deadlines, a Assignment) (Change, error) {
	if o.State != NotSatisfied && o.State != Supervised {
		return Change{}, o.refuse(ActRedispatch, "; only a not-satisfied or supervised order is re-dispatched")
	}
	if err := a.Check(); err != nil {
		return Change{}, err
	}
	o.Round++
	o.assign(now, cal, a)
	o.Reply, o.RepliedAt = Reply{}, time.Time{}
	c := o.change(ActRedispatch, Dispatched, now, fmt.Sprintf("round %d: %s", o.Round, assignNote(a)))
	c.Notify, c.Step = EventDispatched, o.dispatchStep(ActRedispatch, now, a)
	return c, nil
}

// RecordContact records the unit's first contact with the reviewer.
func (o *Order) RecordContact(now time.Time, note string) (Change, error) {
	if o.State != Dispatched {
		return Change{}, o.refuse(ActContact, "")
	}
	if !o.ContactedAt.IsZero() {
		return Change{}, apperr.New(apperr.Conflict, "state", "first contact already recorded")
	}
	note, err := text("note", note, false, MaxNote)
	if err != nil {
		return Change{}, err
	}
	o.ContactedAt = now
	c := o.change(ActContact, o.State, now, note)
	c.Step = o.step(ActContact, now)
	c.Step.Note = note
	if now.After(o.ContactDue) {
		c.Note = "late first contact; " + note
	}
	return c, nil
}

// Answer records the unit's reply (findings, rectification, answer).
func (o *Order) Answer(now time.Time, r Reply) (Change, error) {
	if o.State != Dispatched {
		return Change{}, o.refuse(ActReply, "")
	}
	var err error
	if r.Findings, err = text("findings", r.Findings, true, MaxText); err != nil {
		return Change{}, err
	}
	if r.Rectification, err = text("rectification", r.Rectification, true, MaxText); err != nil {
		return Change{}, err
	}
	if r.Answer, err = text("answer", r.Answer, true, MaxText); err != nil {
		return Change{}, err
	}
	o.Reply, o.RepliedAt = r, now
	o.ReassignReason = ""
	c := o.change(ActReply, Replied, now, replyNote(r))
	if o.Overdue {
		c.Note = "replied after the due time; " + c.Note
	}
	c.Notify, c.Step = EventReplied, o.step(ActReply, now)
	c.Step.Reply = r
	return c, nil
}

// FollowUp records whether the citizen is satisfied with the reply (回访),
// said by the citizen through the private link or by phone to an operator.
// Not satisfied needs a reason and sends the order back to the operator.
func (o *Order) FollowUp(now time.Time, satisfied bool, reason string) (Change, error) {
	if o.State != Replied {
		return Change{}, o.refuse(ActFollowUp, "; follow-up comes after the unit's reply")
	}
	reason, err := text("reason", reason, !satisfied, MaxNote)
	if err != nil {
		return Change{}, err
	}
	o.FollowUpNote = reason
	s := o.step(ActFollowUp, now)
	s.Satisfied, s.Reason = satisfied, reason
	var c Change
	if satisfied {
		o.ClosedAt = now
		c = o.change(ActFollowUp, Closed, now, joinNote("satisfied", reason))
	} else {
		o.NotSatisfied++
		c = o.change(ActFollowUp, NotSatisfied, now, joinNote("not satisfied", reason))
	}
	c.Step = s
	return c, nil
}

func joinNote(a, b string) string {
	if b == "" {
		return a
	}
	return a + ": " + b
}

// Escalate hands an open order to the General Office (督办) and marks it
// for the year-end assessment.
func (o *Order) Escalate(now time.Time, note string) (Change, error) {
	switch o.State {
	case Dispatched, Replied, NotSatisfied:
	default:
		return Change{}, o.refuse(ActEscalate, "")
	}
	note, err := text("note", note, true, MaxNote)
	if err != nil {
		return Change{}, err
	}
	if o.SupervisedAt.IsZero() {
		o.SupervisedAt = now
	}
	o.Assessment = true
	c := o.change(ActEscalate, Supervised, now, note)
	c.Step = o.step(ActEscalate, now)
	c.Step.Note = note
	return c, nil
}

// MarkOverdue flags an order past its due time. It changes no state.
func (o *Order) MarkOverdue(now time.Time) (Change, error) {
	if o.Overdue {
		return Change{}, apperr.New(apperr.Conflict, "overdue", "work order %s is already overdue", o.Number)
	}
	if !o.PastDue(now) {
		return Change{}, apperr.New(apperr.Conflict, "overdue", "work order %s is not past its due time", o.Number)
	}
	o.Overdue = true
	o.UpdatedAt = now
	c := Change{Action: ActOverdue, From: o.State, To: o.State, Note: "due " + o.Due.Format(time.RFC3339), Notify: EventOverdue}
	return c, nil
}

// MarkDueSoon records that the "due soon" notice goes out.
func (o *Order) MarkDueSoon(now time.Time) (Change, error) {
	if o.State != Dispatched || o.DueSoonSent || o.PastDue(now) {
		return Change{}, apperr.New(apperr.Conflict, "state", "work order %s needs no due-soon notice", o.Number)
	}
	o.DueSoonSent = true
	o.UpdatedAt = now
	return Change{Action: ActDueSoon, From: o.State, To: o.State, Note: "due " + o.Due.Format(time.RFC3339), Notify: EventDueSoon}, nil
}

// AskReassign is a unit's request to move the order to another unit. A
// unit may never hand an order back (不准退单): the operator decides.
func (o *Order) AskReassign(now time.Time, reason string) (Change, error) {
	if o.State != Dispatched {
		return Change{}, o.refuse(ActAskReassign, "")
	}
	if o.ReassignReason != "" {
		return Change{}, apperr.New(apperr.Conflict, "reason", "a reassignment request is already waiting for the operator")
	}
	reason, err := text("reason", reason, true, MaxNote)
	if err != nil {
		return Change{}, err
	}
	o.ReassignReason = reason
	return o.change(ActAskReassign, o.State, now, reason), nil
}

// DecideReassign is the operator's answer to a unit's request: grant moves
// the order to another unit with fresh deadlines (same round); refuse keeps
// it where it is.
func (o *Order) DecideReassign(now time.Time, cal Deadlines, grant bool, a Assignment) (Change, error) {
	if o.State != Dispatched || o.ReassignReason == "" {
		return Change{}, apperr.New(apperr.Conflict, "state", "work order %s has no reassignment request", o.Number)
	}
	if !grant {
		note, err := text("note", a.Note, true, MaxNote)
		if err != nil {
			return Change{}, err
		}
		o.ReassignReason = ""
		return o.change(ActDecideReassign, o.State, now, "refused: "+note), nil
	}
	if err := a.Check(); err != nil {
		return Change{}, err
	}
	if a.Unit == o.Unit {
		return Change{}, apperr.Invalidf("unit", "the order is already with unit %s", a.Unit)
	}
	o.freezeOverdue(now)
	from := o.Unit
	o.assign(now, cal, a)
	c := o.change(ActDecideReassign, o.State, now, "granted, from unit "+from+" to "+assignNote(a))
	c.Notify, c.Step = EventDispatched, o.dispatchStep(ActDecideReassign, now, a)
	return c, nil
}

// FileAppeal is a unit's request to have the bad review excluded as
// mistaken or malicious (申诉复核). One appeal per order.
func (o *Order) FileAppeal(now time.Time, ground, reason string) (Change, error) {
	if o.State == New {
		return Change{}, o.refuse(ActAppeal, "")
	}
	if o.Appeal != "" {
		return Change{}, apperr.New(apperr.Conflict, "appeal", "the unit has already appealed (%s)", o.Appeal)
	}
	if ground != GroundMistaken && ground != GroundMalicious {
		return Change{}, apperr.Invalidf("ground", "want mistaken or malicious, got %q", ground)
	}
	reason, err := text("reason", reason, true, MaxNote)
	if err != nil {
		return Change{}, err
	}
	o.Appeal, o.AppealGround, o.AppealReason = AppealPending, ground, reason
	return o.change(ActAppeal, o.State, now, ground+": "+reason), nil
}

// DecideAppeal is the supervisor's decision. An upheld appeal closes the
// order and excludes the review from the index; the review is kept.
func (o *Order) DecideAppeal(now time.Time, uphold bool, note string) (Change, error) {
	if o.Appeal != AppealPending {
		return Change{}, apperr.New(apperr.Conflict, "appeal", "work order %s has no pending appeal", o.Number)
	}
	note, err := text("note", note, true, MaxNote)
	if err != nil {
		return Change{}, err
	}
	o.AppealDecision = note
	if !uphold {
		o.Appeal = AppealRejected
		return o.change(ActDecideAppeal, o.State, now, "rejected: "+note), nil
	}
	o.Appeal = AppealUpheld
	to := o.State
	if to.Open() {
		to, o.ClosedAt = Closed, now
	}
	c := o.change(ActDecideAppeal, to, now, "upheld: "+note)
	c.Exclude = fmt.Sprintf("appeal upheld (%s): %s", o.AppealGround, note)
	return c, nil
}

// MarkAssessment marks the order for the year-end assessment.
func (o *Order) MarkAssessment(now time.Time, note string) (Change, error) {
	if o.Assessment {
		return Change{}, apperr.New(apperr.Conflict, "assessment", "already marked for the year-end assessment")
	}
	note, err := text("note", note, false, MaxNote)
	if err != nil {
		return Change{}, err
	}
	o.Assessment = true
	return o.change(ActAssessment, o.State, now, note), nil
}
