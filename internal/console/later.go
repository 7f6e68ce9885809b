package console

// The later review (追评) beside the first on the order page.

import "github.com/haocha/haocha/internal/review"

// opinionPart is what the "opinion" template shows.
type opinionPart struct {
	L               Lang
	ID, Title, Note string
	Opinion         *review.Opinion // nil shows nothing
}

// opinionParts are the later review of the order's review, and the first
// review when the order's is a later review.
func opinionParts(l Lang, r *review.Record) []opinionPart {
	return []opinionPart{{L: l, ID: "later-review", Title: "later.title", Note: "later.note", Opinion: r.Later},
		{L: l, ID: "first-review", Title: "later.first", Note: "later.first.note", Opinion: r.First}}
}
