package console_test

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/catalog"
	"github.com/xuri/excelize/v2"
)

// TestSupervisionSummary: the summary counts orders never dispatched, draws
// the units needing supervision with a data table, and exports the same
// table as CSV and XLSX with numbers as numbers and a name beginning with
// "=" as text; a handler cannot have it.
func TestSupervisionSummary(t *testing.T) {
	e := newEnv(t)
	cat := tinyCatalog()
	cat.Units = append(cat.Units, catalog.Unit{Code: "EVIL", Kind: catalog.Agency, NameZH: "=HYPERLINK(\"http://x\")"})
	if err := e.st.ImportCatalog(t.Context(), cat); err != nil {
		t.Fatal(err)
	}
	a, _ := e.badReview(false)
	b, _ := e.badReview(false)
	e.badReview(false) // never dispatched
	e.must(200, "POST", "/api/v1/orders/"+a+"/dispatch", "operator", map[string]any{"unit": "EVIL", "complexity": "simple", "days": 0})
	e.must(200, "POST", "/api/v1/orders/"+b+"/dispatch", "operator", map[string]any{"unit": unitA, "complexity": "simple", "days": 0})
	e.clock.Add(48 * time.Hour) // past the same-day due time
	e.must(200, "POST", "/api/v1/orders/"+b+"/reply", "handlerA", map[string]any{"findings": "f", "rectification": "r", "answer": "a"})

	sup := e.login("supervisor", password)
	page := sup.get("/console/summary")
	for _, want := range []string{`id="supervision"`, "<svg", "<table", "尚未派单的工单 1 件", "format=xlsx"} {
		if !strings.Contains(page, want) {
			t.Errorf("summary page lacks %q", want)
		}
	}
	sum := e.must(200, "GET", "/api/v1/summary", "supervisor", nil)
	if u := sum["undispatched"].(map[string]any); u["waiting"] != 1.0 || u["late"] != 1.0 {
		t.Errorf("API undispatched = %v, want 1 waiting, 1 late", u)
	}

	if st := sup.status("/console/summary/export?format=csv"); st != 200 {
		t.Fatalf("CSV export = %d", st)
	}
	recs, err := csv.NewReader(strings.NewReader(sup.last)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string][]string{}
	for _, r := range recs {
		byName[r[0]] = r
	}
	if r := byName[`'=HYPERLINK("http://x")`]; r == nil || r[1] != "1" {
		t.Errorf("CSV rows %q: want the '=' unit defused with 1 order", recs)
	}
	if r := byName["黄浦区"]; r == nil || r[2] != "1" || r[3] != "0" || r[4] != "1" {
		t.Errorf("CSV row of 黄浦区 = %q, want 1 replied, on-time rate 0, 1 overdue", r)
	}
	if r := byName["尚未派单"]; r == nil || r[1] != "1" {
		t.Errorf("CSV row of undispatched = %q, want 1", r)
	}
	if r := byName["合计"]; r == nil || r[1] != "3" {
		t.Errorf("CSV total = %q, want 3 orders", r)
	}

	if st := sup.status("/console/summary/export?format=xlsx"); st != 200 {
		t.Fatalf("XLSX export = %d", st)
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(sup.last)))
	if err != nil {
		t.Fatal(err)
	}
	sheet := f.GetSheetName(0)
	rows, _ := f.GetRows(sheet)
	for i, r := range rows {
		if i == 0 {
			continue
		}
		name, _ := excelize.CoordinatesToCellName(1, i+1)
		if typ, _ := f.GetCellType(sheet, name); typ == excelize.CellTypeFormula {
			t.Errorf("cell %s %q is a formula", name, r[0])
		}
		if formula, _ := f.GetCellFormula(sheet, name); formula != "" {
			t.Errorf("cell %s carries formula %q", name, formula)
		}
		num, _ := excelize.CoordinatesToCellName(2, i+1)
		if typ, _ := f.GetCellType(sheet, num); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
			t.Errorf("orders cell %s of %q is %v, want a number", num, r[0], typ)
		}
	}
	if st := sup.status("/console/summary/export?format=pdf"); st != 422 {
		t.Errorf("export as pdf = %d, want 422", st)
	}
	if st := e.login("handlerA", password).status("/console/summary/export?format=csv"); st != http.StatusForbidden {
		t.Errorf("handler's export = %d, want 403", st)
	}
}
