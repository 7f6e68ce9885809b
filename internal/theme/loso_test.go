package theme

import (
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
)

// setNames name labelledSets in their order.
var setNames = []string{"labelled", "fresh", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"}

// honest are the indices in labelledSets of the sets neither the phrase
// lists nor the concepts were written from: fifth.tsv to tenth.tsv, the
// last five measured once blind before they were trained on
// (theme_test.go keeps the figures).
var honest = []int{4, 5, 6, 7, 8, 9}

// losoResult is the precision and recall per theme of leave-one-set-out:
// each labelled set scored by models trained on the others.
type losoResult struct {
	pooled map[string]*score   // over all the sets
	perSet []map[string]*score // per held-out set
}

// leaveOneSetOut trains with s on every labelled set but one and scores
// that one, all of its comments, as Match would with no tags.
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
				// HAOCHA_THEME_ERRORS set to a theme's code prints its
				// held-out errors, to read against GUIDE.md.
				if want != have && os.Getenv("HAOCHA_THEME_ERRORS") == th.Code {
					t.Logf("%s: labelled %v, given %v: %s", setNames[i], e.themes, got, e.comment)
				}
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
// on each honest set alone.
func (r losoResult) summary() (pooled float64, sets []float64) {
	sets = make([]float64, len(honest))
	for code, s := range r.pooled {
		pooled += min(s.precision(), s.recall())
		for k, i := range honest {
			x := r.perSet[i][code]
			sets[k] += min(x.precision(), x.recall())
		}
	}
	n := float64(len(r.pooled))
	for k := range sets {
		sets[k] /= n
	}
	return pooled / n, sets
}

// summaryLine is summary in words.
func (r losoResult) summaryLine() string {
	p, sets := r.summary()
	line := fmt.Sprintf("pooled %.3f", p)
	for k, i := range honest {
		line += fmt.Sprintf(", %s %.3f", setNames[i], sets[k])
	}
	return line
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
		line := fmt.Sprintf("%-20s  %.3f %.3f", th.Code, s.precision(), s.recall())
		for _, per := range r.perSet {
			line += fmt.Sprintf("  %.2f %.2f", per[th.Code].precision(), per[th.Code].recall())
		}
		t.Log(line)
	}
	t.Logf("mean over themes of min(P, R): %s", r.summaryLine())
}

// TestLeaveOneSetOut is the claim of how far the matcher carries to
// wording it has never seen: each of the ten labelled sets scored, all
// its comments, by models trained on the other nine (their thresholds set
// by set-folds among those nine), per theme and pooled. It prints the table
// and holds each theme to the figures measured less 0.01 (training is
// deterministic: they move only when the data, the lists, the concepts or
// the model change).
//
// The phrase lists of themes.tsv were tuned on the first four sets, so
// their columns flatter the matcher; the honest sets' (fifth.tsv,
// sixth.tsv to tenth.tsv), which neither the lists nor the concepts
// were written from, are the ones to read.
func TestLeaveOneSetOut(t *testing.T) {
	if testing.Short() {
		t.Skip("trains ten times: not with -short")
	}
	r := leaveOneSetOut(t, chosen)
	r.log(t)
	met := make([]int, 1+len(honest))
	for code := range r.pooled {
		for k, sc := range r.columns(code) {
			if sc.precision() >= goal && sc.recall() >= goal {
				met[k]++
			}
		}
	}
	msg := fmt.Sprintf("the goal %.2f is met by %d of %d themes pooled", goal, met[0], len(r.pooled))
	for k, i := range honest {
		msg += fmt.Sprintf(", %d on %s.tsv", met[k+1], setNames[i])
	}
	t.Log(msg)
	for _, th := range Default().Themes {
		want, ok := losoFloors[th.Code]
		if !ok {
			t.Errorf("%s: no floor", th.Code)
			continue
		}
		got := make([]float64, 2*(1+len(honest)))
		for k, sc := range r.columns(th.Code) {
			got[2*k], got[2*k+1] = sc.precision(), sc.recall()
		}
		for i := range got {
			if got[i] < want[i]-0.01 {
				t.Errorf("%s: leave-one-set-out precision / recall (pooled, then %v) %.2f; want at least %.2f (less 0.01)", th.Code, setNames[4:], got, want)
				break
			}
		}
	}
	if t.Failed() {
		t.Log("the floors measured now:\n" + r.floors())
	}
}

