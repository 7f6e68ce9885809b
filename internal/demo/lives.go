package demo

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/progress"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/workorder"
)

// A demo whose work orders all wait in "new" months later shows nothing of
// the loop. Live plays each order through the life a real one has: the
// operator dispatches it (a few late), the unit contacts the reviewer and
// replies (most on time, some late), the citizen follows up (most are
// satisfied; some are not, the operator reviews the cause, a few units
// contest it, and the order goes round again; a few are escalated), and a few units appeal, in vain. Every step goes through the domain's
// own transitions at its own past time, so the history and the audit trail
// are what the real loop writes; a step whose time is still to come is not
// played, so orders of the last days are still open today.

// Loop is the part of the store that Live needs.
type Loop interface {
	Orders(ctx context.Context, f workorder.Filter) ([]workorder.Row, error)
	OrderReview(ctx context.Context, id int64) (*review.Record, error)
	ChangeOrder(ctx context.Context, id int64, a account.Actor, fn workorder.ChangeFunc) (*workorder.Order, workorder.Change, error)
	Calendar(ctx context.Context) (*calendar.Calendar, error)
	// Causes is the list of causes of the cause review (不满意原因审查).
	Causes(ctx context.Context) ([]workorder.Cause, error)
}

// The demo's staff, as the audit trail names them.
var (
	// Two hotline operators share the orders, by order, so that each has
	// figures of their own (/console/operators).
	operators  = [2]account.Actor{{Role: account.Operator, Name: "operator"}, {Role: account.Operator, Name: "operator2"}}
	supervisor = account.Actor{Role: account.Supervisor, Name: "supervisor"}
	citizen    = account.Actor{Role: account.Citizen}
)

// Live plays the demo's new work orders through their lives up to now.
func Live(ctx context.Context, st Loop, now time.Time, seed uint64) error {
	return live(ctx, st, now, seed, nil)
}

// live is Live reporting each order played on w (nil: nowhere).
func live(ctx context.Context, st Loop, now time.Time, seed uint64, w io.Writer) error {
	cal, err := st.Calendar(ctx)
	if err != nil {
		return err
	}
	causes, err := st.Causes(ctx)
	if err != nil {
		return err
	}
	rows, err := st.Orders(ctx, workorder.Filter{States: []workorder.State{workorder.New}, Limit: 1000})
	if err != nil {
		return err
	}
	slices.Reverse(rows) // oldest first
	bar := progress.New(w, int64(len(rows)), "demo work orders")
	defer bar.Finish()
	for _, row := range rows {
		rv, err := st.OrderReview(ctx, row.Review)
		if err != nil {
			return err
		}
		l := &life{ctx: ctx, st: st, cal: cal, causes: causes, now: now, id: row.ID, at: row.CreatedAt,
			rng: rand.New(rand.NewPCG(seed, uint64(row.ID))), unit: rv.Unit, comment: rv.Comment,
			operator: operators[row.ID%2]}
		if err := l.play(); err != nil {
			return fmt.Errorf("demo work order %s: %w", row.Number, err)
		}
		bar.Add(1)
	}
	return nil
}

// life is one order's story as it is played.
type life struct {
	ctx      context.Context
	st       Loop
	cal      *calendar.Calendar
	causes   []workorder.Cause
	rng      *rand.Rand
	now      time.Time
	id       int64
	at       time.Time // the time of the last step
	unit     string
	comment  string
	order    *workorder.Order // as the last step left it
	operator account.Actor    // the operator on the order
	stopped  bool             // a step lay in the future: the order stays as it is today
}

// after moves the story on by d into working hours: a step that would
// fall outside a working day happens the next working morning.
func (l *life) after(d time.Duration) time.Time {
	t := l.at.Add(d)
	if !l.cal.IsWorkday(t) || t.After(l.cal.EndOfWorkday(t)) {
		t = l.cal.AddWorkdays(t, 1)
		t = time.Date(t.Year(), t.Month(), t.Day(), 9, 0, 0, 0, calendar.Zone).Add(time.Duration(l.rng.IntN(90)) * time.Minute)
	}
	return t
}

// hours is a random span of lo to hi hours.
func (l *life) hours(lo, hi int) time.Duration {
	return time.Duration(lo)*time.Hour + time.Duration(l.rng.Int64N(int64(hi-lo)*int64(time.Hour)))
}

// step applies fn as a at time t, unless t is still to come. Notices of
// the past are not sent: nobody waits for them now.
func (l *life) step(t time.Time, a account.Actor, fn func(o *workorder.Order, t time.Time) (workorder.Change, error)) error {
	if l.stopped || t.After(l.now) {
		l.stopped = true
		return nil
	}
	o, _, err := l.st.ChangeOrder(l.ctx, l.id, a, func(o *workorder.Order) (workorder.Change, error) {
		c, err := fn(o, t)
		c.Notify = ""
		return c, err
	})
	l.at, l.order = t, o
	return err
}

