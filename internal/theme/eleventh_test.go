package theme

import "testing"

// eleventhSet was written by another engineer blind to the matcher (its
// header says what they read) while the matcher was changed by
// leave-one-set-out on the ten sets above, relabelled to GUIDE.md's
// decisions 6 and 7; it was merged after that matcher was frozen (commit
// 5bc52c1) and its "holdout" half measured once, by
// TestThemesOnTheEleventhSet. Neither half is trained or tuned on.
const eleventhSet = "testdata/eleventh.tsv"

// eleventhMeasured is precision and recall per theme on eleventh.tsv's
// kept-apart half with the matcher of commit 5bc52c1, measured once
// (tp, fp, fn in the comments), 598 comments. Every theme met the goal,
// information_unclear for the first time on a blind set (0.928 / 0.889;
// 0.797 / 0.881 on the tenth set, 0.800 / 0.774 on the ninth).
var eleventhMeasured = map[string][2]float64{
	"attitude":            {0.960, 0.947}, // 72, 3, 4
	"materials":           {0.890, 0.956}, // 65, 8, 3
	"multiple_trips":      {0.925, 0.954}, // 62, 5, 3
	"missed_deadline":     {0.925, 0.939}, // 62, 5, 4
	"queueing":            {0.893, 0.971}, // 67, 8, 2
	"system_failure":      {0.915, 0.970}, // 65, 6, 2
	"information_unclear": {0.928, 0.889}, // 64, 5, 8
	"fees":                {0.939, 0.954}, // 62, 4, 3
	"staff_competence":    {0.917, 0.917}, // 66, 6, 6
	"facilities":          {0.953, 0.953}, // 61, 3, 3
}

// TestThemesOnTheEleventhSet prints precision and recall per theme on the
// kept-apart half of the eleventh set, and holds each to the goal where it
// was met and to the measured figure less 0.01 where not, so a change that
// loses ground on blind text is seen.
func TestThemesOnTheEleventhSet(t *testing.T) {
	scores, misses := measure(t, eleventhSet, "holdout")
	for _, th := range Default().Themes {
		s, m := scores[th.Code], eleventhMeasured[th.Code]
		t.Logf("%-20s %.3f / %.3f  (%d, %d, %d)", th.Code, s.precision(), s.recall(), s.tp, s.fp, s.fn)
		if s.precision() < min(goal, m[0]-0.01) || s.recall() < min(goal, m[1]-0.01) {
			t.Errorf("%s: precision %.2f, recall %.2f on the eleventh set's kept-apart half; want at least %.2f, %.2f", th.Code, s.precision(), s.recall(), min(goal, m[0]-0.01), min(goal, m[1]-0.01))
		}
	}
	if t.Failed() {
		for _, m := range misses {
			t.Log(m)
		}
	}
}
