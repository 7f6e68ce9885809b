package review

import "time"

// Record is a stored review and whether it counts in the index.
type Record struct {
	Review
	Excluded string // why it is held out of the index; empty when it counts
	// Later is this review's later review (追评), and First the review a
	// later review follows: the other opinion on the same transaction and
	// stage, shown beside it. Nil when there is none.
	Later, First *Opinion
}

// Opinion is a review as shown beside another of the same transaction
// and stage.
type Opinion struct {
	ID        int64
	CreatedAt time.Time
	Stars     int
	Tags      TagSet
	Comment   string
	Held      bool // held out of the index pending a supervisor's decision
	Anonymous bool
}