func (l *life) play() error {
	handler := account.Actor{Role: account.Handler, Name: "handler", Unit: l.unit}
	// The operator reads most orders within hours, some the next morning;
	// one in twenty waits over a working day, which the queue shows late.
	wait := l.hours(1, 4)
	switch n := l.rng.IntN(20); {
	case n == 0:
		wait = l.hours(30, 60)
	case n < 6:
		wait = l.hours(8, 20)
	}
	at := l.after(wait)
	// The newest orders are partly still in the operator's queue, and
	// one in twenty of the last week's waits there for a unit to take it:
	// the queue holds orders of several days, the late ones flagged.
	age := l.now.Sub(l.at)
	if age < 30*time.Hour && l.rng.IntN(3) == 0 || age < 7*24*time.Hour && l.rng.IntN(20) == 0 {
		return nil
	}
	// Simple matters are due the same day when read in the morning.
	asg := workorder.Assignment{Unit: l.unit, Complexity: workorder.Simple, Days: 1 + l.rng.IntN(2),
		Note: "请核实情况，及时联系市民并答复。"}
	if at.Hour() < 11 {
		asg.Days = 0
	}
	if l.rng.IntN(4) == 0 {
		asg.Complexity, asg.Days, asg.Note = workorder.Complex, 5+l.rng.IntN(6), "情况较复杂，请调查核实后整改答复。"
	}
	if err := l.step(at, l.operator, func(o *workorder.Order, t time.Time) (workorder.Change, error) {
		return o.Dispatch(t, l.cal, asg)
	}); err != nil {
		return err
	}
	for round := 1; !l.stopped; round++ {
		done, err := l.round(handler, round, false)
		if err != nil || done {
			return err
		}
	}
	return nil
}

// round plays one round with the unit: contact (unless made already),
// reply, follow-up. It reports whether the story is over.
func (l *life) round(handler account.Actor, round int, contacted bool) (bool, error) {
	if !contacted {
		// First contact: most within the working day it is due, some late.
		contact := l.hours(1, 5)
		if l.order.Days == 0 {
			contact = l.hours(0, 2) // a same-day matter is called back at once
		}
		if l.rng.IntN(20) == 0 {
			contact = l.hours(26, 50)
		}
		if err := l.step(l.after(contact), handler, func(o *workorder.Order, t time.Time) (workorder.Change, error) {
			return o.RecordContact(t, "已电话联系市民，了解具体情况。")
		}); err != nil || l.stopped {
			return true, err
		}
		// A few units contest the review instead; the supervisor decides.
		if round == 1 && l.rng.IntN(30) == 0 {
			return true, l.appeal(handler)
		}
	}
	// The reply: most between the contact and the due time, one in ten
	// late; the General Office takes up some of the late ones first.
	due := l.order.Due
	reply := l.at.Add(l.hours(1, 3))
	if left := due.Sub(l.at); left > time.Hour {
		reply = l.at.Add(time.Duration(l.rng.Float64() * 0.9 * float64(left)))
	}
	if l.rng.IntN(10) == 0 {
		reply = due.Add(l.hours(20, 90))
		if l.rng.IntN(2) == 0 {
			return true, l.step(due.Add(l.hours(26, 40)), supervisor, func(o *workorder.Order, t time.Time) (workorder.Change, error) {
				return o.Escalate(t, "逾期未答复，市政府办公厅督办。")
			})
		}
	}
	if err := l.step(reply, handler, func(o *workorder.Order, t time.Time) (workorder.Change, error) {
		return o.Answer(t, replyFor(l.comment))
	}); err != nil {
		return false, err
	}
	// The follow-up: satisfied mostly; not satisfied sends it round again,
	// and a second "not satisfied" is escalated to the General Office.
	satisfied := l.rng.IntN(8) > 0 || round > 2
	by, via := citizen, ""
	if l.rng.IntN(3) == 0 {
		by, via = l.operator, "回访电话："
	}
	reason := ""
	if !satisfied {
		reason = "问题没有真正解决，只是解释了一下。"
	}
	if err := l.step(l.after(l.hours(3, 60)), by, func(o *workorder.Order, t time.Time) (workorder.Change, error) {
		c, err := o.FollowUp(t, satisfied, reason)
		c.Note = via + c.Note
		return c, err
	}); err != nil || satisfied || l.stopped {
		return true, err
	}
	if err := l.reviewCause(handler); err != nil || l.stopped {
		return true, err
	}
	if round == 2 {
		return true, l.step(l.after(l.hours(1, 4)), supervisor, func(o *workorder.Order, t time.Time) (workorder.Change, error) {
			return o.Escalate(t, "两次回访不满意，提请市政府办公厅督办。")
		})
	}
	asg := workorder.Assignment{Unit: l.unit, Complexity: workorder.Complex, Days: 5, Note: "市民仍不满意，请重新核查并切实整改。"}
	err := l.step(l.after(l.hours(1, 6)), l.operator, func(o *workorder.Order, t time.Time) (workorder.Change, error) {
		return o.Redispatch(t, l.cal, asg)
	})
	return false, err
}

