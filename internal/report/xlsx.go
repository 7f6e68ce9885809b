package report

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// Built-in number formats of the XLSX standard.
const (
	fmtPercent = 10 // 0.00%
	fmtDecimal = 2  // 0.00
	fmtInteger = 1  // 0
)

// writeXLSX writes tables as a workbook, one sheet each: numbers as
// numbers, rates as percentages, the header row frozen, and every text as
// a string cell, so that a name beginning with "=" is never a formula.
func writeXLSX(w io.Writer, tables []table) error {
	f := excelize.NewFile()
	defer f.Close()
	styles := map[cellKind]int{}
	for k, nf := range map[cellKind]int{rate: fmtPercent, score: fmtDecimal, count: fmtInteger} {
		id, err := f.NewStyle(&excelize.Style{NumFmt: nf})
		if err != nil {
			return err
		}
		styles[k] = id
	}
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	if err != nil {
		return err
	}
	for i, t := range tables {
		name := t.Sheet
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return fmt.Errorf("sheet %s: %w", name, err)
		}
		if err := writeSheet(f, name, t, styles, head); err != nil {
			return fmt.Errorf("sheet %s: %w", name, err)
		}
	}
	return f.Write(w)
}

func writeSheet(f *excelize.File, name string, t table, styles map[cellKind]int, head int) error {
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	for i, h := range t.Head {
		width := 12.0
		if i == 1 || len(h) > 12 {
			width = 18
		}
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
	}
	row := make([]any, len(t.Head))
	for i, h := range t.Head {
		row[i] = excelize.Cell{StyleID: head, Value: h}
	}
	if err := sw.SetRow("A1", row); err != nil {
		return err
	}
	for r, cells := range t.Rows {
		row := make([]any, len(cells))
		for i, c := range cells {
			switch {
			case c.v == nil:
				row[i] = nil
			case c.kind == text:
				// A Cell holding a string is written as a string, never
				// parsed: "=HYPERLINK(…)" stays the text it is.
				row[i] = excelize.Cell{Value: c.v}
			default:
				row[i] = excelize.Cell{StyleID: styles[c.kind], Value: c.v}
			}
		}
		axis, _ := excelize.CoordinatesToCellName(1, r+2)
		if err := sw.SetRow(axis, row); err != nil {
			return err
		}
	}
	if len(t.Rows) == 0 && t.Empty != "" {
		if err := sw.SetRow("A2", []any{excelize.Cell{Value: t.Empty}}); err != nil {
			return err
		}
	}
	return sw.Flush()
}
