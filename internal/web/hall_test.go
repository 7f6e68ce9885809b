package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// windowRows finds a hall page's window rows: name, index, n, 好评率.
var windowRows = regexp.MustCompile(`<tr(?: class="[^"]*")?><td class="num">[^<]*</td><th scope="row">(\d+号窗口)</th>\s*<td class="wide"><span class="score">([^<]*)</span>.*?</td><td class="num" data-label="评价数">(\d+)</td><td class="num" data-label="好评率">([^<]*)</td>`)

func TestHallPage(t *testing.T) {
	c := newClient(t)
	// The district's page links each of its halls.
	mustContain(t, c.page("/units/310101?lang=zh"), `href="/halls/`+hall+`"`, `href="/halls/H310101-01"`)

	body := c.page("/halls/" + hall + "?lang=zh")
	mustContain(t, body, "<h1>黄浦区行政服务中心</h1>", `id="hall-address">上海市黄浦区`, `id="hall-hours">周一至周五 9:00–17:00，周六 9:00–12:00<`,
		`id="hall-items">`, `id="score-index"`, `id="window-ranking"`, `href="/units/310101"`)
	// Every window of the hall with reviews in the period is listed, with
	// n beside its index; the others are counted under the list, as a
	// board lists no member with n = 0 (issue 18).
	rows := windowRows.FindAllStringSubmatch(body, -1)
	var want int
	must(t, haocha.Store.DB().QueryRowContext(context.Background(), "SELECT COUNT(*) FROM windows WHERE hall = ?", hall).Scan(&want))
	unlisted := 0
	if m := regexp.MustCompile(`id="windows-unlisted">另有 (\d+) 个窗口本期没有评价，未列出。<`).FindStringSubmatch(body); m != nil {
		unlisted, _ = strconv.Atoi(m[1])
	}
	if len(rows)+unlisted != want || want < 80 || len(rows) == 0 {
		t.Fatalf("%d window rows and %d said unlisted, want the hall's %d", len(rows), unlisted, want)
	}
	for _, r := range rows {
		if r[3] == "0" {
			t.Errorf("window %s is listed with n = 0", r[1])
		}
	}
	// The figures are the published index's: the API says the same of
	// window 1.
	var ind struct {
		N          int64
		Indicators struct {
			GoodRate *float64 `json:"good_rate"`
		}
	}
	// Windows are ranked over the quarter by default, and the page says so
	// (issue 18).
	period := regexp.MustCompile(`id="windows-period">统计期 本季度 (\d{4}-\d\d-\d\d) – (\d{4}-\d\d-\d\d)`).FindStringSubmatch(body)
	if period == nil || !strings.HasSuffix(period[1], "-01") {
		t.Fatalf("the window ranking does not state its quarter: %v", period)
	}
	mustContain(t, c.page("/halls/"+hall+"?lang=zh&period=year"), `id="windows-period">统计期 本年度 `+period[2][:4]+`-01-01 – `+period[2])
	// The page's board (the hall's windows) and the API's (every window)
	// are two boards: past its TTL each is served stale once while it is
	// computed again (board.StaleFor), and reviews stored by the tests
	// before this one may lie between them. Once neither is stale they
	// agree.
	var w1 []string
	for try := 0; ; try++ {
		if err := json.Unmarshal([]byte(c.page("/api/v1/indicators?scope=window&code="+hall+"-W01&from="+period[1]+"&to="+period[2])), &ind); err != nil {
			t.Fatal(err)
		}
		w1 = nil
		for _, r := range rows {
			if r[1] == "1号窗口" {
				w1 = r
			}
		}
		if w1 != nil && w1[3] == fmt.Sprint(ind.N) {
			break
		}
		if try == 50 {
			t.Fatalf("window 1 row %v, want n = %d", w1, ind.N)
		}
		time.Sleep(100 * time.Millisecond)
		rows = windowRows.FindAllStringSubmatch(c.page("/halls/"+hall+"?lang=zh"), -1)
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
		`<th scope="row">Window 3</th>`)
	if unlisted > 0 {
		mustContain(t, en, fmt.Sprintf(`id="windows-unlisted">%d more windows had no reviews in the period and are not listed.<`, unlisted))
	}
	mustNotContain(t, en, "号窗口")
	if resp, _ := c.get("/halls/NOPE"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown hall: %d, want 404", resp.StatusCode)
	}
}
