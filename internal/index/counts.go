package index

import (
	"time"

	"github.com/haocha/haocha/internal/calendar"
)

// Counts is the additive aggregate of one scope and period: everything the
// indicators need and nothing that does not add up, so a district's counts
// are the sum of its units' and a month's the sum of its days'.
type Counts struct {
	N     int64    `json:"n"`
	Stars [5]int64 `json:"stars"` // reviews with 1..5 stars
	// ActiveStars is the star distribution over the reviews the citizen
	// gave, default reviews (默认好评) apart: the base of 主动评价好评率.
	ActiveStars [5]int64 `json:"active_stars"`
	// Linked counts reviews linked to a reported transaction.
	Linked int64 `json:"linked"`
	// Transactions counts reported transactions whose rating window closed
	// in the period; Unrated, those of them no citizen reviewed.
	Transactions int64 `json:"transactions"`
	Unrated      int64 `json:"unrated"`
	// ChannelReviews counts, by the channel the citizen rated on, the
	// reviews citizens gave (default reviews apart) of those Transactions:
	// the numerators of each channel's participation.
	ChannelReviews map[string]int64 `json:"channel_reviews,omitempty"`
	// Dimension sums and counts by dimension code.
	DimensionSum   map[string]int64 `json:"dimension_sum,omitempty"`
	DimensionCount map[string]int64 `json:"dimension_count,omitempty"`
	Tags           map[string]int64 `json:"tags,omitempty"` // reviews per problem tag
	Orders         OrderCounts      `json:"orders"`
	// Unverified is the part of the review counts above (N, Stars,
	// ActiveStars, Linked, Tags, dimensions) given by unverified reviews,
	// nil when none: a definition from version 3 weighs them apart
	// (Definition.Counted, Score).
	Unverified *Counts `json:"unverified,omitempty"`
}

// OrderCounts counts the bad-review work orders whose due time falls in the
// period (see Order.DueTime).
type OrderCounts struct {
	WithDue           int64 `json:"with_due"`            // orders due in the period
	RepliedOnTime     int64 `json:"replied_on_time"`     // replied by their due time
	ContactedOnTime   int64 `json:"contacted_on_time"`   // first contact by its deadline
	RealName          int64 `json:"real_name"`           // of real-name bad reviews
	RealNameContacted int64 `json:"real_name_contacted"` // of which the reviewer was contacted
	Rectified         int64 `json:"rectified"`           // see Order.Rectified (整改)
	SatisfiedFirst    int64 `json:"satisfied_first"`     // closed satisfied at the first follow-up
	Redispatched      int64 `json:"redispatched"`        // round 2 or later
	Escalated         int64 `json:"escalated"`           // supervised (督办)
	AppealsUpheld     int64 `json:"appeals_upheld"`
	UndispatchedLate  int64 `json:"undispatched_late"` // not dispatched within one working day: the centre's
	// Causes counts the orders by their reviewed cause of an unsatisfied
	// answer (不满意原因审查), CausesAtFault those whose cause put the unit
	// at fault: the cause mix.
	Causes        map[string]int64 `json:"causes,omitempty"`
	CausesAtFault int64            `json:"causes_at_fault"`
	// DaysToClose is how many closed orders took each number of working
	// days: a histogram, so that the median survives addition.
	DaysToClose map[int]int64 `json:"days_to_close,omitempty"`
	// BeforeDispatch is the part of the counts above (UndispatchedLate
	// apart) of orders the centre had not dispatched at the time counted,
	// nil when none: a definition with OrdersAfterDispatch leaves them out.
	BeforeDispatch *OrderCounts `json:"before_dispatch,omitempty"`
}

// Add adds o to c.
func (c *Counts) Add(o Counts) {
	c.N += o.N
	c.Linked += o.Linked
	c.Transactions += o.Transactions
	c.Unrated += o.Unrated
	for i := range c.Stars {
		c.Stars[i] += o.Stars[i]
		c.ActiveStars[i] += o.ActiveStars[i]
	}
	c.DimensionSum = addMap(c.DimensionSum, o.DimensionSum)
	c.DimensionCount = addMap(c.DimensionCount, o.DimensionCount)
	c.Tags = addMap(c.Tags, o.Tags)
	c.ChannelReviews = addMap(c.ChannelReviews, o.ChannelReviews)
	c.Orders.Add(o.Orders)
	if o.Unverified != nil {
		u := Counts{}
		if c.Unverified != nil {
			u = *c.Unverified
		}
		u.Add(*o.Unverified)
		c.Unverified = &u
	}
}

// subReviews takes the review counts of u (a part of c's) out of c,
// without touching the maps c shares with other counts.
func (c *Counts) subReviews(u Counts) {
	c.N -= u.N
	c.Linked -= u.Linked
	for i := range c.Stars {
		c.Stars[i] -= u.Stars[i]
		c.ActiveStars[i] -= u.ActiveStars[i]
	}
	c.DimensionSum = subMap(c.DimensionSum, u.DimensionSum)
	c.DimensionCount = subMap(c.DimensionCount, u.DimensionCount)
	c.Tags = subMap(c.Tags, u.Tags)
}