// demoCauses are the causes the operator finds, in turn by order: the
// unit at fault in about half (the trial's 12345 found most "not
// satisfied" answers careless or off the point), not in the others.
var demoCauses = []struct{ code, note string }{
	{"careless", "单位仅作解释，未实际核查处理。"},
	{"unreachable", "三次回访电话均无人接听。"},
	{"off_point", "答复未回应市民所提材料问题。"},
	{"unreasonable", "市民要求超出现行政策规定。"},
	{"passed_buck", "单位以非本单位职责为由推回。"},
	{"duplicate", "与此前工单系同一诉求。"},
	{"late", "整改答复超过办理时限。"},
	{"outside_remit", "诉求属中央垂直管理部门职责。"},
}

// reviewCause is the operator's cause review after the first "not
// satisfied\" (不满意原因审查), a minute after it. The cause follows from
// the order, not from the story's random numbers, so the rest of every
// story is as it was without it. Some units contest a finding against
// them (two in three) within the hour; the supervisor decides an hour
// later, changing the cause or keeping it.
func (l *life) reviewCause(handler account.Actor) error {
	if !l.order.Possible(workorder.ActRecordCause) {
		return nil // a cause is recorded once: the second "not satisfied" has one
	}
	c := demoCauses[l.id%int64(len(demoCauses))]
	if err := l.step(l.at.Add(time.Minute), l.operator, func(o *workorder.Order, t time.Time) (workorder.Change, error) {
		return o.RecordCause(t, l.causes, c.code, c.note)
	}); err != nil || l.stopped || !l.order.CauseAtFault || l.id/8%3 == 2 {
		return err
	}
	if err := l.step(l.at.Add(time.Hour), handler, func(o *workorder.Order, t time.Time) (workorder.Change, error) {
		return o.ContestCause(t, "已按规定答复，市民诉求超出本单位职责。")
	}); err != nil {
		return err
	}
	return l.step(l.at.Add(time.Hour), supervisor, func(o *workorder.Order, t time.Time) (workorder.Change, error) {
		if l.id/8%3 == 0 {
			return o.DecideCause(t, l.causes, false, "outside_remit", "经核查，诉求属其他部门职责，改定原因。")
		}
		return o.DecideCause(t, l.causes, true, "", "经核查，单位确未实际处理，维持有责认定。")
	})
}

// appeal is a unit contesting the review. The supervisor rejects it: an
// upheld appeal would hold the review out of the published figures, which
// must stay the trial's (13,354 reviews, 223 bad).
func (l *life) appeal(handler account.Actor) error {
	ground, why := workorder.GroundMistaken, "评价所述事项不属于本单位办理，系误评。"
	if l.rng.IntN(2) == 0 {
		ground, why = workorder.GroundMalicious, "评价内容与窗口录像记录不符，申请复核。"
	}
	if err := l.step(l.after(l.hours(1, 4)), handler, func(o *workorder.Order, t time.Time) (workorder.Change, error) {
		return o.FileAppeal(t, ground, why)
	}); err != nil {
		return err
	}
	if err := l.step(l.after(l.hours(4, 30)), supervisor, func(o *workorder.Order, t time.Time) (workorder.Change, error) {
		return o.DecideAppeal(t, false, "经复核，申诉理由不成立，请继续办理。")
	}); err != nil {
		return err
	}
	for round, contacted := 1, true; !l.stopped; round, contacted = round+1, false {
		if done, err := l.round(handler, round, contacted); err != nil || done {
			return err
		}
	}
	return nil
}

// replyFor is the unit's answer to a complaint, by its theme.
func replyFor(comment string) workorder.Reply {
	if i := slices.IndexFunc(complaints, func(c complaint) bool { return c.text == comment }); i >= 0 {
		r := complaintThemes[complaints[i].theme].reply
		return workorder.Reply{Findings: r[0], Rectification: r[1], Answer: r[2]}
	}
	return workorder.Reply{Findings: "经核实，市民反映情况属实。", Rectification: "已对相关人员进行提醒教育，优化办理流程。",
		Answer: "感谢您的监督，问题已整改，欢迎再次评价。"}
}
