package console_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/intake"
	"github.com/haocha/haocha/internal/review"
)

// staffEnv adds staff to the tiny catalogue and reviews them: in 黄浦区
// 张三 (S1) 30 five-star reviews, 李四 (S2) 30 four-star, 王五 (S3) 3
// five-star (under the minimum sample); in 徐汇区 赵六 (S4) 30 five-star.
// 黄浦区 runs a second hall, H3, whose one workstation has no staff
// member and 30 three-star reviews.
func staffEnv(t *testing.T) *env {
	t.Helper()
	e := newEnv(t)
	ctx := context.Background()
	cat := tinyCatalog()
	cat.Halls = append(cat.Halls, catalog.Hall{Code: "H2", NameZH: "徐汇区行政服务中心", Unit: unitB, District: unitB})
	cat.Halls = append(cat.Halls, catalog.Hall{Code: "H3", NameZH: "南京东路街道社区事务受理服务中心", NameEN: "Nanjing Road East Community Centre", Unit: unitA, District: unitA})
	cat.Windows = append(cat.Windows, catalog.Window{Code: "H2-W1", Hall: "H2", Name: "1号窗口"}, catalog.Window{Code: "H3-W1", Hall: "H3", Name: "1号窗口"})
	cat.Staff = append(cat.Staff, catalog.Staff{Code: "S2", Name: "李四", Unit: unitA},
		catalog.Staff{Code: "S3", Name: "王五", Unit: unitA}, catalog.Staff{Code: "S4", Name: "赵六", Unit: unitB})
	cat.Workstations = append(cat.Workstations, catalog.Workstation{Code: "H1-W1-02", Window: "H1-W1", Name: "2号工位", Staff: "S2"},
		catalog.Workstation{Code: "H1-W1-03", Window: "H1-W1", Name: "3号工位", Staff: "S3"},
		catalog.Workstation{Code: "H2-W1-01", Window: "H2-W1", Name: "1号工位", Staff: "S4"},
		catalog.Workstation{Code: "H3-W1-01", Window: "H3-W1", Name: "1号窗口1号工位", NameEN: "Window 1, seat 1"})
	if err := e.st.ImportCatalog(ctx, cat); err != nil {
		t.Fatal(err)
	}
	// Straight through intake without the per-device limit and the fraud
	// detectors, which would rightly stop one test client's 93 reviews.
	in := *e.m.Intake
	in.Limit, in.Detector, in.Presence = review.RateLimit{}, nil, nil
	for _, g := range []struct {
		workstation string
		stars, n    int
	}{{"H1-W1-01", 5, 30}, {"H1-W1-02", 4, 30}, {"H1-W1-03", 5, 3}, {"H2-W1-01", 5, 30}, {"H3-W1-01", 3, 30}} {
		for range g.n {
			anonymous := true
			sub := review.Submission{Channel: "window", Workstation: g.workstation, Item: "SHGA-001", Stage: "acceptance",
				Stars: g.stars, Anonymous: &anonymous}
			if _, err := in.Submit(ctx, sub, intake.Client{}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return e
}

var rowName = regexp.MustCompile(`<tr><th scope="row">([^<]*)</th><td data-label="[^"]*">([^<]*)</td><td data-label="[^"]*">([^<]*)</td><td data-label="n">(\d+)</td>`)

// ranking reads the page's rows as "name rank index n".
func ranking(page string) []string {
	var out []string
	for _, m := range rowName.FindAllStringSubmatch(page, -1) {
		out = append(out, strings.Join(m[1:], " "))
	}
	return out
}

func TestStaffRankingWithinAUnit(t *testing.T) {
	e := staffEnv(t)
	page := e.login("supervisor", password).get("/console/staff-ranking?unit=" + unitA)
	got := strings.Join(ranking(page), " | ")
	// 李四's 4 stars shrink toward the city (S = 0.75 + …), below 张三's.
	if !regexp.MustCompile(`^张三 1 \d+\.\d\d 30 \| 李四 2 \d+\.\d\d 30 \| 王五 — 样本不足 3$`).MatchString(got) {
		t.Errorf("ranking %q, want 张三 first, 李四 second, 王五 unranked with 样本不足 and n = 3", got)
	}
	// Staff are ranked over the quarter by default, or the year, and the
	// page says which (issue 18).
	if !regexp.MustCompile(`统计期 本季度 \d{4}-(01|04|07|10)-01 – `).MatchString(page) {
		t.Errorf("the ranking does not say it is the quarter's: %.3000s", page)
	}
	year := e.login("supervisor", password).get("/console/staff-ranking?unit=" + unitA + "&period=year")
	if !regexp.MustCompile(`统计期 本年度 \d{4}-01-01 – `).MatchString(year) || !strings.HasPrefix(strings.Join(ranking(year), " | "), "张三 1 ") {
		t.Errorf("the year's ranking: %q", ranking(year))
	}
	if strings.Contains(page, "赵六") || strings.Contains(page, ">S1<") {
		t.Error("the ranking shows another unit's staff or a staff code")
	}
	staff := e.login("staff", password)
	staff.get("/console/me")
	if !strings.Contains(staff.last, "第 1 名，共 2 名") {
		t.Errorf("/console/me does not show 张三 first of 2 ranked: %.2000s", staff.last)
	}
}

var stationRow = regexp.MustCompile(`<tr><th scope="row">([^<]*)</th><td data-label="[^"]*">([^<]*)</td><td data-label="[^"]*">([^<]*)</td><td data-label="[^"]*">([^<]*)</td><td data-label="n">(\d+)</td>`)

// TestStaffRankingRanksTheUnitsWorkstations: beside its staff, a unit's
// ranking lists the workstations of every hall it runs, ranked among
// themselves over the same quarter (or year), with n beside the index;
// a hall's page ranks only its own (issue 18).
func TestStaffRankingRanksTheUnitsWorkstations(t *testing.T) {
	e := staffEnv(t)
	page := e.login("supervisor", password).get("/console/staff-ranking?unit=" + unitA)
	i := strings.Index(page, `id="station-ranking"`)
	if i < 0 {
		t.Fatalf("no workstation ranking on the unit's staff ranking: %.3000s", page)
	}
	var rows []string
	for _, m := range stationRow.FindAllStringSubmatch(page[i:], -1) {
		rows = append(rows, strings.Join(m[1:], " "))
	}
	got := strings.Join(rows, " | ")
	// Both halls, 5 stars before 4 before 3; 3 reviews are too few; 徐汇区's
	// hall is not 黄浦区's.
	want := `^1号工位 黄浦区行政服务中心 1 \d+\.\d\d 30 \| 2号工位 黄浦区行政服务中心 2 \d+\.\d\d 30 \| 1号窗口1号工位 南京东路街道社区事务受理服务中心 3 \d+\.\d\d 30 \| 3号工位 黄浦区行政服务中心 — 样本不足 3$`
	if !regexp.MustCompile(want).MatchString(got) {
		t.Errorf("workstations %q, want %s", got, want)
	}
	if !regexp.MustCompile(`id="sr-stations-hint">统计期 本季度 \d{4}-(01|04|07|10)-01 – `).MatchString(page) {
		t.Errorf("the workstation ranking does not say it is the quarter's: %.3000s", page[i-1000:])
	}
	year := e.login("supervisor", password).get("/console/staff-ranking?unit=" + unitA + "&period=year&lang=en")
	if !regexp.MustCompile(`id="sr-stations-hint">Period This year \d{4}-01-01 – `).MatchString(year) ||
		!strings.Contains(year, `<th scope="row">Window 1, seat 1</th><td data-label="Hall">Nanjing Road East Community Centre</td><td data-label="Rank">3</td>`) {
		t.Errorf("the year's ranking in English: %.4000s", year[strings.Index(year, `id="sr-stations"`):])
	}
	handler := e.login("handlerB", password).get("/console/staff-ranking")
	if !strings.Contains(handler, `<th scope="row">1号工位</th><td data-label="大厅">徐汇区行政服务中心</td><td data-label="名次">1</td>`) || strings.Contains(handler, "黄浦区行政服务中心") {
		t.Errorf("徐汇区's handler does not see its own workstations, or sees 黄浦区's")
	}
}

func TestStaffRankingAuthority(t *testing.T) {
	e := staffEnv(t)
	for _, c := range []struct {
		who, path string
		want      int
		shows     string
	}{
		{"supervisor", "/console/staff-ranking?unit=" + unitB, 200, "赵六"},
		{"operator", "/console/staff-ranking?unit=" + unitA, 200, "张三"},
		{"handlerA", "/console/staff-ranking", 200, "张三"},
		{"handlerA", "/console/staff-ranking?unit=" + unitA, 200, "张三"},
		{"handlerA", "/console/staff-ranking?unit=" + unitB, 404, ""},
		{"handlerB", "/console/staff-ranking?unit=" + unitA, 404, ""},
		{"handlerB", "/console/staff-ranking", 200, "赵六"},
		{"staff", "/console/staff-ranking?unit=" + unitA, 403, ""},
		{"admin", "/console/staff-ranking?unit=" + unitA, 403, ""},
		{"supervisor", "/console/staff-ranking?unit=nowhere", 422, "unit"},
	} {
		cl := e.login(c.who, password)
		if got := cl.status(c.path); got != c.want {
			t.Errorf("%s GET %s = %d, want %d", c.who, c.path, got, c.want)
			continue
		}
		if c.want != 200 && (strings.Contains(cl.last, "张三") || strings.Contains(cl.last, "赵六")) {
			t.Errorf("%s GET %s refused but shows a staff name", c.who, c.path)
		}
		if c.shows != "" && !strings.Contains(cl.last, c.shows) {
			t.Errorf("%s GET %s does not show %s", c.who, c.path, c.shows)
		}
	}
	if got := e.login("supervisor", password).status("/console/staff-ranking"); got != http.StatusOK {
		t.Errorf("the supervisor's unit picker = %d", got)
	}
}
