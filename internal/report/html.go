package report

import (
	"embed"
	"html/template"
	"io"
	"strconv"

	"github.com/haocha/haocha/internal/i18n"
)

//go:embed print.html
var printFS embed.FS

var printPage = template.Must(template.New("print.html").Funcs(template.FuncMap{"show": showCell}).ParseFS(printFS, "print.html"))

// printData is what the print view renders.
type printData struct {
	Lang            string
	Title, Subtitle string
	Tables          []table
}

// writeHTML writes tables as one A4 page flow with print CSS.
func writeHTML(w io.Writer, l i18n.Lang, title, subtitle string, tables []table) error {
	return printPage.Execute(w, printData{Lang: string(l), Title: title, Subtitle: subtitle, Tables: tables})
}

// showCell is a cell as the print view shows it.
func showCell(c cell) string {
	switch v := c.v.(type) {
	case nil:
		return "—"
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		if c.kind == rate {
			return strconv.FormatFloat(v*100, 'f', 1, 64) + "%"
		}
		return strconv.FormatFloat(v, 'f', 2, 64)
	case string:
		return v
	}
	return ""
}

// isNum says whether a cell is right-aligned.
func (c cell) Num() bool { return c.kind != text }

// Show is the cell as printed.
func (c cell) Show() string { return showCell(c) }
