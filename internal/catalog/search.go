package catalog

import (
	"unicode/utf8"

	"github.com/haocha/haocha/internal/apperr"
)

// MaxSearch bounds a search text (?q=) in characters: names are short,
// and a longer text only makes the database scan more for nothing.
const MaxSearch = 64

// CheckSearch refuses a search text over MaxSearch characters.
func CheckSearch(q string) error {
	if n := utf8.RuneCountInString(q); n > MaxSearch {
		return apperr.Invalidf("q", "at most %d characters, got %d", MaxSearch, n)
	}
	return nil
}