// floors is the figures of r in the form of losoFloors, rounded down, for
// when a change is meant to move them.
func (r losoResult) floors() string {
	var b strings.Builder
	for _, th := range Default().Themes {
		fmt.Fprintf(&b, "\t%-22s {", fmt.Sprintf("%q:", th.Code))
		for k, sc := range r.columns(th.Code) {
			if k > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%.2f, %.2f", math.Floor(sc.precision()*100)/100, math.Floor(sc.recall()*100)/100)
		}
		b.WriteString("},\n")
	}
	return b.String()
}

// columns is a theme's scores pooled and on each honest set.
func (r losoResult) columns(code string) []*score {
	out := []*score{r.pooled[code]}
	for _, i := range honest {
		out = append(out, r.perSet[i][code])
	}
	return out
}

// losoFloors are the leave-one-set-out figures measured for the chosen
// settings: pooled precision, recall, then those of fifth.tsv, sixth.tsv,
// seventh.tsv, eighth.tsv, ninth.tsv and tenth.tsv.
var losoFloors = map[string][14]float64{
	"attitude":            {0.94, 0.92, 0.89, 0.94, 0.93, 0.98, 0.97, 0.93, 0.97, 0.86, 0.93, 0.93, 0.89, 0.92},
	"materials":           {0.92, 0.88, 0.91, 0.91, 0.93, 0.81, 0.85, 0.87, 0.87, 0.88, 0.91, 0.88, 0.95, 0.90},
	"multiple_trips":      {0.92, 0.92, 0.86, 0.86, 0.96, 0.90, 0.92, 0.96, 0.86, 0.90, 0.93, 0.94, 0.94, 0.92},
	"missed_deadline":     {0.94, 0.94, 0.91, 0.94, 0.90, 0.93, 0.92, 0.92, 0.95, 0.92, 0.93, 0.98, 0.95, 0.95},
	"queueing":            {0.92, 0.91, 0.92, 0.84, 0.84, 0.94, 0.95, 0.88, 0.94, 0.81, 0.92, 0.96, 0.89, 0.94},
	"system_failure":      {0.93, 0.91, 0.85, 0.86, 0.93, 0.90, 0.93, 0.93, 0.89, 0.92, 0.96, 0.93, 0.97, 0.91},
	"information_unclear": {0.86, 0.86, 0.84, 0.86, 0.92, 0.89, 0.84, 0.92, 0.87, 0.78, 0.82, 0.81, 0.82, 0.88},
	"fees":                {0.92, 0.93, 0.93, 0.90, 0.95, 0.94, 0.89, 0.93, 0.91, 0.93, 0.93, 0.92, 0.92, 0.95},
	"staff_competence":    {0.89, 0.91, 0.97, 0.85, 0.92, 0.91, 0.81, 0.95, 0.88, 0.87, 0.86, 0.91, 0.86, 0.93},
	"facilities":          {0.91, 0.93, 0.92, 0.88, 0.90, 0.97, 0.93, 0.97, 0.88, 0.95, 0.91, 0.90, 0.93, 0.95},
}

// TestLOSOExperiment prints leave-one-set-out for variations of the chosen
// settings, by which they were chosen (model.go lists the figures); it runs
// only with HAOCHA_THEME_EXPERIMENT=1 (every variation) or set to part of
// a variation's name (those only), as each trains ten times.
func TestLOSOExperiment(t *testing.T) {
	if os.Getenv("HAOCHA_THEME_EXPERIMENT") == "" {
		t.Skip("an experiment: set HAOCHA_THEME_EXPERIMENT=1")
	}
	shippedDenials := denials
	defer func() { foldVariants, denials = true, shippedDenials }()
	for _, v := range []struct {
		name string
		edit func(*settings)
	}{
		{"chosen", func(*settings) {}},
		{"as at 02cb54f", func(s *settings) {
			s.tilt = map[string]float64{"attitude": 0.05, "information_unclear": 0.05}
			s.clauseFor = nil
			denials = slices.DeleteFunc(slices.Clone(denials), func(d string) bool { return slices.Contains(newDenials, d) })
		}},
		{"without tilt", func(s *settings) { s.tilt = nil }},
		{"tilt 0.03 for every theme", func(s *settings) { s.tilt = tiltAll(0.03) }},
		{"tilt for attitude and information_unclear only", func(s *settings) {
			s.tilt = map[string]float64{"attitude": 0.05, "information_unclear": 0.05}
		}},
		{"without concepts", func(s *settings) { s.concepts = false }},
		{"without folding variants", func(*settings) { foldVariants = false }},
		{"posWeight 2", func(s *settings) { s.posWeight = 2 }},
		{"epochs 12", func(s *settings) { s.epochs = 12 }},
		{"dropPhrase 0.2", func(s *settings) { s.dropPhrase = 0.2 }},
		{"lambda 1e-4", func(s *settings) { s.lambda = 1e-4 }},
		{"tilt 0.08 for materials", tilts(0.08, 0.05, 0.05)},
		{"tilt 0.08 for system_failure", tilts(0.05, 0.08, 0.05)},
		{"tilt 0.08 for information_unclear", tilts(0.05, 0.05, 0.08)},
		{"clause 0.5 for information_unclear", func(s *settings) { s.clauseFor = nil }},
		{"tilt 0.05 for information_unclear", tilts(0.05, 0.05, 0.05)},
		{"tilt 0.02 for information_unclear", tilts(0.05, 0.05, 0.02)},
		{"tilt 0 for information_unclear", tilts(0.05, 0.05, 0)},
		{"clause 0.35 for information_unclear", func(s *settings) { s.clauseFor = map[string]float64{"information_unclear": 0.35} }},
		{"clause 0 for information_unclear", func(s *settings) { s.clauseFor = map[string]float64{"information_unclear": 0} }},
	} {
		if only := os.Getenv("HAOCHA_THEME_EXPERIMENT"); only != "1" && !strings.Contains(v.name, only) {
			continue
		}
		s := chosen
		foldVariants, denials = true, shippedDenials
		v.edit(&s)
		r := leaveOneSetOut(t, s)
		t.Logf("%-30s %s", v.name, r.summaryLine())
		if testing.Verbose() {
			r.log(t)
		}
	}
}

