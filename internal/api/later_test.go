package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/store/storetest"
)

// TestLaterReviewAPI: POST /api/v1/reviews with later_review takes one
// later review (追评) per transaction and stage within the window after
// the first, answers the first's id in follows, refuses the rest naming
// the field, and the statistics count the latest opinion only.
func TestLaterReviewAPI(t *testing.T) {
	st, h := newServer(t)
	review := func(txn string, stars int, comment string, later bool) string {
		b, _ := json.Marshal(map[string]any{"channel": "app", "item": "GA-001", "stage": "acceptance", "stars": stars,
			"comment": comment, "anonymous": true, "transaction": txn, "later_review": later})
		return string(b)
	}
	type answer struct {
		ID        string  `json:"id"`
		WorkOrder *string `json:"work_order"`
		Follows   string  `json:"follows"`
	}
	post := func(body string, want int) answer {
		t.Helper()
		rec := do(h, "POST", "/api/v1/reviews", body)
		if rec.Code != want {
			t.Fatalf("%s: status %d %s, want %d", body, rec.Code, rec.Body, want)
		}
		var a answer
		json.Unmarshal(rec.Body.Bytes(), &a)
		return a
	}
	first := post(review("BJ-L1", 2, "窗口让我跑了三趟", false), http.StatusCreated)
	post(review("BJ-L2", 5, "", false), http.StatusCreated)
	later := post(review("BJ-L1", 4, "第二次很顺利", true), http.StatusCreated)
	if later.Follows != first.ID || later.WorkOrder != nil {
		t.Errorf("later review answered %+v, want follows %s and no work order", later, first.ID)
	}
	st.Now = func() time.Time { return storetest.Now.Add(15 * 24 * time.Hour) }
	refusals := []struct {
		name, body string
		status     int
		field      string
	}{
		{"a second later review", review("BJ-L1", 1, "又不行了", true), http.StatusConflict, "later_review"},
		{"no first review", review("BJ-NONE", 1, "", true), http.StatusUnprocessableEntity, "later_review"},
		{"after the window", review("BJ-L2", 1, "证件有误", true), http.StatusUnprocessableEntity, "later_review"},
		{"no transaction", review("", 3, "", true), http.StatusUnprocessableEntity, "transaction"},
	}
	before := rows(t, st, "reviews")
	for _, tt := range refusals {
		rec := do(h, "POST", "/api/v1/reviews", tt.body)
		if rec.Code != tt.status || !strings.Contains(rec.Body.String(), `"field":"`+tt.field+`"`) {
			t.Errorf("%s: %d %s, want %d naming %s", tt.name, rec.Code, rec.Body, tt.status, tt.field)
		}
	}
	if rows(t, st, "reviews") != before {
		t.Error("a refused later review was stored")
	}
	// The latest opinions: BJ-L1's 4 stars and BJ-L2's 5; the first 2 stars
	// is kept but counts no more.
	rec := do(h, "GET", "/api/v1/stats?item=GA-001&stage=acceptance", "")
	var stats struct {
		Total int64            `json:"total"`
		Stars map[string]int64 `json:"stars"`
	}
	json.Unmarshal(rec.Body.Bytes(), &stats)
	if stats.Total != 2 || stats.Stars["2"] != 0 || stats.Stars["4"] != 1 || stats.Stars["5"] != 1 {
		t.Errorf("stats %s, want the two latest opinions (4 and 5 stars)", rec.Body)
	}
	if n := rows(t, st, "reviews"); n != 3 {
		t.Errorf("%d reviews stored, want 3 (none deleted)", n)
	}
}
