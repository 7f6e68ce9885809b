package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/api"
	"github.com/haocha/haocha/internal/calendar"
)

// indexServer holds 30 five-star reviews at Huangpu's hall (district and
// unit 310101) and 3 one-star reviews of the Public Security Bureau online
// (unit GA, no district, no comment so no work order), all on 21 July.
func indexServer(t *testing.T) http.Handler {
	t.Helper()
	_, h := newServer(t)
	post := func(body string) {
		if rec := do(h, "POST", "/api/v1/reviews", body); rec.Code != http.StatusCreated {
			t.Fatalf("review: %d %s", rec.Code, rec.Body)
		}
	}
	for range 30 {
		post(`{"channel":"window","item":"GA-001","stage":"acceptance","workstation":"H1-W1-1","stars":5,"anonymous":true}`)
	}
	for range 3 {
		post(`{"channel":"pc","item":"GA-001","stage":"application","unit":"GA","stars":1,"anonymous":true}`)
	}
	return h
}

func TestIndexRanking(t *testing.T) {
	h := indexServer(t)
	rec := do(h, "GET", "/api/v1/index?scope=district&from=2026-07-21&to=2026-07-21", "")
	if rec.Code != http.StatusOK {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	var b api.IndexBoard
	if err := json.Unmarshal(rec.Body.Bytes(), &b); err != nil {
		t.Fatal(err)
	}
	// The city: 33 reviews, 1:3 5:30, average 153/33 = 4.636364, S =
	// 0.909091, B = 3/33 = 0.090909. Huangpu: 30 five-star reviews, S = 1,
	// B = 0, shrunk: S = (30 + 30·0.909091)/60 = 0.954545, B =
	// 30·0.090909/60 = 0.045455; no orders, R = F = T = 1.
	// I = 100 × (0.4·0.954545 + 0.2·0.954545 + 0.4) = 97.27.
	if len(b.Entries) != 1 || b.Entries[0].Code != "310101" || b.Entries[0].Index == nil || *b.Entries[0].Index != 97.27 ||
		b.Entries[0].N != 30 || b.Entries[0].Rank != 1 || b.Entries[0].Name != "黄浦区" {
		t.Fatalf("ranked %+v, want 310101 黄浦区 first with 97.27 over n = 30", b.Entries)
	}
	if len(b.InsufficientSample) != 1 || b.InsufficientSample[0].Code != "310104" || b.InsufficientSample[0].Index != nil {
		t.Errorf("insufficient sample %+v, want Xuhui without an index", b.InsufficientSample)
	}
	if b.DefinitionVersion != 1 || b.Entries[0].Version != 1 {
		t.Errorf("definition version %d / %d, want 1", b.DefinitionVersion, b.Entries[0].Version)
	}
	// The raw JSON carries the contract's names: a null index beside
	// insufficient_sample, and the indicators by their snake_case names.
	var raw struct {
		Insufficient []map[string]any `json:"insufficient_sample"`
		Entries      []struct {
			Indicators map[string]any `json:"indicators"`
		} `json:"entries"`
	}
	json.Unmarshal(rec.Body.Bytes(), &raw)
	if v, ok := raw.Insufficient[0]["index"]; !ok || v != nil || raw.Insufficient[0]["insufficient_sample"] != true {
		t.Errorf("insufficient entry %v, want index null and insufficient_sample true", raw.Insufficient[0])
	}
	for _, name := range []string{"satisfaction_rate", "good_rate", "bad_rate", "active_good_rate", "on_time_reply_rate",
		"first_contact_on_time_rate", "real_name_reply_rate", "rectification_rate", "follow_up_satisfaction_rate", "redispatch_rate"} {
		if _, ok := raw.Entries[0].Indicators[name]; !ok {
			t.Errorf("indicator %s missing", name)
		}
	}
}

func TestIndicators(t *testing.T) {
	h := indexServer(t)
	tests := []struct {
		target       string
		code         int
		field        string
		n            int64
		insufficient bool
		badRate      float64
	}{
		{"/api/v1/indicators?scope=agency&code=GA&from=2026-07-21&to=2026-07-21", 200, "", 3, true, 1},
		{"/api/v1/indicators?scope=agency&code=SCJG&from=2026-07-01&to=2026-07-31", 200, "", 0, true, 0},
		{"/api/v1/indicators?scope=city&from=2026-07-21&to=2026-07-21", 200, "", 33, false, 0.0909},
		{"/api/v1/indicators?scope=hall&code=H1&from=2026-07-21&to=2026-07-21", 200, "", 30, false, 0},
		{"/api/v1/indicators?scope=agency&code=NOPE", 422, "code", 0, false, 0},
		{"/api/v1/indicators?scope=agency", 422, "code", 0, false, 0},
		{"/api/v1/indicators?scope=staff&code=S1", 422, "scope", 0, false, 0},
		{"/api/v1/index?scope=staff", 422, "scope", 0, false, 0},
		{"/api/v1/index", 422, "scope", 0, false, 0},
		{"/api/v1/index?scope=planet", 422, "scope", 0, false, 0},
		{"/api/v1/index?scope=hall&from=21-07-2026", 422, "from", 0, false, 0},
		{"/api/v1/index?scope=hall&from=2026-07-22&to=2026-07-21", 422, "to", 0, false, 0},
		{"/api/v1/indicators?scope=city&from=2025-07-21&to=2026-07-21", 200, "", 33, false, 0.0909}, // a year
		{"/api/v1/index?scope=city&from=2025-07-20&to=2026-07-21", 422, "from", 0, false, 0},
		{"/api/v1/indicators?scope=city&from=2020-01-01&to=2026-07-21", 422, "from", 0, false, 0},
	}
	for _, tc := range tests {
		rec := do(h, "GET", tc.target, "")
		if rec.Code != tc.code {
			t.Errorf("%s: %d %s, want %d", tc.target, rec.Code, rec.Body, tc.code)
			continue
		}
		if tc.field != "" {
			var e struct{ Field string }
			if json.Unmarshal(rec.Body.Bytes(), &e); e.Field != tc.field {
				t.Errorf("%s: error %s, want field %s", tc.target, rec.Body, tc.field)
			}
			continue
		}
		var got api.ScopeIndicators
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		bad := 0.0
		if got.Indicators.BadRate != nil {
			bad = *got.Indicators.BadRate
		}
		if got.N != tc.n || got.InsufficientSample != tc.insufficient || bad != tc.badRate || got.Version != 1 {
			t.Errorf("%s: n %d insufficient %v bad rate %v version %d, want %d %v %v 1", tc.target, got.N, got.InsufficientSample, bad, got.Version, tc.n, tc.insufficient, tc.badRate)
		}
	}
}

// Halls are ranked within their district; a parent that is not a district,
// or a scope that has no parent, is refused naming the field.
func TestHallsWithinDistrict(t *testing.T) {
	h := indexServer(t)
	board := func(query string) api.IndexBoard {
		t.Helper()
		rec := do(h, "GET", "/api/v1/index?scope=hall&from=2026-07-21&to=2026-07-21"+query, "")
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", query, rec.Code, rec.Body)
		}
		var b api.IndexBoard
		if err := json.Unmarshal(rec.Body.Bytes(), &b); err != nil {
			t.Fatal(err)
		}
		return b
	}
	if b := board("&district=310101"); len(b.Entries) != 1 || b.Entries[0].Code != "H1" || b.Entries[0].N != 30 || b.Parent != "310101" {
		t.Errorf("halls of Huangpu: %+v, want H1 ranked with n = 30", b.Entries)
	}
	if b := board("&district=310104"); len(b.Entries)+len(b.InsufficientSample) != 0 {
		t.Errorf("halls of Xuhui: %+v %+v, want none (H1 is in Huangpu)", b.Entries, b.InsufficientSample)
	}
	for _, q := range []string{"scope=hall&district=GA", "scope=hall&district=nowhere", "scope=unit&district=310101", "scope=staff&district=310101"} {
		rec := do(h, "GET", "/api/v1/index?"+q, "")
		want := "district"
		if q == "scope=staff&district=310101" {
			want = "scope" // staff results stay off the public API
		}
		if rec.Code != http.StatusUnprocessableEntity && rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), want) {
			t.Errorf("%s: %d %s, want 4xx naming %s", q, rec.Code, rec.Body, want)
		}
	}
}

