package theme

import "testing"

// tenthSet was written by another engineer blind to the matcher (its
// header says what they read) while the matcher was changed by
// leave-one-set-out on the nine sets above; it was merged after that
// matcher was frozen (commit 6b2a0f9) and its "holdout" half measured
// once, by TestThemesOnTheTenthSet. Neither half is trained or tuned on.
const tenthSet = "testdata/tenth.tsv"

// tenthMeasured is precision and recall per theme on tenth.tsv's
// kept-apart half with the matcher of commit 6b2a0f9, measured once
// (tp, fp, fn in the comments), 577 comments. Nine themes met the goal
// (up from seven on the eighth set's and nine on the ninth's, with the
// matchers of their day); information_unclear met it in recall (0.881, up
// from 0.774) and fell short in precision, as on every blind set.
var tenthMeasured = map[string][2]float64{
	"attitude":            {0.932, 0.944}, // 68, 5, 4
	"materials":           {0.951, 0.879}, // 58, 3, 8
	"multiple_trips":      {0.952, 0.908}, // 59, 3, 6
	"missed_deadline":     {0.985, 0.955}, // 64, 1, 3
	"queueing":            {0.952, 0.952}, // 60, 3, 3
	"system_failure":      {0.970, 0.970}, // 64, 2, 2
	"information_unclear": {0.797, 0.881}, // 59, 15, 8
	"fees":                {0.952, 0.968}, // 60, 3, 2
	"staff_competence":    {0.886, 0.954}, // 62, 8, 3
	"facilities":          {0.953, 0.953}, // 61, 3, 3
}

// TestThemesOnTheTenthSet prints precision and recall per theme on the
// kept-apart half of the tenth set, and holds each to the goal where it
// was met and to the measured figure less 0.01 where not, so a change that
// loses ground on blind text is seen.
func TestThemesOnTheTenthSet(t *testing.T) {
	scores, misses := measure(t, tenthSet, "holdout")
	for _, th := range Default().Themes {
		s, m := scores[th.Code], tenthMeasured[th.Code]
		t.Logf("%-20s %.3f / %.3f  (%d, %d, %d)", th.Code, s.precision(), s.recall(), s.tp, s.fp, s.fn)
		if s.precision() < min(goal, m[0]-0.01) || s.recall() < min(goal, m[1]-0.01) {
			t.Errorf("%s: precision %.2f, recall %.2f on the tenth set's kept-apart half; want at least %.2f, %.2f", th.Code, s.precision(), s.recall(), min(goal, m[0]-0.01), min(goal, m[1]-0.01))
		}
	}
	if t.Failed() {
		for _, m := range misses {
			t.Log(m)
		}
	}
}
