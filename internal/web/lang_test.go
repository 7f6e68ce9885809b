package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"testing"
)

var langSwitchRE = regexp.MustCompile(`href="(/prefs\?lang=[^"]+)"`)

// A link with ?lang= opens in that language for anyone, whatever their
// cookie says, and the pages after it follow.
func TestLangOnALinkIsShareable(t *testing.T) {
	tests := []struct {
		path, cookieLang string
		want             []string
		wantBack         string // where the language switch comes back to
	}{
		{"/units/SHGA?lang=en", "", []string{`<html lang="en"`, "Shanghai Public Security Bureau", "Rate this service"}, "/units/SHGA"},
		{"/items/" + item + "?lang=en", "zh", []string{`<html lang="en"`, "Service guide"}, "/items/" + item},
		{"/?lang=zh&q=%E8%BA%AB%E4%BB%BD%E8%AF%81", "en", []string{`<html lang="zh-CN"`, "搜索结果"}, "/?q=%E8%BA%AB%E4%BB%BD%E8%AF%81"},
		{landing(workstation) + "&lang=en", "", []string{`<html lang="en"`, "Rate the service", "Very satisfied"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			c := newClient(t)
			if tt.cookieLang != "" {
				c.get("/prefs?lang=" + tt.cookieLang + "&back=/")
			}
			body := c.page(tt.path)
			mustContain(t, body, tt.want...)
			m := langSwitchRE.FindStringSubmatch(body)
			if m == nil {
				t.Fatal("no language switch")
			}
			// The switch goes back to the page without its ?lang=, or
			// it would come back in the language it left.
			sw, err := url.Parse(html.UnescapeString(m[1]))
			if err != nil {
				t.Fatal(err)
			}
			back := sw.Query().Get("back")
			if b, _ := url.Parse(back); b == nil || b.Query().Has("lang") {
				t.Errorf("switch back to %q keeps the link's lang", back)
			}
			if tt.wantBack != "" && back != tt.wantBack {
				t.Errorf("switch back to %q, want %q", back, tt.wantBack)
			}
			// The next page, without ?lang=, stays in the link's language.
			_, next := c.get("/items")
			if want := map[bool]string{true: `<html lang="en"`, false: `<html lang="zh-CN"`}[tt.want[0] == `<html lang="en"`]; !regexp.MustCompile(regexp.QuoteMeta(want)).MatchString(next) {
				t.Errorf("the next page is not in the link's language (%s)", want)
			}
		})
	}
	// A language nobody speaks here is ignored, not an error.
	if resp, body := newClient(t).get("/items?lang=fr"); resp.StatusCode != http.StatusOK {
		t.Errorf("?lang=fr: %d", resp.StatusCode)
	} else {
		mustContain(t, body, `<html lang="zh-CN"`)
	}
}
