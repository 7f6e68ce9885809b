package review

// Record is a stored review and whether it counts in the index.
type Record struct {
	Review
	Excluded string // why it is held out of the index; empty when it counts
}
