package fraud

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode"
)

// MinTextLetters is the shortest comment, in letters, whose text is
// compared: short praise ("很方便", "good") repeats honestly every day.
const MinTextLetters = 12

// TextPrint is a hash of comment reduced to its letters, lower-cased:
// comments that differ only in spaces, punctuation, digits or emoji (the
// usual way a script varies one text) print the same. It is "" for a
// comment shorter than MinTextLetters.
func TextPrint(comment string) string {
	var b strings.Builder
	n := 0
	for _, r := range comment {
		if unicode.IsLetter(r) {
			b.WriteRune(unicode.ToLower(r))
			n++
		}
	}
	if n < MinTextLetters {
		return ""
	}
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:12])
}
