package console_test

import (
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/haocha/haocha/internal/theme"
)

// themesLine is the order page's line of the review's complaint themes.
var themesLine = regexp.MustCompile(`<dd id="themes">(.*?)</dd>`)

// TestOrderPageSaysWhyEachTheme: beside each complaint theme of a bad
// review the order page says why it was given, in the console's language:
// the tag that names it, or the words of the comment that weighed most for
// it.
func TestOrderPageSaysWhyEachTheme(t *testing.T) {
	e := newEnv(t)
	comment := "窗口工作人员一直玩手机，排队排了两个小时"
	out := e.must(http.StatusCreated, "POST", "/api/v1/reviews", "", map[string]any{"channel": "window", "workstation": "H1-W1-01",
		"item": "SHGA-001", "stage": "acceptance", "stars": 1, "tags": []string{"materials"}, "comment": comment, "anonymous": true})
	number, _ := out["work_order"].(string)
	if number == "" {
		t.Fatalf("no work order: %v", out)
	}
	var words []string // the first word that weighed for each theme given by its words
	for _, r := range theme.Default().Explain(comment, []string{"materials"}) {
		if r.Tag == "" && len(r.Grams) > 0 {
			words = append(words, r.Grams[0])
		}
	}
	if len(words) < 2 {
		t.Fatalf("the comment gives %d themes by its words, want attitude and queueing", len(words))
	}
	op := e.login("operator", password)
	for _, tt := range []struct {
		lang, tag, because, forbidden string
		themes                        []string
	}{
		{"", "（标签“材料收取”）", "（留言中的“", "the words", []string{"服务态度", "材料收取", "排队等候"}},
		{"en", " (tag “Materials requested”)", " (the words “", "留言中的", []string{"Staff attitude", "Materials asked for", "Queueing"}},
	} {
		op.lang = tt.lang
		m := themesLine.FindStringSubmatch(op.get("/console/orders/" + number))
		if m == nil {
			t.Fatalf("lang %q: no themes line", tt.lang)
		}
		line := html.UnescapeString(m[1])
		for _, want := range append(tt.themes, tt.tag, tt.because) {
			if !strings.Contains(line, want) {
				t.Errorf("lang %q: themes %q, want …%s…", tt.lang, line, want)
			}
		}
		for _, w := range words {
			if !strings.Contains(line, "“"+w+"”") {
				t.Errorf("lang %q: themes %q do not quote %q", tt.lang, line, w)
			}
		}
		if strings.Contains(line, tt.forbidden) {
			t.Errorf("lang %q: themes %q say %q", tt.lang, line, tt.forbidden)
		}
	}
}
