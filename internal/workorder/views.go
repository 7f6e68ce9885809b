package workorder

import "time"

// Filter narrows a list of work orders. Empty fields do not filter.
type Filter struct {
	States     []State
	Unit       string
	Overdue    bool // only orders flagged overdue, or past their due time
	Escalated  bool // only orders ever escalated
	Redispatch bool // only orders in round 2 or later
	Assessment bool // only orders marked for the year-end assessment
	Open       bool // only open orders
	// Cause selects a queue of the cause review (cause.go); empty for all.
	Cause CauseQueue
	// Queue selects the operator's queue: new, not satisfied, supervised,
	// or overdue.
	Queue bool
	// Suspected selects the supervisor's suspected queue: the orders of
	// held reviews. Without it, suspected orders are left out of every
	// list and count.
	Suspected bool
	Now       time.Time // for "past due"; the store's clock when zero
	// DispatchLateBy: new orders created at or before it are past the
	// operator's own deadline (see DispatchDays). Zero flags none.
	DispatchLateBy time.Time
	// DueSoonBy: dispatched orders due by then are due soon (queue order).
	DueSoonBy time.Time
	// Sort orders the list by something else than its own order (the
	// queue most urgent first, other lists newest first).
	Sort  Sort
	Limit int
	// After and Before page the list: rows after (or before) this place
	// in its order. At most one is set.
	After, Before *Cursor
	// cursor is the ?cursor= FilterFrom read, opened by ListPage.
	cursor string
}

// Sort is an order a list can be read in.
type Sort string

// Sorts: by due time (soonest first, orders not yet due last), by time
// received (newest first), by state (in the loop's order, new first).
const (
	SortDue      Sort = "due"
	SortReceived Sort = "received"
	SortState    Sort = "state"
)

// Sorts lists the sorts a list offers.
var Sorts = []Sort{SortDue, SortReceived, SortState}

// MaxPage is the most rows one page of a list holds.
const MaxPage = 1000

// Cursor is a place in a list of orders: the key of a row in the list's
// order. A queue's key starts with the urgency class, so its cursor keeps
// the clock the first page was read at: every page then classes an order
// the same way and paging never repeats or skips one.
type Cursor struct {
	Now     time.Time
	Class   int
	Created time.Time
	ID      int64
}

// Row is a work order with what a list shows of its review.
type Row struct {
	*Order
	Item      string
	ItemName  string
	ItemEN    string // the item's English name; empty when it has none
	ReviewAt  time.Time
	Stars     int
	Anonymous bool
	Comment   string // the review's comment, for a preview
	// RatedUnit and Hall are what the review rated, for the suggested
	// dispatch unit (the hall is empty for an online review).
	RatedUnit string
	Hall      string
	// Key is the row's place in its list (Now aside), kept before a
	// handler's view of an anonymous review rounds its times.
	Key Cursor
}

// Urgency is UrgentLate, UrgentDueSoon or UrgentOther, at the list's clock.
func (r Row) Urgency() int { return r.Key.Class }

// Urgency classes of the operator's queue, most urgent first.
const (
	UrgentLate    = 0 // overdue, or waiting for dispatch past the operator's deadline
	UrgentDueSoon = 1 // with a unit and due soon
	UrgentOther   = 2
)

// ItemIn is the item's name in lang ("en" or Chinese).
func (r Row) ItemIn(lang string) string {
	if lang == "en" && r.ItemEN != "" {
		return r.ItemEN
	}
	return r.ItemName
}

// Notice is what a notification says; it carries no personal data.
type Notice struct {
	Event     Event      `json:"event"`
	Number    string     `json:"work_order"`
	State     State      `json:"state"`
	Round     int        `json:"round"`
	Unit      string     `json:"unit,omitempty"`
	Due       *time.Time `json:"due,omitempty"`
	Overdue   bool       `json:"overdue"`
	At        time.Time  `json:"at"`
	Alert     *AlertRef  `json:"alert,omitempty"` // of an alert_opened notice
	OrderID   int64      `json:"-"`
	ID        int64      `json:"id"`
	Attempts  int        `json:"-"`
	CreatedAt time.Time  `json:"-"`
}

// AlertRef is what an alert_opened notice says of the alert: what it
// groups, never a reviewer.
type AlertRef struct {
	ID      int64    `json:"id"`
	Kind    string   `json:"kind"`
	Group   []string `json:"group"`
	Unit    string   `json:"unit"`
	Count   int      `json:"count"`
	Reviews []int64  `json:"reviews"`
}

// NoticeOf is the notice of ev for o at now.
func NoticeOf(ev Event, o *Order, now time.Time) Notice {
	n := Notice{Event: ev, Number: o.Number, State: o.State, Round: o.Round, Unit: o.Unit, Overdue: o.Overdue, At: now.UTC()}
	if !o.Due.IsZero() {
		d := o.Due.UTC()
		n.Due = &d
	}
	return n
}

// ChangeFunc applies one action to a loaded order; it returns what changed
// or an error that leaves the order as stored.
type ChangeFunc func(o *Order) (Change, error)
