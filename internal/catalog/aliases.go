package catalog

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// Citizens search by the words they use (社保, ID card, sb) and the
// catalogue names items officially (社会保障卡申领, Resident identity card):
// the synonyms between the two, in both languages, are data, kept beside
// the code and read once.
//
//go:embed data/aliases.tsv
var aliasesTSV string

// aliases maps a lower-cased word typed to the catalogue's words.
var aliases = mustParseAliases(aliasesTSV)

// maxTerms bounds the words one search expands to: each is a LIKE clause.
const maxTerms = 12

func mustParseAliases(text string) map[string][]string {
	m, err := parseAliases(text)
	if err != nil {
		panic(err)
	}
	return m
}

func parseAliases(text string) (map[string][]string, error) {
	m := map[string][]string{}
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, "\r")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Split(line, "\t")
		key := strings.ToLower(strings.TrimSpace(fields[0]))
		var words []string
		for _, w := range fields[1:] {
			if w = strings.TrimSpace(w); w != "" {
				words = append(words, w)
			}
		}
		if key == "" || len(words) == 0 {
			return nil, fmt.Errorf("aliases line %d: want a word, a tab and the words it finds, tab-separated", i+1)
		}
		if _, dup := m[key]; dup {
			return nil, fmt.Errorf("aliases line %d: %q repeats", i+1, key)
		}
		m[key] = words
	}
	return m, nil
}

// SearchTerms returns the words a search for q looks for: q itself, then
// what its aliases name, and theirs one step further, at most maxTerms.
func SearchTerms(q string) []string {
	q = strings.TrimSpace(q)
	if q == "" {
		return nil
	}
	terms := []string{q}
	add := func(words []string) {
		for _, w := range words {
			if len(terms) < maxTerms && !slices.Contains(terms, w) {
				terms = append(terms, w)
			}
		}
	}
	first := aliases[strings.ToLower(q)]
	add(first)
	for _, w := range first {
		add(aliases[strings.ToLower(w)])
	}
	return terms
}

// AliasesOf returns the words typed that find a record named name (in
// either language), sorted: the rating page gives them to its script,
// which filters the item list as the citizen types.
func AliasesOf(names ...string) []string {
	var out []string
	for key := range aliases {
		if slices.ContainsFunc(SearchTerms(key)[1:], func(term string) bool { return holds(names, term) }) {
			out = append(out, key)
		}
	}
	slices.Sort(out)
	return out
}

// Matches reports whether a record named names is found by a search for
// q: what the home page asks of each unit.
func Matches(q string, names ...string) bool {
	return slices.ContainsFunc(SearchTerms(q), func(term string) bool { return holds(names, term) })
}

// holds reports whether one of names holds term, without case: a
// Chinese term anywhere, a Latin one at the start of a word, so that
// "id card" does not find "prepaid card".
func holds(names []string, term string) bool {
	t := strings.ToLower(term)
	return slices.ContainsFunc(names, func(n string) bool {
		n = strings.ToLower(n)
		if HasHan(t) {
			return strings.Contains(n, t)
		}
		return strings.HasPrefix(n, t) || strings.Contains(n, " "+t)
	})
}

// HasHan reports whether s holds a Chinese character: such a search word
// is found anywhere in a name, as Chinese has no spaces between words.
func HasHan(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) })
}
