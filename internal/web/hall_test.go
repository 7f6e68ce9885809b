package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

func TestHallPage(t *testing.T) {
	c := newClient(t)
	// The district's page links each of its halls.
	mustContain(t, c.page("/units/310101?lang=zh"), `href="/halls/`+hall+`"`, `href="/halls/H310101-01"`)

	body := c.page("/halls/" + hall + "?lang=zh")
	mustContain(t, body, "<h1>黄浦区行政服务中心</h1>", `id="hall-address">上海市黄浦区`, `id="hall-hours">周一至周五 9:00–17:00，周六 9:00–12:00<`,
		`id="hall-items">`, `id="score-index"`, `id="window-ranking"`, `href="/units/310101"`)
	// Every window of the hall is listed, with n beside its index.
	rows := regexp.MustCompile(`<tr(?: class="unranked")?><td class="num">[^<]*</td><th scope="row">(\d+号窗口)</th>\s*<td class="wide"><span class="score">([^<]*)</span>.*?</td><td class="num" data-label="评价数">(\d+)</td><td class="num" data-label="好评率">([^<]*)</td>`).FindAllStringSubmatch(body, -1)
	if len(rows) != 40 {
		t.Fatalf("%d window rows, want the hall's 40", len(rows))
	}
	// The figures are the published index's: the API says the same of
	// window 1.
	var ind struct {
		N          int64
		Indicators struct {
			GoodRate *float64 `json:"good_rate"`
		}
	}
	if err := json.Unmarshal([]byte(c.page("/api/v1/indicators?scope=window&code="+hall+"-W01")), &ind); err != nil {
		t.Fatal(err)
	}
	var w1 []string
	for _, r := range rows {
		if r[1] == "1号窗口" {
			w1 = r
		}
	}
	if w1 == nil || w1[3] != fmt.Sprint(ind.N) {
		t.Fatalf("window 1 row %v, want n = %d", w1, ind.N)
	}
	if ind.N == 0 {
		t.Fatal("window 1 has no reviews in the demo: the test shows nothing")
	}
	if ind.Indicators.GoodRate != nil && !strings.HasPrefix(w1[4], fmt.Sprintf("%.1f", *ind.Indicators.GoodRate*100)) {
		t.Errorf("window 1 好评率 %q, API %.4f", w1[4], *ind.Indicators.GoodRate)
	}

	// In English the windows have English names, and no Chinese one shows.
	en := c.page("/halls/" + hall + "?lang=en")
	mustContain(t, en, "Huangpu District Administrative Service Centre", "Opening hours", "Mon–Fri 9:00–17:00, Sat 9:00–12:00", "Results by window",
		`<th scope="row">Window 3</th>`, `<th scope="row">Window 40</th>`)
	mustNotContain(t, en, "号窗口")
	if resp, _ := c.get("/halls/NOPE"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown hall: %d, want 404", resp.StatusCode)
	}
}
