package theme

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
)

// setNames name labelledSets in their order.
var setNames = []string{"labelled", "fresh", "third", "fourth", "fifth", "sixth"}

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
// on fifth.tsv and sixth.tsv alone.
func (r losoResult) summary() (pooled, fifth, sixth float64) {
	for code, s := range r.pooled {
		pooled += min(s.precision(), s.recall())
		f := r.perSet[4][code]
		fifth += min(f.precision(), f.recall())
		x := r.perSet[5][code]
		sixth += min(x.precision(), x.recall())
	}
	n := float64(len(r.pooled))
	return pooled / n, fifth / n, sixth / n
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
	p, f, x := r.summary()
	t.Logf("mean over themes of min(P, R): pooled %.3f, fifth.tsv %.3f, sixth.tsv %.3f", p, f, x)
}

// TestLeaveOneSetOut is the claim of how far the matcher carries to
// wording it has never seen: each of the six labelled sets scored, all its
// comments, by models trained on the other five (their thresholds set by
// set-folds among those five), per theme and pooled. It prints the table
// and holds each theme to the figures measured less 0.01 (training is
// deterministic: they move only when the data, the lists, the concepts or
// the model change).
//
// The phrase lists of themes.tsv were tuned on the first four sets, so
// their columns flatter the matcher; fifth.tsv's and sixth.tsv's, sets
// neither the lists nor the concepts were written from, are the honest
// ones (sixth.tsv was measured once blind; theme_test.go keeps the
// figures).
func TestLeaveOneSetOut(t *testing.T) {
	if testing.Short() {
		t.Skip("trains six times: not with -short")
	}
	r := leaveOneSetOut(t, chosen)
	r.log(t)
	met := [3]int{}
	for code, s := range r.pooled {
		for k, sc := range []*score{s, r.perSet[4][code], r.perSet[5][code]} {
			if sc.precision() >= goal && sc.recall() >= goal {
				met[k]++
			}
		}
	}
	t.Logf("the goal %.2f is met by %d of %d themes pooled, %d on fifth.tsv, %d on sixth.tsv", goal, met[0], len(r.pooled), met[1], met[2])
	for _, th := range Default().Themes {
		s, f, x := r.pooled[th.Code], r.perSet[4][th.Code], r.perSet[5][th.Code]
		want, ok := losoFloors[th.Code]
		if !ok {
			t.Errorf("%s: no floor", th.Code)
			continue
		}
		got := [6]float64{s.precision(), s.recall(), f.precision(), f.recall(), x.precision(), x.recall()}
		for i := range got {
			if got[i] < want[i]-0.01 {
				t.Errorf("%s: leave-one-set-out precision / recall %.2f / %.2f pooled, %.2f / %.2f on fifth.tsv, %.2f / %.2f on sixth.tsv; want at least %.2f / %.2f, %.2f / %.2f, %.2f / %.2f (less 0.01)",
					th.Code, got[0], got[1], got[2], got[3], got[4], got[5], want[0], want[1], want[2], want[3], want[4], want[5])
				break
			}
		}
	}
}

// losoFloors are the leave-one-set-out figures measured for the chosen
// settings: pooled precision, recall, then fifth.tsv's, then sixth.tsv's.
var losoFloors = map[string][6]float64{
	"attitude":            {0.88, 0.90, 0.80, 0.85, 0.90, 0.98},
	"materials":           {0.89, 0.92, 0.87, 0.91, 0.88, 0.88},
	"multiple_trips":      {0.89, 0.91, 0.82, 0.86, 0.88, 0.91},
	"missed_deadline":     {0.92, 0.94, 0.93, 0.93, 0.87, 0.92},
	"queueing":            {0.90, 0.92, 0.92, 0.84, 0.80, 0.94},
	"system_failure":      {0.90, 0.92, 0.84, 0.88, 0.95, 0.90},
	"information_unclear": {0.83, 0.85, 0.76, 0.84, 0.83, 0.85},
	"fees":                {0.93, 0.95, 0.92, 0.89, 0.93, 0.98},
	"staff_competence":    {0.88, 0.89, 0.94, 0.80, 0.87, 0.92},
	"facilities":          {0.91, 0.93, 0.91, 0.88, 0.92, 0.95},
}

// TestLOSOExperiment prints leave-one-set-out for variations of the chosen
// settings, by which they were chosen (model.go lists the figures); it runs
// only with HAOCHA_THEME_EXPERIMENT=1, as it trains 25 times or more.
func TestLOSOExperiment(t *testing.T) {
	if os.Getenv("HAOCHA_THEME_EXPERIMENT") == "" {
		t.Skip("an experiment: set HAOCHA_THEME_EXPERIMENT=1")
	}
	defer func() { foldVariants = true }()
	for _, v := range []struct {
		name string
		edit func(*settings)
	}{
		{"chosen", func(*settings) {}},
		{"without tilt", func(s *settings) { s.tilt = nil }},
		{"tilt 0.03 for every theme", func(s *settings) { s.tilt = tiltAll(0.03) }},
		{"tilt 0.05 for materials too", func(s *settings) {
			s.tilt = map[string]float64{"attitude": 0.05, "information_unclear": 0.05, "materials": 0.05}
		}},
		{"without concepts", func(s *settings) { s.concepts = false }},
		{"without folding variants", func(*settings) { foldVariants = false }},
		{"posWeight 2", func(s *settings) { s.posWeight = 2 }},
		{"epochs 12", func(s *settings) { s.epochs = 12 }},
		{"dropPhrase 0.2", func(s *settings) { s.dropPhrase = 0.2 }},
		{"lambda 1e-4", func(s *settings) { s.lambda = 1e-4 }},
	} {
		s := chosen
		foldVariants = true
		v.edit(&s)
		r := leaveOneSetOut(t, s)
		p, f, x := r.summary()
		t.Logf("%-30s pooled %.3f fifth %.3f sixth %.3f", v.name, p, f, x)
		if testing.Verbose() {
			r.log(t)
		}
	}
}

// tiltAll is a tilt of t for every theme.
func tiltAll(t float64) map[string]float64 {
	out := map[string]float64{}
	for _, th := range Default().Themes {
		out[th.Code] = t
	}
	return out
}
