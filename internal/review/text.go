package review

import (
	"unicode"
	"unicode/utf8"

	"github.com/haocha/haocha/internal/apperr"
)

// Free text from citizens is shown to operators and units and printed in
// reports. Control characters can hide or fake text in a terminal, a log
// or a spreadsheet, and an unclosed bidirectional override (the "Trojan
// Source" trick) reorders everything shown after it: neither is ever
// part of an honest comment or name.

// CheckText refuses text in field that is not valid UTF-8, holds a control
// character (line breaks and tabs only where multiline), or opens a
// bidirectional embedding, override or isolate it does not close.
func CheckText(field, s string, multiline bool) error {
	if !utf8.ValidString(s) {
		return apperr.Invalidf(field, "not valid UTF-8")
	}
	var embeds, isolates int
	for _, r := range s {
		switch {
		case multiline && (r == '\n' || r == '\r' || r == '\t'):
		case unicode.IsControl(r):
			return apperr.Invalidf(field, "control character U+%04X not allowed", r)
		case r == '\u202A' || r == '\u202B' || r == '\u202D' || r == '\u202E': // LRE RLE LRO RLO
			embeds++
		case r == '\u202C': // PDF
			if embeds--; embeds < 0 {
				return apperr.Invalidf(field, "unpaired bidirectional formatting character U+%04X", r)
			}
		case r == '\u2066' || r == '\u2067' || r == '\u2068': // LRI RLI FSI
			isolates++
		case r == '\u2069': // PDI
			if isolates--; isolates < 0 {
				return apperr.Invalidf(field, "unpaired bidirectional formatting character U+%04X", r)
			}
		}
	}
	if embeds != 0 || isolates != 0 {
		return apperr.Invalidf(field, "unpaired bidirectional formatting characters")
	}
	return nil
}
