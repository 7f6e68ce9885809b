package web_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/alert"
	"github.com/haocha/haocha/internal/board"
	"github.com/haocha/haocha/internal/figures"
	"github.com/haocha/haocha/internal/index"
	"github.com/haocha/haocha/internal/workorder"
)

// recentBoard is the board the pages show now for sc (the same cache).
func recentBoard(t *testing.T, sc index.Scope) board.Board {
	t.Helper()
	from, to := board.Recent(haocha.Store.Now())
	b, err := haocha.Boards.Board(context.Background(), sc, from, to)
	must(t, err)
	return b
}

var rankRowRE = regexp.MustCompile(`(?s)<tr(?: class="unranked")?><td class="num">([^<]*)</td><th scope="row"><a href="/units/([^"]+)">([^<]*)</a></th>\s*<td class="wide"><span class="score">([^<]*)</span>`)

func TestIndexPageRanksDistrictsAndAgencies(t *testing.T) {
	c := newClient(t)
	resp, body := c.get("/")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `href="/index"`) {
		t.Fatalf("the home page does not link to the index page (%d)", resp.StatusCode)
	}
	resp, body = c.get("/index")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /index: %d", resp.StatusCode)
	}
	districts := recentBoard(t, index.District)
	section := body[strings.Index(body, `id="district-ranking"`):strings.Index(body, `id="agency-ranking"`)]
	rows := rankRowRE.FindAllStringSubmatch(section, -1)
	if len(rows) != 16 {
		t.Fatalf("%d districts in the ranking, want 16", len(rows))
	}
	for i, e := range append(districts.Ranked, districts.Insufficient...) {
		want := []string{fmt.Sprint(e.Rank), e.Code, e.Name, "样本不足"}
		if e.Index != nil {
			want[3] = fmt.Sprintf("%.2f", *e.Index)
		} else {
			want[0] = "—"
		}
		if d := strings.Join(rows[i][1:], " "); d != strings.Join(want, " ") {
			t.Errorf("row %d: %s, want %s", i+1, d, strings.Join(want, " "))
		}
	}
	// The map: 16 tiles, and every district in its table.
	// The definition is the one of the board's period (V3 from 2026-12-06).
	version := fmt.Sprintf("指标定义第 %d 版", districts.Ranked[0].Version)
	mustContain(t, body, "示意图", version, `<svg class="chart tiles" viewBox="0 0 600 600"`)
	if n := strings.Count(body, `height="94" rx="6"`); n != 16 {
		t.Errorf("%d tiles drawn, want 16", n)
	}
	agencies := recentBoard(t, index.Agency)
	if got := len(rankRowRE.FindAllStringSubmatch(body[strings.Index(body, `id="agency-ranking"`):], -1)); got != len(agencies.Ranked)+len(agencies.Insufficient) {
		t.Errorf("%d departments listed, want %d", got, len(agencies.Ranked)+len(agencies.Insufficient))
	}
}

// TestIndexPageShowsTheCentre: /index shows the 12345 centre's own
// figures, the centre's board's, in both languages (issue 18).
func TestIndexPageShowsTheCentre(t *testing.T) {
	c := newClient(t)
	centre := recentBoard(t, index.Centre).Ranked[0].Indicators
	if centre.WorkOrders == 0 || centre.UndispatchedLate == nil || *centre.UndispatchedLate == 0 {
		t.Fatalf("the demo's centre has %d orders due, %v late: the test shows nothing", centre.WorkOrders, centre.UndispatchedLate)
	}
	_, zh := c.get("/index?lang=zh")
	mustContain(t, zh, "<h2 id=\"centre-h\">12345市民服务热线</h2>", fmt.Sprintf(`id="centre-orders">%d<`, centre.WorkOrders),
		fmt.Sprintf(`id="centre-late">%d <small>`, *centre.UndispatchedLate), `id="centre-redispatch">`+figures.Rate(centre.RedispatchRate)+"<")
	_, en := c.get("/index?lang=en")
	mustContain(t, en, "The 12345 citizen service hotline", "Dispatched late", "Re-dispatch rate")
}