// newDenials are the denials added after commit 02cb54f.
var newDenials = []string{"没碰到", "没遇到", "没碰上", "没遇上"}

// tilts is a variation of tilts for materials, system_failure and
// information_unclear, attitude's as chosen.
func tilts(m, sys, info float64) func(*settings) {
	return func(s *settings) {
		s.tilt = map[string]float64{"attitude": 0.05, "materials": m, "system_failure": sys, "information_unclear": info}
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

// TestPhraseCounts prints, for each phrase of a theme's list and each
// concept of concepts.tsv, how many comments of the ten sets it is found
// in (in the clauses that count for the theme) with the theme and without:
// a phrase found in more comments without its theme than with it is a bad
// phrase. It runs only with HAOCHA_THEME_PHRASES set to a theme's code.
func TestPhraseCounts(t *testing.T) {
	code := os.Getenv("HAOCHA_THEME_PHRASES")
	if code == "" {
		t.Skip("a measurement: set HAOCHA_THEME_PHRASES to a theme's code")
	}
	th, ok := Default().Theme(code)
	if !ok {
		t.Fatalf("no theme %q", code)
	}
	exs := readExamples(labelledSets...)
	show := os.Getenv("HAOCHA_THEME_PHRASES_SHOW")
	count := func(phrases [][]term) (with, without int) {
		for _, e := range exs {
			// As the phrase feature reads a comment (model.go): the
			// clauses that count for the theme, together.
			if !anyPhrase(phrases, th.counted(splitClauses(e.comment))) {
				continue
			}
			has := slices.Contains(e.themes, code)
			if has {
				with++
			} else {
				without++
			}
			// HAOCHA_THEME_PHRASES_SHOW set to part of a phrase prints
			// the comments it wrongly finds, "+" and part those it rightly
			// finds.
			if part, right := strings.CutPrefix(show, "+"); show != "" && has == right && strings.Contains(phraseText(phrases[0]), part) {
				t.Logf("    %v %v %s", has, e.themes, e.comment)
			}
		}
		return with, without
	}
	for _, p := range th.phrases {
		with, without := count([][]term{p})
		mark := ""
		if without > with {
			mark = "  bad"
		}
		t.Logf("phrase  %-30s %4d %4d%s", phraseText(p), with, without, mark)
	}
	// An affirmed phrase is good when it is found in comments without the
	// theme, which it keeps from being given it.
	for _, p := range th.affirmed {
		with, without := 0, 0
		for _, e := range exs {
			if slices.ContainsFunc(splitClauses(e.comment), func(c string) bool { return anyPhrase([][]term{p}, c) }) {
				if slices.Contains(e.themes, code) {
					with++
					t.Logf("    affirmed with: %s", e.comment)
				} else {
					without++
				}
			}
		}
		t.Logf("affirmed %-29s %4d %4d", phraseText(p), with, without)
	}
	for _, c := range shippedConcepts {
		with, without := count(c.phrases)
		t.Logf("concept %-30s %4d %4d", c.name, with, without)
	}
}

// phraseText is a phrase in the syntax of themes.tsv.
func phraseText(p []term) string {
	var parts []string
	for _, tm := range p {
		s := strings.Join(tm.texts, "/")
		if tm.not {
			s = "!" + s
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "&")
}
