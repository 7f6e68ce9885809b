package web

import "github.com/haocha/haocha/internal/review"

// The later review (追评) shown beside the first on the citizen's page.
var laterMessages = map[string][2]string{
	"later.title":      {"您的追评", "Your later review"},
	"later.note":       {"评价指数以您的追评为准。", "The index counts your later review, your latest opinion."},
	"later.first":      {"您的首次评价", "Your first review"},
	"later.first.note": {"您随后追评了这次办事，评价指数以上面的追评为准。", "You reviewed this service again later: the index counts that later review."},
}

func init() { addMessages(laterMessages) }

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
	return laterPart{L: l, ID: "later-review", Title: "later.title", Note: "later.note", Opinion: later},
		laterPart{L: l, ID: "first-review", Title: "later.first", Note: "later.first.note", Opinion: first}
}
