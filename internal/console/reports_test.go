package console_test

import (
	"context"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/haocha/haocha/internal/i18n"
	"github.com/haocha/haocha/internal/report"
)

// TestReportsAndAssessmentPages: the supervisor lists issued reports and
// downloads them as stored; the assessment page ranks units by name and
// exports a workbook; others are refused.
func TestReportsAndAssessmentPages(t *testing.T) {
	e := newEnv(t)
	number, _ := e.badReview(false)
	e.must(200, "POST", "/api/v1/orders/"+number+"/dispatch", "operator", map[string]any{"unit": unitA, "complexity": "complex", "days": 5})
	sup := e.login("supervisor", password)
	if !strings.Contains(sup.get("/console/reports"), `id="no-reports"`) {
		t.Error("an empty list does not say no report was issued")
	}
	content := []byte("period,scope\n2026-03,city\n")
	if _, err := e.st.SaveReport(context.Background(), report.File{Period: "2026-03", Format: report.CSV, Lang: i18n.ZH, Content: content}, "scheduler"); err != nil {
		t.Fatal(err)
	}
	page := sup.get("/console/reports")
	if !strings.Contains(page, "2026年3月") || !strings.Contains(page, `href="/console/reports/2026-03/csv"`) {
		t.Errorf("the list lacks the issued report: %.500s", page)
	}
	if got := sup.get("/console/reports/2026-03/csv"); got != string(content) {
		t.Errorf("download = %q, want the stored bytes", got)
	}
	if st := sup.status("/console/reports/2026-04/csv"); st != 404 {
		t.Errorf("a report never issued = %d, want 404", st)
	}
	if st := sup.status("/console/reports/2026-3/csv"); st != 422 {
		t.Errorf("a malformed period = %d, want 422", st)
	}
	// Issued before reports were in English: an English reader gets the
	// Chinese file, marked so; once the English is issued, the English.
	sup.lang = "en"
	if page := sup.get("/console/reports"); !strings.Contains(page, "March 2026") || !strings.Contains(page, "In Chinese only") {
		t.Errorf("the English list does not mark a Chinese-only report: %.500s", page)
	}
	if got := sup.get("/console/reports/2026-03/csv"); got != string(content) {
		t.Errorf("English download of a Chinese-only report = %q, want the Chinese file", got)
	}
	english := []byte("period,scope\n2026-03,City\n")
	if _, err := e.st.SaveReport(context.Background(), report.File{Period: "2026-03", Format: report.CSV, Lang: i18n.EN, Content: english}, "scheduler"); err != nil {
		t.Fatal(err)
	}
	if page := sup.get("/console/reports"); strings.Contains(page, "In Chinese only") {
		t.Error("the English list still says Chinese only once the English is issued")
	}
	if got := sup.get("/console/reports/2026-03/csv"); got != string(english) {
		t.Errorf("English download = %q, want the English file", got)
	}
	sup.lang = ""
	if got := sup.get("/console/reports/2026-03/csv"); got != string(content) {
		t.Errorf("Chinese download after the English was issued = %q, want the Chinese file", got)
	}
	out := e.must(200, "GET", "/api/v1/reports", "supervisor", nil)
	if list, _ := out["reports"].([]any); len(list) != 2 {
		t.Errorf("/api/v1/reports = %v", out)
	}
	if st, _ := e.call("GET", "/api/v1/reports", "operator", nil); st != 403 {
		t.Errorf("operator on /api/v1/reports = %d, want 403", st)
	}

	page = sup.get("/console/assessment?year=2026")
	if !strings.Contains(page, `id="assessment"`) || !strings.Contains(page, "黄浦区") || !strings.Contains(page, "样本不足") {
		t.Errorf("the assessment lacks a unit by name: %.300s", page)
	}
	if st := sup.status("/console/assessment?year=twenty"); st != 422 {
		t.Errorf("a bad year = %d, want 422", st)
	}
	xlsx := sup.get("/console/assessment?year=2026&format=xlsx")
	f, err := excelize.OpenReader(strings.NewReader(xlsx))
	if err != nil {
		t.Fatalf("the export is not a workbook: %v", err)
	}
	defer f.Close()
	if got := strings.Join(f.GetSheetList(), ","); got != "各区,市级部门" {
		t.Errorf("sheets %s", got)
	}
	csv := sup.get("/console/assessment?year=2026&format=csv")
	if !strings.HasPrefix(csv, "\ufeff年度,排名,名称,代码,评价指数,样本量(n),") || !strings.Contains(csv, "黄浦区") {
		t.Errorf("CSV export: %.200s, want a byte-order mark and Chinese titles", csv)
	}
	sup.lang = "en"
	if csv := sup.get("/console/assessment?year=2026&format=csv"); !strings.HasPrefix(csv, "\ufeffYear,Rank,Name,Code,Index,Reviews (n),") {
		t.Errorf("English CSV export: %.200s, want English titles", csv)
	}
	sup.lang = ""
	op := e.login("operator", password)
	if st := op.status("/console/assessment"); st != 403 {
		t.Errorf("operator on the assessment = %d, want 403", st)
	}
}
