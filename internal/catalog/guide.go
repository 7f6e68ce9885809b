package catalog

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Guide is an item's service guide (办事指南) in one language: what the
// citizen must bring and meet, how long it takes, what it costs, and
// where and when it is done.
type Guide struct {
	Item       string   `json:"item"`
	Lang       string   `json:"lang"` // "zh" or "en"
	Materials  []string `json:"materials,omitempty"`
	Conditions string   `json:"conditions,omitempty"`
	TimeLimit  string   `json:"time_limit,omitempty"`
	Fees       string   `json:"fees,omitempty"`
	Place      string   `json:"place,omitempty"`
	Hours      string   `json:"hours,omitempty"`
}

// Empty reports whether the guide says nothing.
func (g Guide) Empty() bool {
	return len(g.Materials) == 0 && g.Conditions == "" && g.TimeLimit == "" && g.Fees == "" && g.Place == "" && g.Hours == ""
}

// Bounds of a guide's texts, in characters: a guide is read on a phone.
const (
	MaxMaterials     = 30  // materials in a list
	MaxMaterialLen   = 200 // one material
	MaxConditionsLen = 2000
	MaxTimeLimitLen  = 100
	MaxFeesLen       = 500
	MaxPlaceLen      = 500
	MaxHoursLen      = 200
)

// Guide languages.
var guideLangs = []string{"zh", "en"}

// PickGuide picks the guide in lang from guides, else the Chinese one: the
// catalogue is Chinese first.
func PickGuide(guides []Guide, lang string) (Guide, bool) {
	var zh *Guide
	for i, g := range guides {
		if g.Lang == lang {
			return g, true
		}
		if g.Lang == "zh" {
			zh = &guides[i]
		}
	}
	if zh != nil {
		return *zh, true
	}
	return Guide{}, false
}

// splitMaterials reads a list written one material a line.
func splitMaterials(text string) []string {
	var out []string
	for _, m := range strings.Split(text, "\n") {
		if m = strings.TrimSpace(m); m != "" {
			out = append(out, m)
		}
	}
	return out
}

// checkText returns what is wrong with a guide's text, or "": too long,
// or a control character (a line break only where multiline allows).
func checkText(s string, max int, multiline bool) string {
	if n := utf8.RuneCountInString(s); n > max {
		return fmt.Sprintf("at most %d characters, got %d", max, n)
	}
	if strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) && !(multiline && r == '\n') }) {
		return "control characters are not allowed"
	}
	return ""
}
