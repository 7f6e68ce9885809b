package web

import "github.com/haocha/haocha/internal/review"

// laterPart is what the "later" template shows: one opinion beside the
// review of the page, under its title and note keys.
type laterPart struct {
	L               locale
	ID, Title, Note string
	Opinion         *review.Opinion // nil shows nothing
}

// laterParts are the later review of the page's review, and the first
// review when the page's is a later review.
func laterParts(l locale, later, first *review.Opinion) (laterPart, laterPart) {
	return laterPart{L: l, ID: "later-review", Title: "later.your.title", Note: "later.your.note", Opinion: later},
		laterPart{L: l, ID: "first-review", Title: "later.your.first", Note: "later.your.first.note", Opinion: first}
}