// Add adds o to c.
func (c *OrderCounts) Add(o OrderCounts) {
	c.WithDue += o.WithDue
	c.RepliedOnTime += o.RepliedOnTime
	c.ContactedOnTime += o.ContactedOnTime
	c.RealName += o.RealName
	c.RealNameContacted += o.RealNameContacted
	c.Rectified += o.Rectified
	c.SatisfiedFirst += o.SatisfiedFirst
	c.Redispatched += o.Redispatched
	c.Escalated += o.Escalated
	c.AppealsUpheld += o.AppealsUpheld
	c.UndispatchedLate += o.UndispatchedLate
	c.Causes = addMap(c.Causes, o.Causes)
	c.CausesAtFault += o.CausesAtFault
	c.DaysToClose = addMap(c.DaysToClose, o.DaysToClose)
	if o.BeforeDispatch != nil {
		b := OrderCounts{}
		if c.BeforeDispatch != nil {
			b = *c.BeforeDispatch
		}
		b.Add(*o.BeforeDispatch)
		c.BeforeDispatch = &b
	}
}

// Sub takes o, a part of c's counts, out of c, its part before dispatch
// too: a sum of several days' counts less one day's. Maps keep no key at
// 0 and BeforeDispatch is nil once nothing is left of it, as counting
// what remains afresh would leave them.
func (c *OrderCounts) Sub(o OrderCounts) {
	before := c.BeforeDispatch
	*c = c.minus(o)
	c.BeforeDispatch = before
	if o.BeforeDispatch == nil {
		return
	}
	b := OrderCounts{}
	if before != nil {
		b = *before
	}
	b.Sub(*o.BeforeDispatch)
	c.BeforeDispatch = nil
	if !b.IsZero() {
		c.BeforeDispatch = &b
	}
}

// IsZero reports whether c counts no order at all.
func (c OrderCounts) IsZero() bool {
	return c.WithDue == 0 && c.RepliedOnTime == 0 && c.ContactedOnTime == 0 && c.RealName == 0 &&
		c.RealNameContacted == 0 && c.Rectified == 0 && c.SatisfiedFirst == 0 && c.Redispatched == 0 &&
		c.Escalated == 0 && c.AppealsUpheld == 0 && c.UndispatchedLate == 0 && len(c.Causes) == 0 &&
		c.CausesAtFault == 0 && len(c.DaysToClose) == 0 && c.BeforeDispatch == nil
}

// minus is c without the orders counted in o (a part of c's), o's own
// part before dispatch apart.
func (c OrderCounts) minus(o OrderCounts) OrderCounts {
	c.WithDue -= o.WithDue
	c.RepliedOnTime -= o.RepliedOnTime
	c.ContactedOnTime -= o.ContactedOnTime
	c.RealName -= o.RealName
	c.RealNameContacted -= o.RealNameContacted
	c.Rectified -= o.Rectified
	c.SatisfiedFirst -= o.SatisfiedFirst
	c.Redispatched -= o.Redispatched
	c.Escalated -= o.Escalated
	c.AppealsUpheld -= o.AppealsUpheld
	c.UndispatchedLate -= o.UndispatchedLate
	c.Causes = subMap(c.Causes, o.Causes)
	c.CausesAtFault -= o.CausesAtFault
	c.DaysToClose = subMap(c.DaysToClose, o.DaysToClose)
	c.BeforeDispatch = nil
	return c
}

func addMap[K comparable](dst, src map[K]int64) map[K]int64 {
	if len(src) == 0 {
		return dst
	}
	if dst == nil {
		dst = map[K]int64{}
	}
	for k, v := range src {
		dst[k] += v
	}
	return dst
}

