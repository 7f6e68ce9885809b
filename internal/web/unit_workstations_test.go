package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/board"
	"github.com/haocha/haocha/internal/intake"
	"github.com/haocha/haocha/internal/recount"
	"github.com/haocha/haocha/internal/review"
)

// unitStation is a demo workstation of a district's hall, with an item
// its hall offers and a stage of that item.
type unitStation struct{ code, hall, name, item, stage string }

// unitStations are the first workstation without reviews of each of the
// first halls (count) that unit runs, each with an item its hall offers.
func unitStations(t *testing.T, unit string, count int) []unitStation {
	t.Helper()
	rows, err := haocha.Store.DB().Query(`SELECT ws.code, h.code, ws.name, MIN(hi.item) FROM workstations ws
		JOIN windows w ON w.code = ws.window_code JOIN halls h ON h.code = w.hall
		JOIN hall_items hi ON hi.hall = h.code
		WHERE h.unit = ? AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.workstation = ws.code)
		GROUP BY ws.code, h.code, ws.name ORDER BY h.code, ws.code`, unit)
	must(t, err)
	var out []unitStation
	for rows.Next() {
		var s unitStation
		must(t, rows.Scan(&s.code, &s.hall, &s.name, &s.item))
		if len(out) == 0 || out[len(out)-1].hall != s.hall {
			out = append(out, s)
		}
	}
	rows.Close()
	if len(out) < count {
		t.Fatalf("unit %s runs %d halls with workstations, want %d", unit, len(out), count)
	}
	out = out[:count]
	for i := range out {
		must(t, haocha.Store.DB().QueryRow("SELECT code FROM stages WHERE item = ? ORDER BY code LIMIT 1", out[i].item).Scan(&out[i].stage))
	}
	return out
}

// reviewsAt gives n reviews of stars at ws from its window's rating
// device (the proof of the visit a workstation's review needs).
func reviewsAt(t *testing.T, ws, it, stage string, n, stars int, device int64) {
	t.Helper()
	in := *haocha.Intake
	in.Limit, in.Detector = review.RateLimit{}, nil
	for range n {
		anonymous := true
		sub := review.Submission{Channel: "window", Workstation: ws, Item: it, Stage: stage, Stars: stars, Anonymous: &anonymous, QRToken: token(ws)}
		_, err := in.Submit(context.Background(), sub, intake.Client{Device: &intake.PairedDevice{ID: device, Workstation: ws}})
		must(t, err)
	}
}

// unitRow is a workstation as the unit page lists it.
type unitRow struct{ rank, name, hall, index, n string }

var unitRowRE = regexp.MustCompile(`<tr(?: class="[^"]*")?><td class="num">([^<]*)</td><th scope="row">([^<]*) <a class="in-hall" href="/halls/([^"]+)">[^<]*</a></th>\s*<td class="wide"><span class="score">([^<]*)</span>.*?</td><td class="num" data-label="(?:评价数|Reviews)">(\d+)</td>`)

