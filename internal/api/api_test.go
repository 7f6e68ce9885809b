package api_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/haocha/haocha/internal/api"
	"github.com/haocha/haocha/internal/api/apitest"
	"github.com/haocha/haocha/internal/intake"
	"github.com/haocha/haocha/internal/route"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/store/storetest"
)

func newServer(tb testing.TB) (*store.Store, http.Handler) {
	tb.Helper()
	return newServerOn(tb, storetest.SQLiteDSN(tb))
}

func newServerOn(tb testing.TB, dsn string) (*store.Store, http.Handler) {
	tb.Helper()
	st := storetest.OpenFixture(tb, dsn)
	mux := route.NewMux()
	in := &intake.Service{Store: st, Salt: []byte("test")}
	(&api.API{Store: st, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Intake: in}).Register(mux)
	return st, apitest.Check(tb, mux)
}

func do(h http.Handler, method, target, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func rows(t *testing.T, st *store.Store, table string) int {
	t.Helper()
	var n int
	if err := st.DB().QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// valid is a good review; each bad case below breaks one thing in it.
const valid = `{"channel":"window","item":"GA-001","stage":"acceptance","workstation":"H1-W1-1","stars":4,
"dimensions":{"accuracy":4,"efficiency":5,"convenience":4,"innovation":3},"anonymous":true}`

func with(field, value string) string {
	var m map[string]any
	json.Unmarshal([]byte(valid), &m)
	if value == "" {
		delete(m, field)
	} else {
		var v any
		if err := json.Unmarshal([]byte(value), &v); err != nil {
			panic(err)
		}
		m[field] = v
	}
	b, _ := json.Marshal(m)
	return string(b)
}

func TestCreateReviewRefusesBadInput(t *testing.T) {
	st, h := newServer(t)
	tests := []struct {
		name   string
		body   string
		status int
		field  string
	}{
		{"malformed JSON", `{"channel":"pc",`, 400, "body"},
		{"not an object", `[1,2]`, 400, ""},
		{"empty body", ``, 400, "body"},
		{"two objects", valid + valid, 400, "body"},
		{"oversized body", with("comment", `"`+strings.Repeat("长", 30000)+`"`), 400, "body"},
		{"unknown field", with("colour", `"red"`), 400, "colour"},
		{"stars of the wrong type", with("stars", `"five"`), 400, "stars"},
		{"missing channel", with("channel", ""), 422, "channel"},
		{"unknown channel", with("channel", `"fax"`), 422, "channel"},
		{"missing item", with("item", ""), 422, "item"},
		{"unknown item", with("item", `"NOPE-1"`), 422, "item"},
		{"missing stage", with("stage", ""), 422, "stage"},
		{"stage of another item", with("stage", `"delivery"`), 422, "stage"},
		{"missing stars", with("stars", ""), 422, "stars"},
		{"zero stars", with("stars", `0`), 422, "stars"},
		{"six stars", with("stars", `6`), 422, "stars"},
		{"window without workstation", with("workstation", ""), 422, "workstation"},
		{"unknown workstation", with("workstation", `"H9-W9-9"`), 422, "workstation"},
		{"unknown unit", with("unit", `"NOPE"`), 422, "unit"},
		{"dimension out of range", with("dimensions", `{"accuracy":9}`), 422, "dimensions.accuracy"},
		{"unknown dimension", with("dimensions", `{"beauty":3}`), 422, "dimensions.beauty"},
		{"unknown tag", with("tags", `["rude"]`), 422, "tags"},
		{"unknown reviewer kind", with("reviewer_kind", `"robot"`), 422, "reviewer_kind"},
		{"missing anonymous", with("anonymous", ""), 422, "anonymous"},
		{"control character in comment", with("comment", `"ok\u001b[2Jgone"`), 422, "comment"},
		{"unclosed bidi override in comment", with("comment", `"fine \u202Eevil"`), 422, "comment"},
		{"line break in transaction", with("transaction", `"BJ1\nBJ2"`), 422, "transaction"},
		{"real name without name", with("anonymous", `false`), 422, "name"},
		{"real name without phone", strings.Replace(with("anonymous", `false`), `{`, `{"name":"李雷",`, 1), 422, "phone"},
		{"real name with a bad phone", strings.Replace(with("anonymous", `false`), `{`, `{"name":"李雷","phone":"12ab",`, 1), 422, "phone"},
		{"comment too long", with("comment", `"`+strings.Repeat("a", 2001)+`"`), 422, "comment"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(h, "POST", "/api/v1/reviews", tt.body)
			if rec.Code != tt.status {
				t.Errorf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			var e struct{ Error, Field string }
			if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error == "" {
				t.Errorf("body %q is not {\"error\":...}", rec.Body)
			}
			if tt.field != "" && e.Field != tt.field {
				t.Errorf("field %q, want %q (%s)", e.Field, tt.field, e.Error)
			}
		})
	}
	if n := rows(t, st, "reviews"); n != 0 {
		t.Errorf("%d reviews stored from bad input, want none", n)
	}
}

func TestCreateReview(t *testing.T) {
	st, h := newServer(t)
	tests := []struct {
		name      string
		body      string
		workOrder bool
	}{
		{"good review at a workstation", valid, false},
		{"three stars online", `{"channel":"pc","item":"GA-001","stage":"decision","stars":3,"comment":"还行","anonymous":true}`, false},
		{"bad review without a problem named", `{"channel":"app","item":"GA-001","stage":"decision","stars":2,"anonymous":true}`, false},
		{"bad review with a comment", `{"channel":"app","item":"GA-001","stage":"decision","stars":2,"comment":"等了两小时","anonymous":true}`, true},
		{"bad review with a tag", `{"channel":"wechat","item":"SCJG-001","stage":"application","stars":1,"tags":["multiple_trips"],"anonymous":true}`, true},
		{"real-name bad review", `{"channel":"window","workstation":"H1-W1-2","item":"SCJG-001","stage":"application","stars":1,"comment":"材料反复要","anonymous":false,"name":"韩梅梅","phone":"138 0000 2222","reviewer_kind":"business","transaction":"BJ-9"}`, true},
	}
	for _, tt := range tests {
		rec := do(h, "POST", "/api/v1/reviews", tt.body)
		if rec.Code != http.StatusCreated {
			t.Fatalf("%s: status %d: %s", tt.name, rec.Code, rec.Body)
		}
		var resp struct {
			ID        string
			WorkOrder *string `json:"work_order"`
			FollowUp  string  `json:"follow_up"`
		}
		json.Unmarshal(rec.Body.Bytes(), &resp)
		if resp.ID == "" || (resp.WorkOrder != nil) != tt.workOrder || (resp.FollowUp != "") != tt.workOrder {
			t.Errorf("%s: answer %s, want a work order: %v", tt.name, rec.Body, tt.workOrder)
		}
	}
	if n := rows(t, st, "work_orders"); n != 3 {
		t.Errorf("work orders = %d, want 3", n)
	}
	// The same transaction and stage again is refused and stores nothing.
	before := rows(t, st, "reviews")
	rec := do(h, "POST", "/api/v1/reviews", tests[len(tests)-1].body)
	if rec.Code != http.StatusConflict || !strings.Contains(rec.Body.String(), `"field":"transaction"`) {
		t.Errorf("repeat: status %d %s, want 409 naming transaction", rec.Code, rec.Body)
	}
	if rows(t, st, "reviews") != before {
		t.Error("the refused repeat was stored")
	}
	// The workstation's hall decides the unit and district; the staff is recorded.
	var unit, district, staff string
	st.DB().QueryRow("SELECT unit, district, staff FROM reviews WHERE workstation = 'H1-W1-1'").Scan(&unit, &district, &staff)
	if unit != "310101" || district != "310101" || staff != "S1" {
		t.Errorf("workstation review resolved to unit %q district %q staff %q", unit, district, staff)
	}
}

func TestStatsAPI(t *testing.T) {
	_, h := newServer(t)
	for _, b := range []string{
		valid,
		`{"channel":"app","item":"GA-001","stage":"decision","stars":2,"comment":"慢","anonymous":true}`,
		`{"channel":"pc","item":"SCJG-001","stage":"decision","stars":5,"anonymous":true}`,
	} {
		if rec := do(h, "POST", "/api/v1/reviews", b); rec.Code != 201 {
			t.Fatalf("seed review: %d %s", rec.Code, rec.Body)
		}
	}
	tests := []struct {
		query      string
		status     int
		total, bad int
		field      string
	}{
		{"", 200, 3, 1, ""},
		{"?agency=GA", 200, 1, 1, ""},
		{"?item=GA-001", 200, 2, 1, ""},
		{"?district=310101", 200, 1, 0, ""},
		{"?item=GA-001&stage=decision", 200, 1, 1, ""},
		{"?district=310101&channel=window", 200, 1, 0, ""},
		// Filters the rollups do not pair are refused, naming the later
		// one in the API's order, before any review is read.
		{"?channel=app&stage=decision", 422, 0, 0, "channel"},
		{"?workstation=H1-W1-1&hall=H1", 422, 0, 0, "workstation"},
		{"?unit=GA&item=GA-001&stage=decision", 422, 0, 0, "stage"},
		{"?agency=GA&unit=GA", 422, 0, 0, "unit"},
		{"?staff=S1&channel=window", 422, 0, 0, "staff"},
		// A staff member's results are for staff roles (TestPublicSurface in
		// internal/app logs in).
		{"?staff=S1&from=2026-07-21", 401, 0, 0, "staff"},
		{"?unit=SCJG&from=2026-07-21&to=2026-07-21", 200, 1, 0, ""},
		{"?from=2026-07-22", 200, 0, 0, ""},
		{"?agency=310101", 422, 0, 0, "agency"},
		{"?district=GA", 422, 0, 0, "district"},
		{"?item=NOPE", 422, 0, 0, "item"},
		{"?channel=fax", 422, 0, 0, "channel"},
		{"?from=21/07/2026", 422, 0, 0, "from"},
		{"?from=2026-07-22&to=2026-07-21", 422, 0, 0, "to"},
	}
	for _, tt := range tests {
		rec := do(h, "GET", "/api/v1/stats"+tt.query, "")
		if rec.Code != tt.status {
			t.Errorf("%s: status %d, want %d: %s", tt.query, rec.Code, tt.status, rec.Body)
			continue
		}
		var s struct {
			Total, Bad int
			Field      string
			Stars      map[string]int
			Dimensions map[string]float64
		}
		json.Unmarshal(rec.Body.Bytes(), &s)
		if tt.status == 200 && (s.Total != tt.total || s.Bad != tt.bad || len(s.Stars) != 5 || len(s.Dimensions) != 4) {
			t.Errorf("%s: %s, want total %d bad %d", tt.query, rec.Body, tt.total, tt.bad)
		}
		if s.Field != tt.field {
			t.Errorf("%s: field %q, want %q", tt.query, s.Field, tt.field)
		}
	}
}

func TestCatalogAPI(t *testing.T) {
	_, h := newServer(t)
	tests := []struct {
		path, want string
		status     int
	}{
		{"/api/v1/units?kind=agency", `"code":"GA"`, 200},
		{"/api/v1/units?kind=planet", `"field":"kind"`, 422},
		{"/api/v1/items?unit=SCJG", `"SCJG-001"`, 200},
		{"/api/v1/items?q=身份证", `"GA-001"`, 200},
		{"/api/v1/items/GA-001", `"code":"acceptance"`, 200},
		{"/api/v1/workstations/H1-W1-1", `"name":"1号工位"`, 200},
		{"/api/v1/workstations/NOPE", `"field":"workstation"`, 404},
		{"/healthz", `"ok"`, 200},
	}
	for _, tt := range tests {
		rec := do(h, "GET", tt.path, "")
		if rec.Code != tt.status || !strings.Contains(rec.Body.String(), tt.want) {
			t.Errorf("%s: %d %s, want %d with %s", tt.path, rec.Code, rec.Body, tt.status, tt.want)
		}
		// Who sits at a workstation is not told to the public.
		if strings.Contains(rec.Body.String(), "王芳") {
			t.Errorf("%s: the staff member's name is public: %s", tt.path, rec.Body)
		}
	}
}
