package index

import "github.com/haocha/haocha/internal/workorder"

// OrderOf is what the counts need of a work order; anonymous is whether its
// bad review was.
func OrderOf(o *workorder.Order, anonymous bool) Order {
	return Order{
		Created: o.CreatedAt, Dispatched: o.FirstDispatchedAt, ContactDue: o.ContactDue, Contacted: o.ContactedAt,
		Due: o.Due, Replied: o.RepliedAt, Closed: o.ClosedAt, Supervised: o.SupervisedAt,
		Round: o.Round, NotSatisfied: o.NotSatisfied, Anonymous: anonymous,
		AppealUpheld: o.Appeal == workorder.AppealUpheld, Cause: o.Cause, CauseAtFault: o.CauseAtFault, NotAtFault: o.NotAtFault(),
	}
}
