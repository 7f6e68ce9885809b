package report

import (
	"io"

	"github.com/haocha/haocha/internal/apperr"
)

// Export writes other pages' tables (the consoles' summary) with the
// report's writers: numbers as numbers, rates as percentages, text that
// begins with = + - @ kept as text.

// Cell is one value of an exported table.
type Cell = cell

// Text, Count and Rate make cells; a nil rate is an empty cell.
func Text(s string) Cell   { return str(s) }
func Count(n int64) Cell   { return num(n) }
func Rate(x *float64) Cell { return opt(rate, x) }

// Table is a table to export: one sheet of the workbook, or the CSV.
type Table struct {
	Sheet string   // the sheet's name, at most 31 characters
	Head  []string // column titles of the sheet and the CSV, in the reader's language
	Keys  []string // column names, as the API names the fields
	Rows  [][]Cell
}

// WriteTable writes t as XLSX or CSV.
func WriteTable(w io.Writer, f Format, t Table) error {
	switch f {
	case XLSX:
		return writeXLSX(w, []table{{Sheet: t.Sheet, Head: t.Head, Keys: t.Keys, Rows: t.Rows}})
	case CSV:
		return writeCSV(w, t.Head, t.Rows)
	}
	return apperr.Invalidf("format", "want xlsx or csv, got %q", f)
}
