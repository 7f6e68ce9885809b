package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestHallRanksWorkstations: a hall's page ranks its workstations within
// the hall over the quarter by default and the year with ?period=year,
// saying which, each with n beside its index, the n the API publishes for
// the workstation over the same days (issue 18).
func TestHallRanksWorkstations(t *testing.T) {
	c := newClient(t)
	body := c.page("/halls/" + hall + "?lang=zh")
	section := body[strings.Index(body, `id="workstations-h"`):]
	rows := regexp.MustCompile(`<tr(?: class="[^"]*")?><td class="num">([^<]*)</td><th scope="row">(\d+号窗口\d+号工位)</th>\s*<td class="wide"><span class="score">([^<]*)</span>.*?</td><td class="num" data-label="评价数">(\d+)</td>`).FindAllStringSubmatch(section, -1)
	var want int
	must(t, haocha.Store.DB().QueryRowContext(context.Background(),
		"SELECT COUNT(*) FROM workstations s JOIN windows w ON w.code = s.window_code WHERE w.hall = ?", hall).Scan(&want))
	// Only workstations with reviews in the period are listed; the page
	// counts the others (a board lists no member with n = 0).
	unlisted := 0
	if m := regexp.MustCompile(`id="workstations-unlisted">另有 (\d+) 个工位本期没有评价，未列出。<`).FindStringSubmatch(section); m != nil {
		unlisted, _ = strconv.Atoi(m[1])
	}
	if len(rows)+unlisted != want || len(rows) == 0 {
		t.Fatalf("%d workstation rows and %d said unlisted, want the hall's %d", len(rows), unlisted, want)
	}
	for _, r := range rows {
		if r[4] == "0" {
			t.Errorf("workstation %s is listed with n = 0", r[2])
		}
	}
	period := regexp.MustCompile(`id="workstations-period">统计期 本季度 (\d{4}-\d\d-\d\d) – (\d{4}-\d\d-\d\d)`).FindStringSubmatch(section)
	if period == nil || !strings.HasSuffix(period[1], "-01") {
		t.Fatalf("the workstation ranking does not state its quarter: %v", period)
	}
	// The first row is the best ranked, or the busiest when none is ranked:
	// its n is the API's for the quarter.
	var code string
	must(t, haocha.Store.DB().QueryRowContext(context.Background(),
		"SELECT s.code FROM workstations s JOIN windows w ON w.code = s.window_code WHERE w.hall = ? AND s.name = ?", hall, rows[0][2]).Scan(&code))
	var ind struct{ N int64 }
	if err := json.Unmarshal([]byte(c.page("/api/v1/indicators?scope=workstation&code="+code+"&from="+period[1]+"&to="+period[2])), &ind); err != nil {
		t.Fatal(err)
	}
	if rows[0][4] != fmt.Sprint(ind.N) || ind.N == 0 {
		t.Errorf("first workstation %v, want n = %d (and some reviews)", rows[0][1:], ind.N)
	}
	year := c.page("/halls/" + hall + "?lang=zh&period=year")
	mustContain(t, year, `id="workstations-period">统计期 本年度 `+period[2][:4]+`-01-01 – `+period[2])
	en := c.page("/halls/" + hall + "?lang=en&period=year")
	mustContain(t, en, "Results by workstation", `id="workstation-ranking"`, `<th scope="row">Window 1, seat 1</th>`)
	mustNotContain(t, en, "号工位")
}
