package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/haocha/haocha/internal/review"
)

func TestPublicPages(t *testing.T) {
	c := newClient(t)
	agencyTotal := count(t, review.Filter{Unit: "SHGA"})
	districtTotal := count(t, review.Filter{District: "310101"})
	itemTotal := count(t, review.Filter{Item: item})
	tests := []struct {
		path string
		want []string
	}{
		{"/", []string{"按部门评价", "按区评价", "按事项评价", `href="/units/310101"`, `href="/units/SHGA"`, `role="search"`}},
		{"/?q=" + "身份证", []string{"搜索结果", `href="/items/SHGA-`}},
		{"/?q=zzzzzz", []string{"没有找到匹配的结果"}},
		{"/units/SHGA", []string{"市公安局", `id="rate-action"`, fmt.Sprintf(`id="r-total">%d<`, agencyTotal), "好评率", "差评率", "星级分布", "办事准确", "近期评价量"}},
		{"/units/310101", []string{"黄浦区", fmt.Sprintf(`id="r-total">%d<`, districtTotal), "服务大厅", "黄浦区行政服务中心"}},
		{"/items", []string{`href="/items/SHGA-001"`}},
		{"/items/" + item, []string{"办事指南", "受理", "决定", `href="/items/SHGA-001/rate"`, fmt.Sprintf(`id="r-total">%d<`, itemTotal)}},
		{"/items/" + item + "/rate", []string{`name="stage"`, "受理", `name="stars"`}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, body := c.get(tt.path)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode)
			}
			mustContain(t, body, tt.want...)
			if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
				t.Errorf("CSP %q", csp)
			}
			// Nothing is fetched from anywhere else.
			mustNotContain(t, body, `src="http`, `href="//`, `<link rel="stylesheet" href="http`)
		})
	}
	for _, p := range []string{"/units/NOPE", "/items/NOPE", "/nowhere"} {
		if resp, _ := c.get(p); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", p, resp.StatusCode)
		}
	}
}

func TestLanguageAndTextSizeAreRemembered(t *testing.T) {
	c := newClient(t)
	resp, _ := c.get("/prefs?lang=en&back=/items/" + item)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/items/"+item {
		t.Fatalf("switch: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, body := c.get("/items/" + item)
	mustContain(t, body, `<html lang="en"`, "Service guide", "Rate this service", "中文")
	_, body = c.get("/")
	mustContain(t, body, "By department", "Huangpu")

	c.get("/prefs?size=large&back=/")
	_, body = c.get("/")
	mustContain(t, body, `class="large"`, "Normal text")

	c.get("/prefs?lang=zh&back=/")
	_, body = c.get("/")
	mustContain(t, body, `<html lang="zh-CN"`, "按部门评价")

	for _, back := range []string{"//evil.example/", "https://evil.example/", "/\\evil.example",
		"/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example", " //evil.example", "/\x00/evil.example"} {
		resp, _ := c.get("/prefs?lang=en&back=" + url.QueryEscape(back))
		if loc := resp.Header.Get("Location"); loc != "/" {
			t.Errorf("back=%s redirects to %q, want /", back, loc)
		}
	}
}

func TestStoreReadsForPages(t *testing.T) {
	ctx := context.Background()
	// An agency no test rates, so that the demo's days are the last ones.
	days, err := haocha.Store.DailyCounts(ctx, review.Filter{Unit: "SHFGW"}, 30)
	if err != nil {
		t.Fatal(err)
	}
	var sum int64
	for _, d := range days {
		sum += d.Count
	}
	// The demo spreads reviews over 16 days, well inside 30.
	if len(days) != 30 || sum != count(t, review.Filter{Unit: "SHFGW"}) {
		t.Errorf("daily counts: %d days summing to %d, want 30 days summing to all reviews", len(days), sum)
	}
	stages, err := haocha.Store.StageNames(ctx)
	if err != nil || len(stages) == 0 || stages[0].Code != "consultation" {
		t.Errorf("stage names: %v, %v", stages, err)
	}
}