// subMap is a new map of dst less src, without the keys that reach 0.
func subMap[K comparable](dst, src map[K]int64) map[K]int64 {
	if len(src) == 0 {
		return dst
	}
	out := map[K]int64{}
	for k, v := range dst {
		if v -= src[k]; v != 0 {
			out[k] = v
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// Workdays is the working-day calendar the order counts need.
type Workdays interface {
	IsWorkday(t time.Time) bool
	AddWorkdays(t time.Time, n int) time.Time
}

// Order is what the counts need of one work order; zero times are events
// that have not happened.
type Order struct {
	Created      time.Time
	Dispatched   time.Time // first dispatch, kept through re-dispatches
	ContactDue   time.Time
	Contacted    time.Time
	Due          time.Time
	Replied      time.Time
	Closed       time.Time // closed (办结), by follow-up or upheld appeal
	Supervised   time.Time
	Round        int
	NotSatisfied int  // times the citizen said "not satisfied"
	Anonymous    bool // the bad review was anonymous
	AppealUpheld bool
	// Cause is the order's reviewed cause of an unsatisfied answer, empty
	// when none was recorded, and whether it put the unit at fault.
	Cause        string
	CauseAtFault bool
	// NotAtFault: the cause clears the unit (workorder.Order.NotAtFault).
	NotAtFault bool
}

// Rectified reports whether the order counts as rectified (整改) in R and
// the assessment: closed, or left unsatisfied for a cause that clears the
// unit (workorder.Order.NotAtFault, the one rule of the cause review). An
// order without a cause is rectified only when closed, as before the
// review existed.
func (o Order) Rectified() bool {
	return !o.Closed.IsZero() || o.NotAtFault
}

// AsOf is the order as it stood at now, as far as its own times tell:
// an event timed after now (a dispatch, a contact, a reply, the close, an
// escalation) has not happened yet. Figures counted at now are then the
// same whenever the order is read, so a board can be recounted as of the
// time it was computed (board.ComputeAt). What an order's columns do not
// time (a re-dispatch's earlier round, an appeal's decision) is as read.
func (o Order) AsOf(now time.Time) Order {
	if o.Dispatched.After(now) {
		o.Dispatched, o.Due, o.ContactDue = time.Time{}, time.Time{}, time.Time{}
	}
	for _, t := range []*time.Time{&o.Contacted, &o.Replied, &o.Closed, &o.Supervised} {
		if t.After(now) {
			*t = time.Time{}
		}
	}
	return o
}

// DispatchDeadline is the operator's own deadline: one working day after
// the order was opened.
func (o Order) DispatchDeadline(cal Workdays) time.Time {
	return cal.AddWorkdays(o.Created, 1)
}

// DueTime places an order in a period: its due time once dispatched, the
// dispatch deadline before.
func (o Order) DueTime(cal Workdays) time.Time {
	if !o.Due.IsZero() {
		return o.Due
	}
	return o.DispatchDeadline(cal)
}

// AddOrder counts one order due in the period, as it stands at now. An
// order closed by an upheld appeal counts only as that: its review is out
// of the index, so it must not weigh on the unit's rates, nor on the
// centre's dispatch (issue 18).
func (c *OrderCounts) AddOrder(o Order, cal Workdays, now time.Time) {
	o = o.AsOf(now)
	// An order not yet due at now is not counted yet, even if dispatched
	// late: a period ending in the future (the year's assessment in
	// December) counts only the orders due so far, as the same period
	// ending today does (issue 18).
	if o.DueTime(cal).After(now) {
		return
	}
	if o.AppealUpheld {
		c.AppealsUpheld++
		return
	}
	// A re-dispatched order is judged on its first dispatch (Dispatched).
	if dl := o.DispatchDeadline(cal); (o.Dispatched.IsZero() && now.After(dl)) || o.Dispatched.After(dl) {
		c.UndispatchedLate++
	}
	c.addRated(o, cal)
	if o.Dispatched.IsZero() || o.Dispatched.After(now) {
		if c.BeforeDispatch == nil {
			c.BeforeDispatch = &OrderCounts{}
		}
		c.BeforeDispatch.addRated(o, cal)
	}
}

// addRated counts an order due and not closed by an upheld appeal in the
// order figures of the member it counts toward.
func (c *OrderCounts) addRated(o Order, cal Workdays) {
	c.WithDue++
	if !o.Replied.IsZero() && !o.Replied.After(o.Due) && !o.Due.IsZero() {
		c.RepliedOnTime++
	}
	if !o.Contacted.IsZero() && !o.ContactDue.IsZero() && !o.Contacted.After(o.ContactDue) {
		c.ContactedOnTime++
	}
	if !o.Anonymous {
		c.RealName++
		if !o.Contacted.IsZero() {
			c.RealNameContacted++
		}
	}
	if o.Cause != "" {
		c.Causes = addMap(c.Causes, map[string]int64{o.Cause: 1})
		if o.CauseAtFault {
			c.CausesAtFault++
		}
	}
	if o.Rectified() {
		c.Rectified++
	}
	if !o.Closed.IsZero() {
		if o.NotSatisfied == 0 {
			c.SatisfiedFirst++
		}
		if c.DaysToClose == nil {
			c.DaysToClose = map[int]int64{}
		}
		c.DaysToClose[WorkdaysBetween(cal, o.Created, o.Closed)]++
	}
	if o.Round >= 2 {
		c.Redispatched++
	}
	if !o.Supervised.IsZero() {
		c.Escalated++
	}
}

// WorkdaysBetween counts the working days after from's day up to and
// including to's day: 0 for an order closed the day it was opened.
func WorkdaysBetween(cal Workdays, from, to time.Time) int {
	day := func(t time.Time) time.Time {
		t = t.In(calendar.Zone)
		return time.Date(t.Year(), t.Month(), t.Day(), 12, 0, 0, 0, calendar.Zone)
	}
	n := 0
	for d, end := day(from).AddDate(0, 0, 1), day(to); !d.After(end); d = d.AddDate(0, 0, 1) {
		if cal.IsWorkday(d) {
			n++
		}
	}
	return n
}
