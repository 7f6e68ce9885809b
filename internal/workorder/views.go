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
	// Queue selects the operator's queue: new, not satisfied, supervised,
	// or overdue.
	Queue bool
	// Suspected selects the supervisor's suspected queue: the orders of
	// held reviews. Without it, suspected orders are left out of every
	// list and count.
	Suspected bool
	Now       time.Time // for "past due"; the store's clock when zero
	Limit     int
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
}

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
