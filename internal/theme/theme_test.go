package theme

import (
	"bufio"
	"fmt"
	"hash/fnv"
	"os"
	"slices"
	"strings"
	"testing"
)

type labelled struct {
	file, split, comment string
	themes               []string
}

// The labelled sets, all splits of which the models are trained on
// (model.go embeds each by name).
const (
	firstSet  = "testdata/labelled.tsv"
	secondSet = "testdata/fresh.tsv"
	// thirdSet was written after fresh.tsv's kept-apart half had been
	// measured and read; its split is fixed by the same rule.
	thirdSet = "testdata/third.tsv"
	// fourthSet was written by another engineer blind to the matcher, and
	// merged only after the matcher was final (commit 7db5f36); its
	// "holdout" half was measured once (the figures are kept below), and
	// both halves have been trained on since.
	fourthSet = "testdata/fourth.tsv"
)

func readLabelled(t *testing.T, name string) []labelled {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []labelled
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		s := sc.Text()
		if s == "" || strings.HasPrefix(s, "#") || strings.HasPrefix(s, "split\t") {
			continue
		}
		f := strings.Split(s, "\t")
		if len(f) != 3 {
			t.Fatalf("%s: %q", name, s)
		}
		l := labelled{file: name, split: f[0], comment: f[2]}
		if f[1] != "" {
			l.themes = strings.Split(f[1], ",")
		}
		out = append(out, l)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

type score struct{ tp, fp, fn int }

func (s score) precision() float64 { return ratio(s.tp, s.tp+s.fp) }
func (s score) recall() float64    { return ratio(s.tp, s.tp+s.fn) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// measure scores the shipped taxonomy on the comments of one split of a
// labelled set ("" for all of it).
func measure(t *testing.T, name, split string) (map[string]*score, []string) {
	tax := Default()
	scores := map[string]*score{}
	for _, th := range tax.Themes {
		scores[th.Code] = &score{}
	}
	var misses []string
	n := 0
	for _, l := range readLabelled(t, name) {
		if split != "" && l.split != split {
			continue
		}
		n++
		for _, code := range l.themes {
			if _, ok := tax.Theme(code); !ok {
				t.Fatalf("%s names theme %q, which the taxonomy lacks", name, code)
			}
		}
		got := tax.Match(l.comment, nil)
		for _, th := range tax.Themes {
			want, have := slices.Contains(l.themes, th.Code), slices.Contains(got, th.Code)
			switch {
			case want && have:
				scores[th.Code].tp++
			case have:
				scores[th.Code].fp++
				misses = append(misses, fmt.Sprintf("%s %s: wrongly %s: %s", name, l.split, th.Code, l.comment))
			case want:
				scores[th.Code].fn++
				misses = append(misses, fmt.Sprintf("%s %s: missed %s: %s", name, l.split, th.Code, l.comment))
			}
		}
	}
	if n < 150 {
		t.Fatalf("%s %s holds %d comments, want at least 150", name, split, n)
	}
	return scores, misses
}

// heldOut is the rule that puts a comment of fresh.tsv, third.tsv or
// fourth.tsv in the
// half that is only measured, never tuned on.
func heldOut(comment string) bool {
	h := fnv.New32a()
	h.Write([]byte(comment))
	return h.Sum32()%2 == 1
}

// TestSplitKeepsItsRule: every comment of fresh.tsv, third.tsv and
// fourth.tsv is in the half its hash puts it in, so no comment moves between
// the halves after the fact.
func TestSplitKeepsItsRule(t *testing.T) {
	for _, set := range []string{secondSet, thirdSet, fourthSet, fifthSet, sixthSet, seventhSet, eighthSet, ninthSet, tenthSet, eleventhSet} {
		for _, l := range readLabelled(t, set) {
			want := "tune"
			if heldOut(l.comment) {
				want = "holdout"
			}
			if l.split != want {
				t.Errorf("%s: %q is in %q, its hash puts it in %q", set, l.comment, l.split, want)
			}
		}
	}
}

// The goal for every theme on a kept-apart half is 0.85 precision and
// recall.
const goal = 0.85

// History. Measured once on fourth.tsv's kept-apart half (289 comments),
// with the matcher of commit 7db5f36 (models trained on every split of
// labelled.tsv, fresh.tsv and third.tsv; fourth.tsv merged after it and
// not changed since), precision / recall (tp, fp, fn):
//
//	attitude             0.87 / 0.63  (26, 4, 15)
//	materials            0.73 / 0.94  (33, 12, 2)
//	multiple_trips       0.94 / 0.91  (31, 2, 3)
//	missed_deadline      1.00 / 0.88  (30, 0, 4)
//	queueing             0.97 / 0.92  (36, 1, 3)
//	system_failure       0.91 / 0.97  (30, 3, 1)
//	information_unclear  0.79 / 0.70  (23, 6, 10)
//	fees                 0.91 / 0.91  (32, 3, 3)
//	staff_competence     0.96 / 0.67  (24, 1, 12)
//	facilities           0.93 / 0.69  (25, 2, 11)
//
// Five themes met the goal in both; five fell short, in recall (attitude,
// staff_competence, facilities), precision (materials) or both
// (information_unclear). Both halves of fourth.tsv are trained on since, so
// these figures are history: the matcher changed after them was judged by
// cross-validation only (cv_test.go), and the measurement now lives with
// the next set written blind to the matcher, measured once after it is
// final, with measure below.
//
// Before that: the phrase lists alone, measured once on third.tsv's
// kept-apart half (170 comments, commit 94bb841), gave attitude 0.87 / 0.62,
// materials 0.88 / 0.91, multiple_trips 0.78 / 0.78, missed_deadline 0.83 /
// 0.91, queueing 0.95 / 0.83, system_failure 0.94 / 0.71,
// information_unclear 0.74 / 0.52, fees 0.67 / 0.73, staff_competence 1.00 /
// 0.43, facilities 0.72 / 0.87: only materials met the goal.

// TestThemesOnTheKeptApartHalf: the models are trained on the ten named
// sets, in their order, and on nothing else, so that a set written blind
// and placed in testdata to measure the matcher is measured, not trained on
// by accident.
func TestThemesOnTheKeptApartHalf(t *testing.T) {
	var want []string
	for _, set := range []string{firstSet, secondSet, thirdSet, fourthSet, fifthSet, sixthSet, seventhSet, eighthSet, ninthSet, tenthSet} {
		for _, l := range readLabelled(t, set) {
			want = append(want, l.comment)
		}
	}
	var got []string
	for _, e := range trainingSet() {
		got = append(got, e.comment)
	}
	if !slices.Equal(got, want) {
		t.Errorf("the models are trained on %d comments, not the %d of the ten sets", len(got), len(want))
	}
}

// fifthSet was written by another engineer blind to the matcher (its
// header says what they read) while the matcher was being changed on the
// four sets above by cross-validation only; it was merged after that
// matcher was final (commit 2a4e25a) and its "holdout" half measured once,
// below. Both halves are trained on since, and leave-one-set-out
// (loso_test.go) is the measure of the matcher until the next set written
// blind.
const fifthSet = "testdata/fifth.tsv"

// Measured once on fifth.tsv's kept-apart half (392 comments) with the
// matcher of commit 2a4e25a, precision / recall (tp, fp, fn):
//
//	attitude             0.72 / 0.74  (34, 13, 12)
//	materials            0.83 / 0.83  (40, 8, 8)
//	multiple_trips       0.78 / 0.78  (38, 11, 11)
//	missed_deadline      0.94 / 0.86  (44, 3, 7)
//	queueing             0.80 / 0.89  (41, 10, 5)
//	system_failure       0.80 / 0.73  (33, 8, 12)
//	information_unclear  0.72 / 0.67  (34, 13, 17)
//	fees                 0.94 / 0.90  (44, 3, 5)
//	staff_competence     0.88 / 0.72  (36, 5, 14)
//	facilities           0.93 / 0.86  (38, 3, 6)
//
// Three themes met the goal. Cross-validation over the four sets had
// given every theme 0.85 or more: this set says more of its complaints in
// words the sets before it do not hold. Its random folds mixed each set's
// words into every fold; leave-one-set-out does not.

// sixthSet was written by another engineer blind to the matcher (its
// header says what they read) while the matcher was being changed by
// leave-one-set-out on the five sets above; it was merged after that
// matcher was frozen (commit 80affb6) and its "holdout" half measured once,
// below. Both halves are trained on since, and leave-one-set-out over the
// six sets (loso_test.go) is the measure of the matcher until the next set
// written blind.
const sixthSet = "testdata/sixth.tsv"

// Measured once on sixth.tsv's kept-apart half (411 comments) with the
// matcher of commit 80affb6, precision / recall (tp, fp, fn):
//
//	attitude             0.81 / 0.96  (47, 11, 2)
//	materials            0.85 / 0.92  (44, 8, 4)
//	multiple_trips       0.96 / 0.90  (44, 2, 5)
//	missed_deadline      0.86 / 0.92  (44, 7, 4)
//	queueing             0.86 / 0.90  (44, 7, 5)
//	system_failure       0.94 / 0.92  (46, 3, 4)
//	information_unclear  0.76 / 0.89  (42, 13, 5)
//	fees                 0.92 / 0.96  (45, 4, 2)
//	staff_competence     0.86 / 0.94  (44, 7, 3)
//	facilities           0.92 / 0.96  (46, 4, 2)
//
// Seven themes met the goal; attitude and information_unclear fell short
// in precision, materials by one comment (precision 0.846, 44 of 52). The
// fifth set's writer was asked to vary the wording above all, the sixth's
// to write a realistic mix of plain and described complaints, so the two
// sets are not equally hard.

// seventhSet was written by another engineer blind to the matcher (its
// header says what they read) while the matcher was being changed by
// leave-one-set-out on the six sets above; it was merged after that
// matcher was frozen (commit 02cb54f) and its "holdout" half measured once,
// below. Both halves are trained on since, and leave-one-set-out over the
// seven sets (loso_test.go) is the measure of the matcher until the next
// set written blind.
const seventhSet = "testdata/seventh.tsv"

// Measured once on seventh.tsv's kept-apart half (431 comments) with the
// matcher of commit 02cb54f, precision / recall (tp, fp, fn):
//
//	attitude             0.917 / 0.880  (44, 4, 6)
//	materials            0.820 / 0.872  (41, 9, 6)
//	multiple_trips       0.917 / 0.957  (44, 4, 2)
//	missed_deadline      0.936 / 0.898  (44, 3, 5)
//	queueing             0.930 / 0.870  (40, 3, 6)
//	system_failure       0.845 / 0.961  (49, 9, 2)
//	information_unclear  0.754 / 0.885  (46, 15, 6)
//	fees                 0.857 / 0.960  (48, 8, 2)
//	staff_competence     0.857 / 0.857  (42, 7, 7)
//	facilities           0.900 / 0.957  (45, 5, 2)
//
// Seven themes met the goal; information_unclear, materials and
// system_failure fell short in precision. Attitude, short on the sixth
// set, met it after the change chosen on the sixth; information_unclear
// stayed where it was.

// eighthSet was written by another engineer blind to the matcher (its
// header says what they read) while the matcher was being changed by
// leave-one-set-out on the seven sets above and the six older sets were
// relabelled by GUIDE.md; it was merged after that matcher was frozen
// (commit 3705633) and its "holdout" half measured once, below. Both halves
// are trained on since, and leave-one-set-out over the eight sets
// (loso_test.go) is the measure of the matcher until the next set written
// blind.
const eighthSet = "testdata/eighth.tsv"

// History. Measured once on eighth.tsv's kept-apart half (458 comments)
// with the matcher of commit 3705633, precision / recall (tp, fp, fn):
//
//	attitude             0.873 / 0.842  (48, 7, 9)
//	materials            0.880 / 0.898  (44, 6, 5)
//	multiple_trips       0.880 / 0.880  (44, 6, 6)
//	missed_deadline      0.943 / 0.909  (50, 3, 5)
//	queueing             0.943 / 0.877  (50, 3, 7)
//	system_failure       0.882 / 0.918  (45, 6, 4)
//	information_unclear  0.846 / 0.786  (44, 8, 12)
//	fees                 0.935 / 0.878  (43, 3, 6)
//	staff_competence     0.917 / 0.800  (44, 4, 11)
//	facilities           0.962 / 0.927  (51, 2, 4)
//
// Seven themes met the goal; attitude and staff_competence fell short in
// recall, information_unclear in both. Materials and system_failure, short
// in precision on the seventh set, met it here after the precision tilt
// chosen on the seventh. The labels were those the set was written with,
// before GUIDE.md's "Decisions on the borderlines every labeller named".

// ninthSet was written by another engineer blind to the matcher (its
// header says what they read) while the matcher was changed by
// leave-one-set-out on the eight sets above, relabelled to GUIDE.md's
// decisions; it was merged after that matcher was frozen (commit fa5d676)
// and its "holdout" half measured once, below. Both halves are trained on
// since, and leave-one-set-out over the nine sets (loso_test.go) is the
// measure of the matcher until the next set written blind.
const ninthSet = "testdata/ninth.tsv"

// History. Measured once on ninth.tsv's kept-apart half (573 comments)
// with the matcher of commit fa5d676, precision / recall (tp, fp, fn):
//
//	attitude             0.966 / 0.889  (56, 2, 7)
//	materials            0.881 / 0.894  (59, 8, 7)
//	multiple_trips       0.886 / 0.912  (62, 8, 6)
//	missed_deadline      0.904 / 0.985  (66, 7, 1)
//	queueing             0.938 / 0.952  (60, 4, 3)
//	system_failure       1.000 / 0.934  (71, 0, 5)
//	information_unclear  0.800 / 0.774  (48, 12, 14)
//	fees                 0.948 / 0.902  (55, 3, 6)
//	staff_competence     0.900 / 0.887  (63, 7, 8)
//	facilities           0.879 / 0.935  (58, 8, 4)
//
// Nine themes met the goal; information_unclear fell short in both, as on
// every blind set before. It missed windows sending the citizen back and
// forth inside one hall said in new words (GUIDE.md decision 2), opening
// hours wrong on a page or screen, an out-of-date window table on the wall
// and answers given 含含糊糊; it was wrongly given for a document not asked
// for before (materials alone), one clerk's two answers (staff_competence)
// and contradicting fee information (fees).

// tenthSet was written by another engineer blind to the matcher (its
// header says what they read) while the matcher was changed by
// leave-one-set-out on the nine sets above; it was merged after that
// matcher was frozen (commit 6b2a0f9) and its "holdout" half measured
// once, below. Both halves are trained on since, and leave-one-set-out
// over the ten sets (loso_test.go) is the measure of the matcher until
// the next set written blind.
const tenthSet = "testdata/tenth.tsv"

// History. Measured once on tenth.tsv's kept-apart half (577 comments)
// with the matcher of commit 6b2a0f9, precision / recall (tp, fp, fn):
//
//	attitude             0.932 / 0.944  (68, 5, 4)
//	materials            0.951 / 0.879  (58, 3, 8)
//	multiple_trips       0.952 / 0.908  (59, 3, 6)
//	missed_deadline      0.985 / 0.955  (64, 1, 3)
//	queueing             0.952 / 0.952  (60, 3, 3)
//	system_failure       0.970 / 0.970  (64, 2, 2)
//	information_unclear  0.797 / 0.881  (59, 15, 8)
//	fees                 0.952 / 0.968  (60, 3, 2)
//	staff_competence     0.886 / 0.954  (62, 8, 3)
//	facilities           0.953 / 0.953  (61, 3, 3)
//
// Nine themes met the goal (seven on the eighth set, nine on the ninth,
// with the matchers of their day); information_unclear met it in recall
// (0.881, up from 0.774) and fell short in precision, as on every blind
// set. Its false positives were mostly the matcher's: a clause saying
// things were clear (流程很清楚, 说清楚了), a generic 不知道 (不知道说啥好),
// two sources disagreeing about a fee (fees only), an error message that
// does not say what is wrong (system_failure), a list that never named a
// document (materials only), a clerk contradicting themself
// (staff_competence), signs to the toilet or entrance (facilities).

// TestThemesOnTheTunedHalves: the comments the lists were tuned and the
// models trained on keep their themes, so an edit of the lists or the
// models that loses one is seen. Precision is held lower than recall: a
// phrase that finds a theme also fires on some comments that only mention
// it.
func TestThemesOnTheTunedHalves(t *testing.T) {
	for _, set := range []struct{ name, split string }{{firstSet, ""}, {secondSet, ""}, {thirdSet, ""}, {fourthSet, ""}, {fifthSet, ""}, {sixthSet, ""}, {seventhSet, ""}, {eighthSet, ""}, {ninthSet, ""}, {tenthSet, ""}} {
		scores, misses := measure(t, set.name, set.split)
		for _, th := range Default().Themes {
			if s := scores[th.Code]; s.precision() < 0.80 || s.recall() < 0.90 {
				t.Errorf("%s %s, %s: precision %.2f, recall %.2f; want at least 0.80, 0.90", set.name, set.split, th.Code, s.precision(), s.recall())
			}
		}
		if t.Failed() {
			for _, m := range misses {
				t.Log(m)
			}
		}
	}
}

// TestTagsNameThemes: a tag names its theme whatever the comment says, and
// a comment without a theme's phrases and tags gives none.
func TestTagsNameThemes(t *testing.T) {
	tax := Default()
	for _, tc := range []struct {
		comment string
		tags    []string
		want    []string
	}{
		{"", []string{"attitude"}, []string{"attitude"}},
		{"不满意", []string{"materials", "multiple_trips"}, []string{"materials", "multiple_trips"}},
		{"不满意", []string{"other"}, nil},
		{"不满意", nil, nil},
		{"排队 一个多小时！", nil, []string{"queueing"}},
		{"大厅没有ＷＩＦＩ", nil, []string{"facilities"}},
		// A clause that denies or praises a theme does not count for it;
		// praise turned round by 不 still complains.
		{"材料一次就齐了，但是排队排了两个小时", nil, []string{"queueing"}},
		{"没排队，就是材料太多了", nil, []string{"materials"}},
		{"收费不合理", nil, []string{"fees"}},
		{"收费合理", nil, nil},
		// Told clearly (themes.tsv's affirmed column) is no complaint of
		// information; not told clearly is.
		{"工作人员说清楚了要带什么，流程很清楚，就是大厅里太冷了", nil, []string{"facilities"}},
		{"工作人员没说清楚要带什么", nil, []string{"information_unclear"}},
		// A clerk's words quoted back tell of how they spoke; words told
		// plainly need not. (Told plainly, "她说下班了" is attitude too
		// since fourth.tsv is trained on: GUIDE.md counts being sent away
		// before closing as attitude.)
		{"她说“下班了”", nil, []string{"attitude"}},
		{"他说明天可以取", nil, nil},
		// Traditional characters and Shanghai dialect are read as their
		// plain forms.
		{"系統一直報錯，登錄勿上", nil, []string{"system_failure"}},
	} {
		if got := tax.Match(tc.comment, tc.tags); !slices.Equal(got, tc.want) {
			t.Errorf("Match(%q, %v) = %v, want %v", tc.comment, tc.tags, got, tc.want)
		}
	}
}

func TestParseRefuses(t *testing.T) {
	head := "code\tname_zh\tname_en\ttag\tphrases\n"
	for _, bad := range []string{
		"",
		head + "a\t甲\tA\t-\n",
		head + "a\t甲\tA\t-\tx||y\n",
		head + "a\t甲\tA\t-\t!x\n",
		head + "a\t甲\tA\t-\tx&y/\n",
		head + "a\t甲\tA\t-\tx\ty||z\n",
		head + "a\t甲\tA\t-\tx\na\t乙\tB\t-\ty\n",
		head + "a\t\tA\t-\tx\n",
		head + "a\t甲\tA\t-\tx\t\ty||z\n",
		head + "a\t甲\tA\t-\tx\t\ty\tz\n",
	} {
		if _, err := Parse(strings.NewReader(bad)); err == nil {
			t.Errorf("Parse(%q) took it", bad)
		}
	}
}
