package transaction

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// CSVColumns are the columns of a transaction file, in any order; hall,
// workstation, channel, staff and phone may be left out. stages are
// separated by "|".
var CSVColumns = []string{"number", "item", "stages", "unit", "hall", "workstation", "channel", "staff",
	"applicant_kind", "accepted_at", "finished_at", "phone"}

// Line is a record of a file and the line it was on.
type Line struct {
	Line   int
	Record Record
}

// ReadCSV reads a transaction file with a header row. A file that is not
// CSV, or whose header lacks a column or names an unknown one, is an error
// naming the line; the records' values are checked by Report.
func ReadCSV(r io.Reader) ([]Line, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = 0
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("line 1: empty file: want a header row of %s", strings.Join(CSVColumns, ","))
	} else if err != nil {
		return nil, err
	}
	at := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if !slices.Contains(CSVColumns, h) {
			return nil, fmt.Errorf("line 1: unknown column %q: want %s", h, strings.Join(CSVColumns, ","))
		}
		at[h] = i
	}
	for _, c := range []string{"number", "item", "stages", "unit", "applicant_kind", "accepted_at", "finished_at"} {
		if _, ok := at[c]; !ok {
			return nil, fmt.Errorf("line 1: column %s missing", c)
		}
	}
	var out []Line
	for {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		} else if err != nil {
			return nil, err // csv errors name their line
		}
		line, _ := cr.FieldPos(0)
		get := func(c string) string {
			if i, ok := at[c]; ok {
				return row[i]
			}
			return ""
		}
		rec := Record{Number: get("number"), Item: get("item"), Unit: get("unit"), Hall: get("hall"),
			Workstation: get("workstation"), Channel: get("channel"), Staff: get("staff"),
			ApplicantKind: get("applicant_kind"), AcceptedAt: get("accepted_at"), FinishedAt: get("finished_at"),
			Phone: get("phone")}
		if s := strings.TrimSpace(get("stages")); s != "" {
			rec.Stages = strings.Split(s, "|")
		}
		out = append(out, Line{Line: line, Record: rec})
	}
}