// TestUnitRanksWorkstations: a district's page ranks the workstations of
// every hall it runs across those halls, over the quarter by default and
// the year with ?period=year, saying which; only those with reviews in the
// period are listed, the others counted; each with the hall it is in and
// n beside its index; ranked by the shrunk index, so that of two
// workstations with only five-star reviews the one with more ranks first;
// and every rank, index and n is the one the plain-SQL recount of
// `haocha index verify` finds for the unit's workstations (issue 18).
func TestUnitRanksWorkstations(t *testing.T) {
	const unit = "310104"
	ctx := context.Background()
	st := unitStations(t, unit, 2)
	// Two halls: 40 five-star reviews at the first, 35 at the second, and
	// 35 four-star ones at a second workstation of the first hall.
	var second unitStation
	must(t, haocha.Store.DB().QueryRow(`SELECT ws.code, ws.name FROM workstations ws JOIN windows w ON w.code = ws.window_code
		WHERE w.hall = ? AND ws.code > ? AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.workstation = ws.code) ORDER BY ws.code LIMIT 1`, st[0].hall, st[0].code).Scan(&second.code, &second.name))
	second.hall, second.item, second.stage = st[0].hall, st[0].item, st[0].stage
	reviewsAt(t, st[0].code, st[0].item, st[0].stage, 40, 5, 2001)
	reviewsAt(t, st[1].code, st[1].item, st[1].stage, 35, 5, 2002)
	reviewsAt(t, second.code, second.item, second.stage, 35, 4, 2003)
	emptyBoards()

	cal, err := haocha.Store.Calendar(ctx)
	must(t, err)
	var tags []string
	for _, tag := range review.Tags {
		tags = append(tags, string(tag))
	}
	var members int
	must(t, haocha.Store.DB().QueryRow(`SELECT COUNT(*) FROM workstations ws JOIN windows w ON w.code = ws.window_code
		JOIN halls h ON h.code = w.hall WHERE h.unit = ?`, unit).Scan(&members))
	c := newClient(t)
	for _, tc := range []struct {
		path, period, span string
		sp                 board.Span
	}{
		{"/units/" + unit + "?lang=zh&all=1", `id="unit-workstations-period">统计期 本季度 `, "quarter", board.SpanQuarter},
		{"/units/" + unit + "?lang=zh&period=year&all=1", `id="unit-workstations-period">统计期 本年度 `, "year", board.SpanYear},
		{"/units/" + unit + "?lang=en&all=1", `id="unit-workstations-period">Period This quarter `, "quarter", board.SpanQuarter},
	} {
		t.Run(tc.path, func(t *testing.T) {
			from, to := tc.sp.Days(haocha.Store.Now())
			body := c.page(tc.path)
			i := strings.Index(body, `id="unit-workstations-h"`)
			if i < 0 {
				t.Fatal("no workstation ranking on the unit page")
			}
			section := body[i:]
			mustContain(t, section, tc.period+from.Format(time.DateOnly)+" – "+to.Format(time.DateOnly))
			var rows []unitRow
			for _, m := range unitRowRE.FindAllStringSubmatch(section, -1) {
				rows = append(rows, unitRow{m[1], m[2], m[3], m[4], m[5]})
			}
			unlisted := 0
			if m := regexp.MustCompile(`id="unit-workstations-unlisted">(?:另有 )?(\d+)`).FindStringSubmatch(section); m != nil {
				fmt.Sscan(m[1], &unlisted)
			}
			if len(rows) == 0 || len(rows)+unlisted != members {
				t.Fatalf("%d rows and %d said unlisted, want the unit's %d workstations", len(rows), unlisted, members)
			}
			// The plain-SQL recount of the period, as `haocha index verify`
			// does it, restricted to the unit's workstations.
			var def struct {
				Definition recount.Definition `json:"definition"`
			}
			must(t, json.Unmarshal([]byte(c.page("/api/v1/index/definition?period="+to.Format(time.DateOnly))), &def))
			all, err := recount.Recount(ctx, haocha.Store.DB(), recount.Period{Scope: "workstation", From: from, To: to, Now: haocha.Store.Now(),
				Def: def.Definition, Workday: cal.IsWorkday, Tags: tags})
			must(t, err)
			want := map[string]recount.Member{}
			code := map[[2]string]string{} // by hall and name
			for _, r := range rows {
				var ws string
				must(t, haocha.Store.DB().QueryRow(`SELECT ws.code FROM workstations ws JOIN windows w ON w.code = ws.window_code
					WHERE w.hall = ? AND (ws.name = ? OR ws.name_en = ?)`, r.hall, r.name, r.name).Scan(&ws))
				code[[2]string{r.hall, r.name}] = ws
				m, ok := all[ws]
				if !ok {
					t.Errorf("%s (%s) is listed with n = %s, the recount finds no reviews", r.name, ws, r.n)
					continue
				}
				want[ws] = m
			}
			if len(want) != len(rows) {
				t.Fatalf("%d rows, %d of them recounted", len(rows), len(want))
			}
			order := recount.Order(want)
			ranks := recount.Ranks(want, order)
			for i, r := range rows {
				ws := code[[2]string{r.hall, r.name}]
				m := want[ws]
				if r.n == "0" || r.n != fmt.Sprint(m.N()) {
					t.Errorf("%s: n %s, recounted %v", ws, r.n, m.N())
				}
				if order[i] != ws {
					t.Errorf("row %d is %s, the recount puts %s there", i+1, ws, order[i])
				}
				wantRank := "—"
				if ranks[ws] > 0 {
					wantRank = fmt.Sprint(ranks[ws])
				}
				if r.rank != wantRank {
					t.Errorf("%s: rank %s, recounted %s", ws, r.rank, wantRank)
				}
				if x := m.Index(); x != nil && r.index != fmt.Sprintf("%.2f", *x) {
					t.Errorf("%s: index %s, recounted %.2f", ws, r.index, *x)
				}
			}
			// Only five-star reviews at both: the shrunk index puts the one
			// with more of them first; the four-star one after, across halls.
			at := func(ws string) int { return slices.Index(order, ws) }
			if !(at(st[0].code) == 0 && at(st[1].code) == 1 && at(second.code) == 2) {
				t.Errorf("the reviewed workstations stand at %d, %d, %d, want 0, 1, 2", at(st[0].code), at(st[1].code), at(second.code))
			}
			if rows[0].rank != "1" || rows[0].hall != st[0].hall || rows[1].hall != st[1].hall {
				t.Errorf("first rows %v", rows[:2])
			}
			// Without all=1 the page lists the first 10 and says of how many.
			first := c.page(strings.Replace(tc.path, "&all=1", "", 1))
			first = first[strings.Index(first, `id="unit-workstations-h"`):]
			if got := unitRowRE.FindAllStringSubmatch(first, -1); len(rows) > 10 && (len(got) != 10 || got[9][2] != rows[9].name) {
				t.Errorf("the page without all=1 lists %d rows, want the first 10 of %d", len(got), len(rows))
			}
			if len(rows) > 10 {
				mustContain(t, first, fmt.Sprintf(map[bool]string{true: "前 10 个，共 %d 个", false: "The first 10 of %d"}[strings.Contains(tc.path, "zh")], len(rows)),
					`href="/units/`+unit+`?period=`+tc.span+`&amp;all=1#unit-workstation-ranking"`)
			}
		})
	}
}

// TestUnitWithoutHallsHasNoWorkstationRanking: a municipal agency runs no
// hall, so its page has no workstation ranking at all, not an empty one.
func TestUnitWithoutHallsHasNoWorkstationRanking(t *testing.T) {
	var agency string
	must(t, haocha.Store.DB().QueryRow(`SELECT code FROM units WHERE kind = 'agency' AND code NOT IN (SELECT unit FROM halls) ORDER BY code LIMIT 1`).Scan(&agency))
	body := newClient(t).page("/units/" + agency + "?lang=zh")
	mustNotContain(t, body, `id="unit-workstations-h"`, "各大厅工位评价")
}
