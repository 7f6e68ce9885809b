// Package theme finds the complaint themes (差评主题) of bad reviews: where
// bad reviews concentrate (window attitude, materials asked for, repeated
// trips, promised times not kept, queueing, ...), so that the General
// Office's reports can say what went wrong, not only how often.
//
// A review's themes come from its tags, which name four of them outright,
// and from its comment, by phrases held as data (themes.tsv). Phrase matching
// rather than a word segmenter or a trained model: a segmenter only splits
// words and would still need the same lists of words per theme (and the
// pure-Go one, github.com/go-ego/gse, is not among the modules this project
// may use; gojieba, which is, wraps C++ through cgo), and a model over
// character n-grams trained on some 850 labelled comments would give themes
// no one can explain. A list the General Office can read and extend says why
// each theme was given. It runs in the process, with no network service.
//
// How well it does is measured in theme_test.go on a half of a labelled set
// the lists were never tuned on (testdata/fresh.tsv): seven themes reach the
// goal of 0.85 precision and recall, three fall short (see the test).
package theme

import (
	"bufio"
	"cmp"
	_ "embed"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"
)

// Theme is one complaint theme.
type Theme struct {
	Code   string
	NameZH string
	NameEN string
	// Tag is the review tag that names the theme outright; empty if none.
	Tag     string
	phrases [][]term
}

// Name is the theme's name in lang ("en" or Chinese otherwise).
func (t Theme) Name(lang string) string {
	if lang == "en" {
		return t.NameEN
	}
	return t.NameZH
}

type term struct {
	text string
	not  bool
}

// Taxonomy is the list of themes, in the order reports list them.
type Taxonomy struct {
	Themes []Theme
}

//go:embed themes.tsv
var shipped string

var defaultTaxonomy = func() *Taxonomy {
	t, err := Parse(strings.NewReader(shipped))
	if err != nil {
		panic("theme: the shipped themes.tsv: " + err.Error())
	}
	return t
}()

// Default is the shipped taxonomy.
func Default() *Taxonomy { return defaultTaxonomy }

// Parse reads a taxonomy in the form of themes.tsv: lines of code, Chinese
// name, English name, tag ("-" for none) and phrases, tab-separated, after
// a header line; lines starting with "#" are comments.
func Parse(r io.Reader) (*Taxonomy, error) {
	t := &Taxonomy{}
	sc := bufio.NewScanner(r)
	line, header := 0, false
	for sc.Scan() {
		line++
		s := strings.TrimRight(sc.Text(), "\r")
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		if !header {
			header = true
			continue
		}
		f := strings.Split(s, "\t")
		if len(f) != 5 {
			return nil, fmt.Errorf("line %d: want 5 tab-separated fields, got %d", line, len(f))
		}
		th := Theme{Code: f[0], NameZH: f[1], NameEN: f[2]}
		if th.Code == "" || th.NameZH == "" || th.NameEN == "" {
			return nil, fmt.Errorf("line %d: code and both names are required", line)
		}
		if slices.ContainsFunc(t.Themes, func(o Theme) bool { return o.Code == th.Code }) {
			return nil, fmt.Errorf("line %d: theme %q twice", line, th.Code)
		}
		if f[3] != "-" {
			th.Tag = f[3]
		}
		for _, p := range strings.Split(f[4], "|") {
			var phrase []term
			for _, x := range strings.Split(p, "&") {
				tm := term{text: x}
				if tm.text, tm.not = strings.CutPrefix(x, "!"); true {
					tm.text = normalize(tm.text)
				}
				if tm.text == "" {
					return nil, fmt.Errorf("line %d: theme %s: an empty term in phrase %q", line, th.Code, p)
				}
				phrase = append(phrase, tm)
			}
			if !slices.ContainsFunc(phrase, func(tm term) bool { return !tm.not }) {
				return nil, fmt.Errorf("line %d: theme %s: phrase %q has only negative terms", line, th.Code, p)
			}
			th.phrases = append(th.phrases, phrase)
		}
		t.Themes = append(t.Themes, th)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(t.Themes) == 0 {
		return nil, fmt.Errorf("no themes")
	}
	return t, nil
}

// Match returns the codes of the themes of a bad review with this comment
// and these tags, in the taxonomy's order.
func (t *Taxonomy) Match(comment string, tags []string) []string {
	c := normalize(comment)
	var codes []string
	for _, th := range t.Themes {
		if (th.Tag != "" && slices.Contains(tags, th.Tag)) || th.matches(c) {
			codes = append(codes, th.Code)
		}
	}
	return codes
}

// Theme returns the theme with this code.
func (t *Taxonomy) Theme(code string) (Theme, bool) {
	i := slices.IndexFunc(t.Themes, func(th Theme) bool { return th.Code == code })
	if i < 0 {
		return Theme{}, false
	}
	return t.Themes[i], true
}

func (th Theme) matches(c string) bool {
	for _, p := range th.phrases {
		ok := true
		for _, tm := range p {
			if strings.Contains(c, tm.text) == tm.not {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// normalize lowers Latin letters, turns full-width forms into their ASCII
// twins and drops spaces and punctuation, so that "Wi-Fi" and "ＷＩＦＩ"
// meet "wifi".
func normalize(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 0xFF01 && r <= 0xFF5E {
			r -= 0xFEE0
		}
		if unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// OfReview is the themes of a review with these stars, comment and tags:
// none unless it is a bad review (1 or 2 stars), never nil.
func (t *Taxonomy) OfReview(stars int, comment string, tags []string) []string {
	if stars > 2 {
		return []string{}
	}
	if codes := t.Match(comment, tags); codes != nil {
		return codes
	}
	return []string{}
}

// Count is a theme and how many bad reviews it was found in.
type Count struct {
	Theme Theme
	N     int64
}

// Rank orders the themes of counts (theme code → bad reviews) by count,
// most first, ties in the taxonomy's order, leaving out themes counted
// zero and codes the taxonomy lacks.
func (t *Taxonomy) Rank(counts map[string]int64) []Count {
	var out []Count
	for _, th := range t.Themes {
		if n := counts[th.Code]; n > 0 {
			out = append(out, Count{Theme: th, N: n})
		}
	}
	slices.SortStableFunc(out, func(a, b Count) int { return cmp.Compare(b.N, a.N) })
	return out
}