func TestUnitAndItemPagesShowTheirIndex(t *testing.T) {
	c := newClient(t)
	districts := recentBoard(t, index.District)
	top := districts.Ranked[0]
	_, body := c.get("/units/" + top.Code)
	mustContain(t, body, fmt.Sprintf(`id="score-index">%.2f <small>n = %d</small>`, *top.Index, top.N),
		fmt.Sprintf(`id="score-rank" class="smaller">第 1 名，共 %d 个区`, len(districts.Ranked)),
		"好评率（4–5 星）月度趋势", "差评率（1–2 星）月度趋势", "与全市比较", `<th scope="col">全市</th>`)
	// Twelve months in each trend table, the current one last.
	months, err := haocha.Boards.Months(context.Background(), index.District, top.Code, haocha.Store.Now(), 12)
	must(t, err)
	last := months[11].From
	mustContain(t, body, fmt.Sprintf(`<th scope="row">%d年%d月</th>`, last.Year(), last.Month()))

	// An item with few reviews: no index, no rank, and the reason.
	items := recentBoard(t, index.Item)
	if len(items.Insufficient) == 0 {
		t.Fatal("the demo has no item under the minimum sample")
	}
	few := items.Insufficient[len(items.Insufficient)-1]
	_, body = c.get("/items/" + few.Code)
	mustContain(t, body, fmt.Sprintf(`id="score-index">样本不足 <small>n = %d</small>`, few.N), `id="score-insufficient">样本不足：评价数少于 30 条`, `id="score-rank" class="smaller">未排名`)
}

func TestDashboardIsTheSupervisorsLandingPage(t *testing.T) {
	staffAccount(t, "dash-supervisor", account.Supervisor, "")
	staffAccount(t, "dash-handler", account.Handler, "310101")
	c := newClient(t)
	resp, _ := c.get("/console/dashboard")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/console/login") {
		t.Errorf("without a session: %d %s, want the login page", resp.StatusCode, resp.Header.Get("Location"))
	}
	c.login("dash-supervisor")
	resp, _ = c.get("/console/")
	if loc := resp.Header.Get("Location"); loc != "/console/dashboard" {
		t.Errorf("the supervisor lands on %q", loc)
	}
	resp, body := c.get("/console/dashboard")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("dashboard: %d", resp.StatusCode)
	}
	// The counts link to the lists they count.
	for _, f := range []struct {
		id, list string
		filter   workorder.Filter
	}{
		{"dash-overdue", "/console/orders?view=open&amp;overdue=1", workorder.Filter{Open: true, Overdue: true}},
		{"dash-escalated", "/console/orders?view=open&amp;escalated=1", workorder.Filter{Open: true, Escalated: true}},
	} {
		n, err := haocha.Store.CountOrders(context.Background(), f.filter)
		must(t, err)
		if n == 0 {
			t.Errorf("%s: the demo has no such orders to show", f.id)
		}
		mustContain(t, body, fmt.Sprintf(`<a href="%s" id="%s"><strong>%d</strong>`, f.list, f.id, n))
		_, list := c.get(strings.ReplaceAll(f.list, "&amp;", "&"))
		if got := strings.Count(list, `<a href="/console/orders/`); int64(got) != n {
			t.Errorf("%s: the list shows %d orders, the dashboard %d", f.id, got, n)
		}
	}
	mustContain(t, body, "全市概况", "各区评价指数排名", "红榜", "黑榜", "全市好评率（4–5 星）")
	// The demo's planted concentrations are open alerts, counted and linked.
	open, err := haocha.Store.CountAlerts(context.Background(), alert.Open)
	must(t, err)
	if open == 0 {
		t.Error("the demo has no open alert to show")
	}
	mustContain(t, body, fmt.Sprintf(`<a href="/console/alerts" id="dash-alerts"><strong>%d</strong>`, open))

	h := newClient(t)
	h.login("dash-handler")
	if resp, _ := h.get("/console/dashboard"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a unit handler gets %d, want 403", resp.StatusCode)
	}
}

// login signs the client in to the console.
func (c *client) login(name string) {
	c.t.Helper()
	tok := c.openForm("/console/login")
	resp, _ := c.post("/console/login", map[string][]string{"csrf": {tok}, "name": {name}, "password": {consolePassword}, "next": {"/console/"}})
	if resp.StatusCode != http.StatusSeeOther {
		c.t.Fatalf("log in as %s: %d", name, resp.StatusCode)
	}
}
