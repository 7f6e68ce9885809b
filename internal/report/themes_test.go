package report_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/i18n"
	"github.com/haocha/haocha/internal/report"
)

// themedSource is fakeSource whose city had bad reviews with themes.
type themedSource struct {
	fakeSource
	counts map[string]int64
}

func (s themedSource) CityThemeCounts(context.Context, time.Time, time.Time) (map[string]int64, error) {
	return s.counts, nil
}

// TestThemeSentence: the 通报 says where bad reviews concentrate from the
// counts, the three most frequent themes first, in either language; with
// no theme it says so rather than naming none.
func TestThemeSentence(t *testing.T) {
	p, err := report.ParsePeriod("2026-07")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 8, 3, 9, 0, 0, 0, calendar.Zone)
	src := themedSource{counts: map[string]int64{"queueing": 4, "attitude": 9, "fees": 1, "materials": 4, "system_failure": 2}}
	r, err := report.Build(context.Background(), src, nil, p, now)
	if err != nil {
		t.Fatal(err)
	}
	for lang, want := range map[i18n.Lang]string{
		i18n.ZH: "差评主要集中在服务态度(9条)、材料收取(4条)、排队等候(4条)。",
		i18n.EN: "Bad reviews concentrated on Staff attitude (9), Materials asked for (4), Queueing (4).",
	} {
		if got := r.ThemeSentence(lang); got != want {
			t.Errorf("%s: %q, want %q", lang, got, want)
		}
	}
	var html strings.Builder
	if err := r.Write(&html, report.HTML, i18n.ZH); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(html.String(), "差评主要集中在服务态度(9条)") {
		t.Error("the printed report does not say where bad reviews concentrate")
	}
	r, err = report.Build(context.Background(), themedSource{fakeSource: fakeSource{}}, nil, p, now)
	if err != nil {
		t.Fatal(err)
	}
	if got := r.ThemeSentence(i18n.ZH); got != i18n.ZH.T("report.themes.none") {
		t.Errorf("no themes: %q", got)
	}
}