// TestIndexNamesInEnglish: the index and indicators keep the Chinese name
// and add name_en where the member has one (issue 19), and leave it out
// where it has none (the hall H1).
func TestIndexNamesInEnglish(t *testing.T) {
	h := indexServer(t)
	rec := do(h, "GET", "/api/v1/index?scope=district&from=2026-07-21&to=2026-07-21", "")
	var b struct {
		Entries, InsufficientSample []map[string]any
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &b); err != nil {
		t.Fatal(err)
	}
	if len(b.Entries) == 0 || b.Entries[0]["name"] != "黄浦区" || b.Entries[0]["name_en"] != "Huangpu District" {
		t.Errorf("district board %s, want 黄浦区 with name_en Huangpu District", rec.Body)
	}
	for target, want := range map[string]any{
		"/api/v1/indicators?scope=agency&code=GA&from=2026-07-21&to=2026-07-21":   "Public Security Bureau",
		"/api/v1/indicators?scope=agency&code=SCJG&from=2026-07-01&to=2026-07-31": "Market Regulation", // no reviews in the period
		"/api/v1/indicators?scope=hall&code=H1&from=2026-07-21&to=2026-07-21":     nil,                 // no English name
	} {
		rec := do(h, "GET", target, "")
		var m map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
			t.Fatal(err)
		}
		if m["name_en"] != want || m["name"] == "" {
			t.Errorf("%s: name %v, name_en %v, want name_en %v", target, m["name"], m["name_en"], want)
		}
	}
}

