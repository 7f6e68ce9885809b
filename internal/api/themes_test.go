package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/api"
	"github.com/haocha/haocha/internal/store/storetest"
	"github.com/haocha/haocha/internal/theme"
)

// TestIndicatorsThemes: /api/v1/indicators gives a member's complaint
// themes over the period, most first, with both names; a scope whose
// pages show none (a workstation) has themes null. On both databases: the
// district's counts join the reviews.
func TestIndicatorsThemes(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) { indicatorsThemes(t, dsn(t)) })
	}
}

func indicatorsThemes(t *testing.T, dsn string) {
	st, h := newServerOn(t, dsn)
	for _, body := range []string{
		`{"channel":"pc","item":"GA-001","stage":"application","unit":"GA","stars":1,"anonymous":true,"comment":"排队排了两个小时"}`,
		`{"channel":"pc","item":"GA-001","stage":"application","unit":"GA","stars":2,"anonymous":true,"comment":"取号以后等了很久才轮到"}`,
		`{"channel":"pc","item":"GA-001","stage":"application","unit":"GA","stars":1,"anonymous":true,"tags":["attitude"],"comment":"排队太久，窗口还不耐烦"}`,
		`{"channel":"pc","item":"GA-001","stage":"application","unit":"GA","stars":5,"anonymous":true,"comment":"不用排队，很快"}`,
		`{"channel":"window","item":"GA-001","stage":"acceptance","workstation":"H1-W1-1","stars":1,"anonymous":true,"comment":"排队排到中午"}`,
	} {
		if rec := do(h, "POST", "/api/v1/reviews", body); rec.Code != http.StatusCreated {
			t.Fatalf("review: %d %s", rec.Code, rec.Body)
		}
	}
	if _, err := st.ClassifyThemes(context.Background(), time.Time{}, theme.Default().OfReview); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		target string
		want   []api.ThemeCount
	}{
		{"/api/v1/indicators?scope=agency&code=GA&from=2026-07-21&to=2026-07-21", []api.ThemeCount{
			{Code: "queueing", NameZH: "排队等候", NameEN: "Queueing", Count: 3},
			{Code: "attitude", NameZH: "服务态度", NameEN: "Staff attitude", Count: 1}}},
		{"/api/v1/indicators?scope=city&from=2026-07-21&to=2026-07-21", []api.ThemeCount{
			{Code: "queueing", NameZH: "排队等候", NameEN: "Queueing", Count: 4},
			{Code: "attitude", NameZH: "服务态度", NameEN: "Staff attitude", Count: 1}}},
		{"/api/v1/indicators?scope=hall&code=H1&from=2026-07-21&to=2026-07-21", []api.ThemeCount{
			{Code: "queueing", NameZH: "排队等候", NameEN: "Queueing", Count: 1}}},
		// The district counts what was rated in its halls, not the
		// agency's online reviews.
		{"/api/v1/indicators?scope=district&code=310101&from=2026-07-21&to=2026-07-21", []api.ThemeCount{
			{Code: "queueing", NameZH: "排队等候", NameEN: "Queueing", Count: 1}}},
		{"/api/v1/indicators?scope=agency&code=GA&from=2026-07-01&to=2026-07-20", []api.ThemeCount{}},
		{"/api/v1/indicators?scope=workstation&code=H1-W1-1&from=2026-07-21&to=2026-07-21", nil},
	} {
		rec := do(h, "GET", tc.target, "")
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", tc.target, rec.Code, rec.Body)
		}
		var got struct {
			Themes *[]api.ThemeCount `json:"themes"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		switch {
		case tc.want == nil && got.Themes != nil:
			t.Errorf("%s: themes %v, want null", tc.target, *got.Themes)
		case tc.want != nil && (got.Themes == nil || !slices.Equal(*got.Themes, tc.want)):
			t.Errorf("%s: themes %s, want %v", tc.target, rec.Body, tc.want)
		}
	}
}

// TestReviewsStoredWhileThemesClassified: the complaint themes of bad
// reviews are classified before their write transaction, not in it: a
// review sent while the classifier works is stored (on SQLite the
// transaction holds the one writer the group commit needs, and a
// classifier's first call trains its models, seconds of CPU).
func TestReviewsStoredWhileThemesClassified(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			st, h := newServerOn(t, dsn(t))
			bad := `{"channel":"pc","item":"GA-001","stage":"application","unit":"GA","stars":1,"anonymous":true,"comment":"排队排了两个小时"}`
			if rec := do(h, "POST", "/api/v1/reviews", bad); rec.Code != http.StatusCreated {
				t.Fatalf("review: %d %s", rec.Code, rec.Body)
			}
			var during *httptest.ResponseRecorder
			classify := func(stars int, comment string, tags []string) []string {
				if during == nil {
					during = do(h, "POST", "/api/v1/reviews", `{"channel":"pc","item":"GA-001","stage":"application","unit":"GA","stars":5,"anonymous":true}`)
				}
				return theme.Default().OfReview(stars, comment, tags)
			}
			n, err := st.ClassifyThemes(context.Background(), time.Time{}, classify)
			if err != nil || n != 1 {
				t.Fatalf("classify: %d, %v; want 1", n, err)
			}
			if during == nil || during.Code != http.StatusCreated {
				t.Errorf("a review sent while the themes were classified: %v; want 201", during)
			}
		})
	}
}
