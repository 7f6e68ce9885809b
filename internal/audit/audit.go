// Package audit holds the entry of Haocha's audit trail: who did what, and
// when, to which work order. Storage chains the entries so that none can be
// silently edited.
package audit

import "time"

// Entry is one row of the audit trail.
type Entry struct {
	Seq       int64
	At        time.Time
	Actor     string
	Action    string
	WorkOrder int64 // 0 when the entry is about no order
	From, To  string
	Note      string
	PrevHash  string
	Hash      string
}
