package theme

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// cvScores is the precision and recall per theme of the models'
// out-of-fold decisions (5-fold cross-validation on the labelled sets),
// over the examples for which keep says true.
func cvScores(tax *Taxonomy, keep func(k int) bool) map[string]*score {
	l := tax.models()
	out := map[string]*score{}
	for i := range tax.Themes {
		th := &tax.Themes[i]
		m, ok := l.models[th.Code]
		if !ok {
			continue
		}
		s := &score{}
		for k, e := range l.examples {
			if !keep(k) {
				continue
			}
			have := l.oof[th.Code][k] >= m.threshold
			if phraseOr && !have {
				have = th.matches(th.counted(splitClauses(e.comment)))
			}
			want := slices.Contains(e.themes, th.Code)
			switch {
			case want && have:
				s.tp++
			case have:
				s.fp++
			case want:
				s.fn++
			}
		}
		out[th.Code] = s
	}
	return out
}

// TestCrossValidation reports the 5-fold cross-validation figures by which
// the models' settings and thresholds were chosen: over all labelled
// comments, and over third.tsv's once kept-apart half alone, the only
// comments the phrase lists (a feature of the models) were not tuned on.
func TestCrossValidation(t *testing.T) {
	tax, err := Parse(stringsReader(shipped))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	tax.models()
	t.Logf("training: %v", time.Since(start))
	n1 := len(readExamples(firstLabelled, secondLabelled))
	third := readExamples(thirdLabelled)
	all := cvScores(tax, func(int) bool { return true })
	kept := cvScores(tax, func(k int) bool { return k >= n1 && heldOut(third[k-n1].comment) })
	t.Logf("%-20s %9s %9s %6s %6s", "theme", "threshold", "all P/R", "", "third holdout P/R")
	minAll := 1.0
	for _, th := range tax.Themes {
		a, h := all[th.Code], kept[th.Code]
		if a == nil {
			continue
		}
		t.Logf("%-20s %9.2f %9.2f %6.2f %6.2f %6.2f", th.Code, tax.models().models[th.Code].threshold, a.precision(), a.recall(), h.precision(), h.recall())
		minAll = min(minAll, a.precision(), a.recall())
	}
	t.Logf("lowest: %.3f", minAll)
}

func stringsReader(s string) *strings.Reader { return strings.NewReader(s) }
