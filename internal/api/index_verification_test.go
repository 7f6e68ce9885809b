package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/api"
	"github.com/haocha/haocha/internal/api/apitest"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/intake"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/route"
	"github.com/haocha/haocha/internal/store/storetest"
)

// An unverified one-star flood of a district, spread over 40 addresses,
// its items and three online channels (issue 16): each review is taken
// (201) and stored unverified, yet the district's, the unit's and each
// item's index on GET /api/v1/index stay where they were under definition
// version 3, which weighs unverified reviews 0. An administrator who sets
// unverified_weight to 1 sees the flood count.
func TestUnverifiedFloodLeavesTheV3Boards(t *testing.T) {
	ctx := context.Background()
	st := storetest.OpenFixture(t, storetest.SQLiteDSN(t))
	now := time.Date(2026, 12, 10, 10, 0, 0, 0, calendar.Zone)
	st.Now = func() time.Time { return now }
	mux := route.NewMux()
	in := &intake.Service{Store: st, Salt: []byte("test"), Now: st.Now}
	(&api.API{Store: st, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Intake: in}).Register(mux)
	h := apitest.Check(t, mux)

	// 70 reviews given at the hall's workstations with proof of presence.
	set, err := st.ActiveDimensionSet(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var honest []*review.Review
	for i := range 70 {
		r := &review.Review{Channel: "window", Item: []string{"GA-001", "SCJG-001"}[i%2], Stage: "acceptance",
			Workstation: []string{"H1-W1-1", "H1-W1-2"}[i/2%2], Stars: []int{5, 5, 4, 5, 3}[i%5], DimensionSet: set.ID,
			Anonymous: true, Origin: review.Free, Verification: review.ByPresence, CreatedAt: now.Add(-time.Duration(i+1) * time.Hour)}
		if err := review.Resolve(ctx, st, r); err != nil {
			t.Fatal(err)
		}
		honest = append(honest, r)
	}
	if err := st.CreateReviews(ctx, honest); err != nil {
		t.Fatal(err)
	}
	members := map[string][]string{"district": {"310101"}, "unit": {"310101"}, "item": {"GA-001", "SCJG-001"}}
	read := func() map[string]float64 {
		out := map[string]float64{}
		for sc, codes := range members {
			rec := do(h, "GET", "/api/v1/index?scope="+sc+"&from=2026-11-11&to=2026-12-10", "")
			var b struct {
				Entries []struct {
					Code  string   `json:"code"`
					Index *float64 `json:"index"`
				} `json:"entries"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &b); err != nil || rec.Code != 200 {
				t.Fatalf("%s board: %d %s", sc, rec.Code, rec.Body)
			}
			for _, code := range codes {
				for _, e := range b.Entries {
					if e.Code == code && e.Index != nil {
						out[sc+" "+code] = *e.Index
					}
				}
				if _, ok := out[sc+" "+code]; !ok {
					t.Fatalf("%s %s is not ranked: %s", sc, code, rec.Body)
				}
			}
		}
		return out
	}
	before := read()

	for i := range 190 {
		now = now.Add(7 * time.Second)
		body := fmt.Sprintf(`{"channel":%q,"item":%q,"stage":"acceptance","unit":"310101","stars":1,"anonymous":true}`,
			[]string{"pc", "app", "wechat"}[i%3], []string{"GA-001", "SCJG-001"}[i%2])
		req := httptest.NewRequest("POST", "/api/v1/reviews", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.RemoteAddr = fmt.Sprintf("203.0.113.%d:4000", i%40)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 201 {
			t.Fatalf("review %d of the flood: %d %s", i, rec.Code, rec.Body)
		}
	}
	var unverified int
	if err := st.DB().QueryRow("SELECT COUNT(*) FROM reviews WHERE verification = 'unverified' AND district = '310101'").Scan(&unverified); err != nil || unverified != 190 {
		t.Fatalf("%d unverified reviews of the district stored (%v), want the flood's 190", unverified, err)
	}
	if diff := fmt.Sprint(read()); diff != fmt.Sprint(before) {
		t.Errorf("under version 3 the flood moved the boards: %v before, %s after", before, diff)
	}

	if _, err := st.DB().Exec(`UPDATE index_definitions SET definition = REPLACE(definition, '"unverified_weight":0,', '"unverified_weight":1,') WHERE version = 3`); err != nil {
		t.Fatal(err)
	}
	for member, after := range read() {
		if before[member]-after < 5 {
			t.Errorf("at unverified_weight 1 the flood moved %s from %.2f to %.2f, want down by 5 points or more", member, before[member], after)
		}
	}
}
