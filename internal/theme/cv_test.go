package theme

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// cvScores is the precision and recall per theme of l's out-of-fold
// decisions (5-fold cross-validation on the labelled sets, near-duplicates
// kept in one fold), over the examples for which keep says true.
func cvScores(tax *Taxonomy, l *learned, keep func(k int) bool) map[string]*score {
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

// fromFourth says whether the k-th training example is one of fourth.tsv's,
// the only comments the phrase lists (a feature of the models) were never
// tuned on, on which cross-validation is the fairer.
func fromFourth(k int) bool { return k >= firstOfFourth }

var firstOfFourth = len(readExamples(firstLabelled, secondLabelled, thirdLabelled))

// cvFloors are the cross-validated precision and recall each theme is held
// to, over all labelled comments and over fourth.tsv's: 0.02 under the
// smaller of the two for the chosen settings (training is deterministic, so
// the figures move only when the data, the lists or the model change), so
// that a change that loses ground is seen. Over all comments every theme
// reaches the goal of 0.85; over fourth.tsv's, information_unclear (0.75 /
// 0.74) and attitude (recall 0.81) do not.
var cvFloors = map[string]struct{ all, fourth float64 }{
	"attitude":            {0.89, 0.79},
	"materials":           {0.90, 0.86},
	"multiple_trips":      {0.91, 0.85},
	"missed_deadline":     {0.94, 0.91},
	"queueing":            {0.91, 0.85},
	"system_failure":      {0.92, 0.89},
	"information_unclear": {0.83, 0.72},
	"fees":                {0.93, 0.88},
	"staff_competence":    {0.89, 0.83},
	"facilities":          {0.90, 0.84},
}

// TestCrossValidation reports the 5-fold cross-validation figures by which
// the models' settings and thresholds were chosen, over all labelled
// comments of the four sets and over fourth.tsv's alone, and holds each
// theme to its floors. The folds keep near-duplicate comments together
// (foldsOf in model.go): each comment's out-of-fold score is by a model
// trained on none of its near-twins.
func TestCrossValidation(t *testing.T) {
	tax, err := Parse(strings.NewReader(shipped))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	l := tax.models()
	t.Logf("training: %v", time.Since(start))
	all := cvScores(tax, l, func(int) bool { return true })
	fourth := cvScores(tax, l, fromFourth)
	t.Logf("%-20s %9s %6s %6s %6s %6s", "theme", "threshold", "all P", "R", "4th P", "R")
	for _, th := range tax.Themes {
		a, h := all[th.Code], fourth[th.Code]
		if a == nil {
			continue
		}
		t.Logf("%-20s %9.2f %6.2f %6.2f %6.2f %6.2f", th.Code, l.models[th.Code].threshold, a.precision(), a.recall(), h.precision(), h.recall())
		f, ok := cvFloors[th.Code]
		if !ok {
			t.Errorf("%s: no floor", th.Code)
		}
		if a.precision() < f.all || a.recall() < f.all || h.precision() < f.fourth || h.recall() < f.fourth {
			t.Errorf("%s: cross-validated precision / recall %.2f / %.2f over all, %.2f / %.2f over fourth.tsv; want at least %.2f over all, %.2f over fourth.tsv", th.Code, a.precision(), a.recall(), h.precision(), h.recall(), f.all, f.fourth)
		}
	}
}

// TestTrainingIsDeterministic: two trainings on the same data give the same
// weights and thresholds, so a review's themes do not change from one start
// of the server to the next.
func TestTrainingIsDeterministic(t *testing.T) {
	a, b := Default().models(), chosen.learn(Default(), trainingSet)
	for code, m := range a.models {
		if !slices.Equal(m.w, b.models[code].w) || m.bias != b.models[code].bias || m.threshold != b.models[code].threshold {
			t.Errorf("%s: two trainings differ", code)
		}
	}
}

// TestExplain: each theme given says why, by its tag, its phrases or the
// grams of the comment that weighed most, and the grams are in the comment.
func TestExplain(t *testing.T) {
	tax := Default()
	comment := "窗口工作人员一直玩手机，排队排了两个小时"
	reasons := tax.Explain(comment, []string{"materials"})
	// A quoted clerk's words are attitude by the grams of the quotation
	// mark, shown as the mark itself.
	quoted := tax.Explain("她说“你自己看”", nil)
	if len(quoted) != 1 || quoted[0].Theme != "attitude" || !slices.ContainsFunc(quoted[0].Grams, func(g string) bool { return strings.Contains(g, "“") }) {
		t.Errorf("Explain(她说“你自己看”) = %+v, want attitude by grams with “", quoted)
	}
	for _, r := range quoted {
		for _, g := range r.Grams {
			if strings.ContainsRune(g, quoteMark) {
				t.Errorf("gram %q holds the inner quotation mark", g)
			}
		}
	}
	var codes []string
	for _, r := range reasons {
		codes = append(codes, r.Theme)
		if r.Tag == "" && !r.Phrase && len(r.Grams) == 0 {
			t.Errorf("%s: given with no reason", r.Theme)
		}
		for _, g := range r.Grams {
			if !strings.Contains(normalize(comment), g) {
				t.Errorf("%s: gram %q is not in the comment", r.Theme, g)
			}
		}
	}
	if want := tax.Match(comment, []string{"materials"}); !slices.Equal(codes, want) {
		t.Errorf("Explain gives %v, Match %v", codes, want)
	}
	if !slices.Contains(codes, "attitude") || !slices.Contains(codes, "queueing") || !slices.Contains(codes, "materials") {
		t.Errorf("Explain(%q) = %v, want attitude, materials (its tag) and queueing", comment, codes)
	}
}

// TestPhraseOnlyTheme: a theme the General Office adds to themes.tsv with
// phrases and no labelled comments has no model and is found by its
// phrases, with its denials, while the other themes keep theirs.
func TestPhraseOnlyTheme(t *testing.T) {
	tax, err := Parse(strings.NewReader(shipped + "privacy\t隐私\tPrivacy\t-\t隐私|泄露\t隐私\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := tax.models().models["privacy"]; ok {
		t.Fatal("a theme with no labelled comments got a model")
	}
	if got := tax.Match("我的个人信息被泄露了，排队排了两个小时", nil); !slices.Equal(got, []string{"queueing", "privacy"}) {
		t.Errorf("Match = %v, want [queueing privacy]", got)
	}
	if got := tax.Match("隐私保护得挺好，就是排队排了两个小时", nil); !slices.Equal(got, []string{"queueing"}) {
		t.Errorf("Match = %v, want [queueing]", got)
	}
	if r := tax.Explain("隐私被泄露", nil); len(r) != 1 || r[0].Theme != "privacy" || !r[0].Phrase {
		t.Errorf("Explain = %+v, want privacy by its phrases", r)
	}
}
