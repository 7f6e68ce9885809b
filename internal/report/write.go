package report

import (
	"fmt"
	"io"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/i18n"
	"github.com/haocha/haocha/internal/index"
)

// Format is an output format.
type Format string

// Formats.
const (
	XLSX Format = "xlsx"
	CSV  Format = "csv"
	HTML Format = "html"
)

// Formats lists every format, in the order the scheduler stores them.
var Formats = []Format{XLSX, CSV, HTML}

// ParseFormat checks a format name.
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats {
		if string(f) == s {
			return f, nil
		}
	}
	return "", apperr.Invalidf("format", "want xlsx, csv or html, got %q", s)
}

// ContentType is the MIME type of files in f.
func (f Format) ContentType() string {
	switch f {
	case XLSX:
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case CSV:
		return "text/csv; charset=utf-8"
	}
	return "text/html; charset=utf-8"
}

// Filename is the file a report of period p is saved as.
func Filename(p Period, f Format) string { return fmt.Sprintf("report-%s.%s", p, f) }

// Title is the report's heading.
func (r *Report) Title() string { return "政务服务“好差评”" + r.Period.Title() + "通报" }

// Write writes the report in format f. The CSV is the open-data part: the
// index and indicators of the city, every district and every agency, one
// row each, then the 12345 centre's row (its own figures; undispatched_late,
// the last column, is the centre's alone); the workbook and the print view
// hold every section. The report is a Chinese document (通报): its CSV's
// titles and scopes are Chinese too.
func (r *Report) Write(w io.Writer, f Format) error {
	switch f {
	case XLSX:
		return writeXLSX(w, r.tables())
	case CSV:
		t := entryTable("", "", "", []index.Entry{r.City})
		keys := append([]string{"period", "scope"}, t.Keys...)
		rows := prefixRows(t.Rows, str(r.Period.String()), str(i18n.ZH.T("csv.scope."+string(index.City))))
		for _, s := range r.Scopes {
			st := entryTable("", "", "", s.Ranked, s.Insufficient)
			rows = append(rows, prefixRows(st.Rows, str(r.Period.String()), str(i18n.ZH.T("csv.scope."+string(s.Scope))))...)
		}
		// The centre's row, as its board publishes it (the units' rates
		// empty), and undispatched_late, the centre's alone, last.
		ct := entryTable("", "", "", []index.Entry{r.Centre})
		centre := prefixRows(ct.Rows, str(r.Period.String()), str(i18n.ZH.T("csv.scope."+string(index.Centre))))[0]
		centre = append(centre, optNum(r.Centre.Indicators.UndispatchedLate))
		keys = append(keys, "undispatched_late")
		for i := range rows {
			rows[i] = append(rows[i], cell{count, nil})
		}
		return writeCSV(w, csvHeads(i18n.ZH, keys), append(rows, centre))
	case HTML:
		sub := fmt.Sprintf("%s至%s · 市政府办公厅 · 生成于 %s", r.From.Format("2006-01-02"), r.To.Format("2006-01-02"),
			r.Generated.Format("2006-01-02 15:04"))
		return writeHTML(w, r.Title(), sub, r.tables())
	}
	return apperr.Invalidf("format", "unknown format %q", f)
}

func prefixRows(rows [][]cell, lead ...cell) [][]cell {
	out := make([][]cell, len(rows))
	for i, r := range rows {
		out[i] = append(append([]cell{}, lead...), r...)
	}
	return out
}
