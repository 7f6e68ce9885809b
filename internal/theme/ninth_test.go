package theme

import "testing"

// ninthSet was written by another engineer blind to the matcher (its
// header says what they read) while the matcher was changed by
// leave-one-set-out on the eight sets above, relabelled to GUIDE.md's
// decisions; it was merged after that matcher was frozen (commit fa5d676)
// and its "holdout" half measured once, by TestThemesOnTheNinthSet.
// Neither half is trained or tuned on.
const ninthSet = "testdata/ninth.tsv"

// ninthMeasured is precision and recall per theme on ninth.tsv's
// kept-apart half with the matcher of commit fa5d676, measured once
// (tp, fp, fn in the comments), 573 comments. Nine themes met the goal;
// information_unclear fell short in both, as on every blind set before.
var ninthMeasured = map[string][2]float64{
	"attitude":            {0.966, 0.889}, // 56, 2, 7
	"materials":           {0.881, 0.894}, // 59, 8, 7
	"multiple_trips":      {0.886, 0.912}, // 62, 8, 6
	"missed_deadline":     {0.904, 0.985}, // 66, 7, 1
	"queueing":            {0.938, 0.952}, // 60, 4, 3
	"system_failure":      {1.000, 0.934}, // 71, 0, 5
	"information_unclear": {0.800, 0.774}, // 48, 12, 14
	"fees":                {0.948, 0.902}, // 55, 3, 6
	"staff_competence":    {0.900, 0.887}, // 63, 7, 8
	"facilities":          {0.879, 0.935}, // 58, 8, 4
}

// TestThemesOnTheNinthSet prints precision and recall per theme on the
// kept-apart half of the ninth set, and holds each to the goal where it
// was met and to the measured figure less 0.01 where not, so a change that
// loses ground on blind text is seen.
func TestThemesOnTheNinthSet(t *testing.T) {
	scores, misses := measure(t, ninthSet, "holdout")
	for _, th := range Default().Themes {
		s, m := scores[th.Code], ninthMeasured[th.Code]
		t.Logf("%-20s %.3f / %.3f  (%d, %d, %d)", th.Code, s.precision(), s.recall(), s.tp, s.fp, s.fn)
		if s.precision() < min(goal, m[0]-0.01) || s.recall() < min(goal, m[1]-0.01) {
			t.Errorf("%s: precision %.2f, recall %.2f on the ninth set's kept-apart half; want at least %.2f, %.2f", th.Code, s.precision(), s.recall(), min(goal, m[0]-0.01), min(goal, m[1]-0.01))
		}
	}
	if t.Failed() {
		for _, m := range misses {
			t.Log(m)
		}
	}
}
