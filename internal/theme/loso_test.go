package theme

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
)

// setNames name labelledSets in their order.
var setNames = []string{"labelled", "fresh", "third", "fourth", "fifth"}

// losoResult is the precision and recall per theme of leave-one-set-out:
// each labelled set scored by models trained on the other four.
type losoResult struct {
	pooled map[string]*score   // over all five sets
	perSet []map[string]*score // per held-out set
}

// leaveOneSetOut trains with s on every four of the five labelled sets and
// scores the fifth, all of its comments, as Match would with no tags.
func leaveOneSetOut(t testing.TB, s settings) losoResult {
	t.Helper()
	res := losoResult{pooled: map[string]*score{}}
	for i := range labelledSets {
		tax, err := Parse(strings.NewReader(shipped))
		if err != nil {
			t.Fatal(err)
		}
		var train []string
		for j, set := range labelledSets {
			if j != i {
				train = append(train, set)
			}
		}
		l := s.learn(tax, readExamples(train...))
		tax.learnOnce.Do(func() { tax.learned = l })
		per := map[string]*score{}
		for _, th := range tax.Themes {
			per[th.Code] = &score{}
			if res.pooled[th.Code] == nil {
				res.pooled[th.Code] = &score{}
			}
		}
		for _, e := range readExamples(labelledSets[i]) {
			got := tax.Match(e.comment, nil)
			for _, th := range tax.Themes {
				want, have := slices.Contains(e.themes, th.Code), slices.Contains(got, th.Code)
				for _, sc := range []*score{per[th.Code], res.pooled[th.Code]} {
					switch {
					case want && have:
						sc.tp++
					case have:
						sc.fp++
					case want:
						sc.fn++
					}
				}
			}
		}
		res.perSet = append(res.perSet, per)
	}
	return res
}

// summary is the mean over themes of min(precision, recall), pooled and
// on fifth.tsv alone.
func (r losoResult) summary() (pooled, fifth float64) {
	for code, s := range r.pooled {
		pooled += min(s.precision(), s.recall())
		f := r.perSet[4][code]
		fifth += min(f.precision(), f.recall())
	}
	n := float64(len(r.pooled))
	return pooled / n, fifth / n
}

func (r losoResult) log(t testing.TB) {
	t.Helper()
	head := fmt.Sprintf("%-20s %11s", "theme", "pooled P/R")
	for _, n := range setNames {
		head += fmt.Sprintf(" %11s", n)
	}
	t.Log(head)
	for _, th := range Default().Themes {
		s := r.pooled[th.Code]
		line := fmt.Sprintf("%-20s  %.2f %.2f", th.Code, s.precision(), s.recall())
		for _, per := range r.perSet {
			line += fmt.Sprintf("  %.2f %.2f", per[th.Code].precision(), per[th.Code].recall())
		}
		t.Log(line)
	}
	p, f := r.summary()
	t.Logf("mean over themes of min(P, R): pooled %.3f, fifth.tsv %.3f", p, f)
}

// TestLOSOExperiment prints leave-one-set-out for variations of the chosen
// settings; it runs only with HAOCHA_THEME_EXPERIMENT=1.
func TestLOSOExperiment(t *testing.T) {
	if os.Getenv("HAOCHA_THEME_EXPERIMENT") == "" {
		t.Skip("an experiment: set HAOCHA_THEME_EXPERIMENT=1")
	}
	for _, v := range []struct {
		name string
		edit func(*settings)
	}{
		{"chosen", func(s *settings) {}},
		{"drop denied", func(s *settings) { s.dropDenied = true }},
	} {
		s := chosen
		foldVariants = true
		v.edit(&s)
		r := leaveOneSetOut(t, s)
		p, f := r.summary()
		t.Logf("%-30s pooled %.3f fifth %.3f", v.name, p, f)
		if testing.Verbose() {
			r.log(t)
		}
	}
	foldVariants = true
}
