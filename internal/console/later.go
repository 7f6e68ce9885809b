package console

// The later review (追评) beside the first on the order page.

import "github.com/haocha/haocha/internal/review"

func init() {
	addWords(map[string][2]string{
		"later.title":      {"追评", "Later review"},
		"later.note":       {"评价指数以追评为准，首次评价不再计入。", "The index counts the later review; the first no longer counts."},
		"later.first":      {"首次评价", "First review"},
		"later.first.note": {"本工单的评价是追评；评价指数以它为准。", "This order's review is a later review; the index counts it."},
		"later.held":       {"暂缓计入", "Held"},
	})
}

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
