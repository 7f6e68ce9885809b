package theme

import (
	"bufio"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
)

type labelled struct {
	split, comment string
	themes         []string
}

func readLabelled(t *testing.T) []labelled {
	t.Helper()
	f, err := os.Open("testdata/labelled.tsv")
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
			t.Fatalf("labelled.tsv: %q", s)
		}
		l := labelled{split: f[0], comment: f[2]}
		if f[1] != "" {
			l.themes = strings.Split(f[1], ",")
		}
		out = append(out, l)
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

// measure scores the shipped taxonomy on one half of the labelled set.
func measure(t *testing.T, split string) (map[string]*score, []string) {
	tax := Default()
	scores := map[string]*score{}
	for _, th := range tax.Themes {
		scores[th.Code] = &score{}
	}
	var misses []string
	n := 0
	for _, l := range readLabelled(t) {
		if l.split != split {
			continue
		}
		n++
		for _, code := range l.themes {
			if _, ok := tax.Theme(code); !ok {
				t.Fatalf("labelled.tsv names theme %q, which the taxonomy lacks", code)
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
				misses = append(misses, fmt.Sprintf("%s: wrongly %s: %s", split, th.Code, l.comment))
			case want:
				scores[th.Code].fn++
				misses = append(misses, fmt.Sprintf("%s: missed %s: %s", split, th.Code, l.comment))
			}
		}
	}
	if n < 150 {
		t.Fatalf("the %s split holds %d comments, want at least 150", split, n)
	}
	return scores, misses
}

// The goal for every theme on the kept-apart half is 0.85 precision and
// recall. It is not met: measured once, when the half was written and
// before any tuning on it (precision / recall): attitude 1.00/0.50,
// materials 0.75/1.00, multiple_trips 0.78/0.90, missed_deadline 0.79/0.61,
// queueing 1.00/0.68, system_failure 1.00/0.44, information_unclear
// 0.73/0.44, fees 0.89/1.00, staff_competence 1.00/0.65, facilities
// 0.89/0.47. Phrase lists tuned on 330 comments miss new wordings of the
// same complaint, so the test holds the floor measured then, and logs each
// theme's figures and misses; raising the floor needs a new kept-apart half
// written before the tuning that is to be judged on it.
const (
	goal           = 0.85
	floorPrecision = 0.70
	floorRecall    = 0.40
)

// TestThemesOnTheKeptApartHalf reports precision and recall per theme on
// the half of the labelled comments the phrase lists were not tuned on.
func TestThemesOnTheKeptApartHalf(t *testing.T) {
	scores, misses := measure(t, "holdout")
	short := 0
	for _, th := range Default().Themes {
		s := scores[th.Code]
		t.Logf("%-20s precision %.2f recall %.2f (tp %d, fp %d, fn %d)", th.Code, s.precision(), s.recall(), s.tp, s.fp, s.fn)
		if s.tp+s.fn < 10 {
			t.Errorf("%s: only %d labelled comments in the kept-apart half, too few to judge", th.Code, s.tp+s.fn)
		}
		if s.precision() < floorPrecision || s.recall() < floorRecall {
			t.Errorf("%s: precision %.2f, recall %.2f; below the floor measured at landing (%.2f, %.2f)",
				th.Code, s.precision(), s.recall(), floorPrecision, floorRecall)
		}
		if s.precision() < goal || s.recall() < goal {
			short++
		}
	}
	t.Logf("%d of %d themes short of the goal of %.2f", short, len(Default().Themes), goal)
	if t.Failed() || testing.Verbose() {
		for _, m := range misses {
			t.Log(m)
		}
	}
}

// TestThemesOnTheTunedHalves: the comments the lists were tuned on keep
// their themes, so an edit of the lists that loses one is seen.
func TestThemesOnTheTunedHalves(t *testing.T) {
	for _, split := range []string{"tune", "first-holdout"} {
		scores, misses := measure(t, split)
		for _, th := range Default().Themes {
			if s := scores[th.Code]; s.precision() < 0.95 || s.recall() < 0.95 {
				t.Errorf("%s, %s: precision %.2f, recall %.2f; want at least 0.95", split, th.Code, s.precision(), s.recall())
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
		head + "a\t甲\tA\t-\tx\na\t乙\tB\t-\ty\n",
		head + "a\t\tA\t-\tx\n",
	} {
		if _, err := Parse(strings.NewReader(bad)); err == nil {
			t.Errorf("Parse(%q) took it", bad)
		}
	}
}
