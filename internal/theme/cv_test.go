package theme

import (
	"slices"
	"strings"
	"testing"
)

// TestTrainingIsDeterministic: two trainings on the same data give the same
// weights and thresholds, so a review's themes do not change from one start
// of the server to the next, nor model.bin from one go generate to the
// next. Where model.bin was trained (referenceRounding), it is one of the
// two, trained in another process.
func TestTrainingIsDeterministic(t *testing.T) {
	a, b := Default().models(), trainedNow()
	if roundingPrint() != referenceRounding {
		a = chosen.learn(Default(), trainingSet())
	}
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
	// A concept is shown by its words in the comment.
	described := tax.Explain("办事员头也不抬，一直在刷抖音", nil)
	if len(described) != 1 || described[0].Theme != "attitude" || !slices.Contains(described[0].Grams, "头也不抬") {
		t.Errorf("Explain(办事员头也不抬，一直在刷抖音) = %+v, want attitude by 头也不抬", described)
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
