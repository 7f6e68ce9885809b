package report

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/haocha/haocha/internal/i18n"
)

// writeCSV writes rows under one header of column titles for open data:
// plain numbers (rates as fractions, as the API gives them), empty for
// null, UTF-8 with a byte-order mark, without which Excel on a Chinese
// desktop reads the file as GBK and shows garbage.
func writeCSV(w io.Writer, heads []string, rows [][]cell) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(heads); err != nil {
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

// csvHeads are the titles of the CSV columns keys in lang, from the
// catalogue ("csv." + key).
func csvHeads(lang i18n.Lang, keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = lang.T("csv." + k)
	}
	return out
}
