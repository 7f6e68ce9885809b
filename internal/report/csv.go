package report

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
)

// writeCSV writes rows under one header for open data: plain numbers
// (rates as fractions, as the API gives them), UTF-8, empty for null.
func writeCSV(w io.Writer, keys []string, rows [][]cell) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(keys); err != nil {
		return err
	}
	for _, cells := range rows {
		rec := make([]string, len(cells))
		for i, c := range cells {
			rec[i] = csvValue(c)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func csvValue(c cell) string {
	switch v := c.v.(type) {
	case nil:
		return ""
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case string:
		return Defuse(v)
	}
	return ""
}

// Defuse makes text safe in a spreadsheet cell: text beginning with = + -
// @, a tab or a carriage return would be read as a formula when the CSV is
// opened, so it gets a leading apostrophe and stays text.
func Defuse(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