// TestCentreBoard: the 12345 centre has a board of its own, one member
// with its own figures; an order the operators left undispatched past its
// deadline is late there, and the rated unit's entry does not carry it
// (issue 18).
func TestCentreBoard(t *testing.T) {
	h := undispatchedOrder(t, `"channel":"pc","unit":"GA"`)
	get := func(target string) map[string]any {
		t.Helper()
		rec := do(h, "GET", target, "")
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", target, rec.Code, rec.Body)
		}
		var b struct {
			Entries      []map[string]any `json:"entries"`
			Insufficient []map[string]any `json:"insufficient_sample"`
		}
		json.Unmarshal(rec.Body.Bytes(), &b)
		if all := append(b.Entries, b.Insufficient...); len(all) > 0 {
			return all[0]
		}
		t.Fatalf("%s: no members: %s", target, rec.Body)
		return nil
	}
	centre := get("/api/v1/index?scope=centre&from=2026-07-20&to=2026-07-24")
	in := centre["indicators"].(map[string]any)
	if centre["code"] != "12345" || centre["index"] != nil || centre["insufficient_sample"] != false ||
		in["undispatched_late"] != 1.0 || in["work_orders"] != 1.0 || in["rectification_rate"] != nil {
		t.Errorf("centre entry %v", centre)
	}
	unit := get("/api/v1/index?scope=agency&from=2026-07-20&to=2026-07-24")
	if _, ok := unit["indicators"].(map[string]any)["undispatched_late"]; ok || unit["code"] != "GA" {
		t.Errorf("the unit's entry carries the centre's undispatched_late: %v", unit)
	}
	if rec := do(h, "GET", "/api/v1/indicators?scope=centre&from=2026-07-20&to=2026-07-24", ""); rec.Code != http.StatusOK ||
		!strings.Contains(rec.Body.String(), `"undispatched_late":1`) {
		t.Errorf("indicators of the centre: %d %s", rec.Code, rec.Body)
	}
}

// undispatchedOrder is a server with one bad review of GA-001 with a
// comment, given on Monday 20 July 09:00 where names says, whose work
// order was never dispatched: it is Friday 24 July.
func undispatchedOrder(t *testing.T, where string) http.Handler {
	t.Helper()
	st, h := newServer(t)
	opened := time.Date(2026, 7, 20, 9, 0, 0, 0, calendar.Zone)
	st.Now = func() time.Time { return opened }
	if rec := do(h, "POST", "/api/v1/reviews", `{`+where+`,"item":"GA-001","stage":"application","stars":1,
		"comment":"材料要了三次","anonymous":true}`); rec.Code != http.StatusCreated {
		t.Fatalf("review: %d %s", rec.Code, rec.Body)
	}
	st.Now = func() time.Time { return opened.AddDate(0, 0, 4) }
	return h
}

// TestBoardsListOnlyReviewedMembers: a hall, workstation or item whose
// only figure in the period is a work order due in it (its review came the
// day before) has no n to stand beside a score and is not listed, as the
// documentation says; districts and units are listed whatever (issue 18).
func TestBoardsListOnlyReviewedMembers(t *testing.T) {
	h := undispatchedOrder(t, `"channel":"window","workstation":"H1-W1-1"`)
	// The order's dispatch deadline is Tuesday 21 July: it falls in the
	// period, the review does not.
	for _, sc := range []string{"hall", "window", "workstation", "item", "stage", "channel"} {
		rec := do(h, "GET", "/api/v1/index?scope="+sc+"&from=2026-07-21&to=2026-07-24", "")
		var b api.IndexBoard
		if err := json.Unmarshal(rec.Body.Bytes(), &b); err != nil || rec.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", sc, rec.Code, rec.Body)
		}
		for _, e := range append(b.Entries, b.InsufficientSample...) {
			t.Errorf("%s board lists %s with n = %d", sc, e.Code, e.N)
		}
	}
	rec := do(h, "GET", "/api/v1/index?scope=district&from=2026-07-21&to=2026-07-24", "")
	if !strings.Contains(rec.Body.String(), `"code":"310101"`) {
		t.Errorf("the district board leaves out a district without reviews: %s", rec.Body)
	}
}
