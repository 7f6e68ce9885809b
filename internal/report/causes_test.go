package report_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/i18n"
	"github.com/haocha/haocha/internal/index"
	"github.com/haocha/haocha/internal/report"
)

// causeSource is fakeSource with causes reviewed (不满意原因审查) in
// 黄浦区: two orders careless (at fault), one citizen unreachable.
type causeSource struct{ fakeSource }

func withCauses(c index.Counts) index.Counts {
	c.Orders.Add(index.OrderCounts{WithDue: 3, RepliedOnTime: 3, Rectified: 3, SatisfiedFirst: 1,
		Causes: map[string]int64{"careless": 2, "unreachable": 1}, CausesAtFault: 2})
	return c
}

func (f causeSource) IndexCounts(ctx context.Context, sc index.Scope, from, to time.Time) (map[string]index.Counts, error) {
	out, err := f.fakeSource.IndexCounts(ctx, sc, from, to)
	if sc == index.City || sc == index.District {
		copied := map[string]index.Counts{}
		for code, c := range out {
			if code == "city" || code == "310101" {
				c = withCauses(c)
			}
			copied[code] = c
		}
		out = copied
	}
	return out, err
}

func (f causeSource) IndexCountsAt(ctx context.Context, sc index.Scope, from, to, _ time.Time) (map[string]index.Counts, index.Counts, error) {
	city, _ := f.IndexCounts(ctx, index.City, from, to)
	out, err := f.IndexCounts(ctx, sc, from, to)
	return out, city["city"], err
}

// TestReportShowsCentreAndCauseMix: the periodic report (通报) carries the
// 12345 centre's own sheet with its figures and the mix of the causes it
// found, and the cause mix with the at-fault share on the overview and
// on each district's row (issue 18's done condition).
func TestReportShowsCentreAndCauseMix(t *testing.T) {
	p, err := report.ParsePeriod("2026-07")
	if err != nil {
		t.Fatal(err)
	}
	r, err := report.Build(context.Background(), causeSource{}, nil, p, time.Date(2026, 8, 3, 9, 0, 0, 0, calendar.Zone))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := r.Write(&buf, report.XLSX, i18n.ZH); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	const mix = "敷衍塞责 2、市民无法联系 1"
	has := func(sheet string, cells ...string) bool {
		rows, _ := f.GetRows(sheet)
		return slices.ContainsFunc(rows, func(row []string) bool {
			for _, c := range cells {
				if !slices.Contains(row, c) {
					return false
				}
			}
			return true
		})
	}
	for _, want := range []struct {
		sheet string
		cells []string
	}{
		{"全市概况", []string{"不满意原因构成", mix}},
		{"全市概况", []string{"有责占比", "66.67%"}},
		{"12345热线", []string{"超时未派单", "1"}},
		{"12345热线", []string{"不满意原因构成", mix}},
		{"12345热线", []string{"有责占比", "66.67%"}},
		{"各区排名", []string{"黄浦区", mix, "66.67%"}},
	} {
		if !has(want.sheet, want.cells...) {
			rows, _ := f.GetRows(want.sheet)
			t.Errorf("%s: no row with %s in %v", want.sheet, strings.Join(want.cells, ", "), rows)
		}
	}
	var html bytes.Buffer
	if err := r.Write(&html, report.HTML, i18n.ZH); err != nil {
		t.Fatal(err)
	}
	if s := html.String(); !strings.Contains(s, "12345市民服务热线") || strings.Count(s, mix) < 3 {
		t.Errorf("the print view lacks the centre's section or the cause mix (%d times)", strings.Count(s, mix))
	}
}
