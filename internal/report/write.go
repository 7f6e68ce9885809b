package report

import (
	"bytes"
	"fmt"
	"io"
	"time"

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
func Filename(p Period, f Format) string { return FilenameIn(p, f, i18n.ZH) }

// FilenameIn is the file a report of period p in language l is saved as:
// the Chinese as before, the English marked "-en".
func FilenameIn(p Period, f Format, l i18n.Lang) string {
	if l == i18n.EN {
		return fmt.Sprintf("report-%s-en.%s", p, f)
	}
	return fmt.Sprintf("report-%s.%s", p, f)
}

// Title is the report's heading in l.
func (r *Report) Title(l i18n.Lang) string { return l.Tf("report.title", r.Period.TitleIn(l)) }

// Write writes the report in format f and language l. The CSV is the
// open-data part: the index and indicators of the city, every district and
// every agency, one row each, then the 12345 centre's row (its own
// figures; undispatched_late, the last column, is the centre's alone); the
// workbook and the print view hold every section. Every phrase is the
// catalogue's in l, names are in l where they have an English one, and
// the figures are the same whatever l: the scheduler writes one Report in
// both languages when it issues it.
func (r *Report) Write(w io.Writer, f Format, l i18n.Lang) error {
	switch f {
	case XLSX:
		return writeXLSX(w, r.tables(l))
	case CSV:
		t := entryTable(l, "", "", "", []index.Entry{r.City})
		keys := append([]string{"period", "scope"}, t.Keys...)
		period := str(r.Period.String())
		rows := prefixRows(t.Rows, period, str(l.T("csv.scope."+string(index.City))))
		for _, s := range r.Scopes {
			st := entryTable(l, "", "", "", s.Ranked, s.Insufficient)
			rows = append(rows, prefixRows(st.Rows, period, str(l.T("csv.scope."+string(s.Scope))))...)
		}
		// The centre's row, as its board publishes it (the units' rates
		// empty), and undispatched_late, the centre's alone, last.
		ct := entryTable(l, "", "", "", []index.Entry{r.Centre})
		centre := prefixRows(ct.Rows, period, str(l.T("csv.scope."+string(index.Centre))))[0]
		centre = append(centre, optNum(r.Centre.Indicators.UndispatchedLate))
		keys = append(keys, "undispatched_late")
		for i := range rows {
			rows[i] = append(rows[i], cell{count, nil})
		}
		return writeCSV(w, csvHeads(l, keys), append(rows, centre))
	case HTML:
		sub := l.Tf("report.subtitle", r.From.Format(time.DateOnly), r.To.Format(time.DateOnly), r.Generated.Format("2006-01-02 15:04"))
		return writeHTML(w, l, r.Title(l), sub, r.tables(l))
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

// Issue writes r in every format and language: the files of its issue, as
// the scheduler stores them.
func (r *Report) Issue() ([]File, error) {
	var files []File
	for _, l := range Langs {
		for _, f := range Formats {
			files = append(files, File{Period: r.Period.String(), Format: f, Lang: l})
		}
	}
	return r.WriteFiles(files)
}

// WriteFiles writes r into each of files' format and language, one Report
// for all, so that their figures are the same.
func (r *Report) WriteFiles(files []File) ([]File, error) {
	out := make([]File, len(files))
	for i, file := range files {
		var buf bytes.Buffer
		if err := r.Write(&buf, file.Format, file.Lang); err != nil {
			return nil, fmt.Errorf("report %s %s %s: %w", r.Period, file.Format, file.Lang, err)
		}
		file.Content = buf.Bytes()
		out[i] = file
	}
	return out, nil
}
