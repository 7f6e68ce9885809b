package report

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/i18n"
	"github.com/haocha/haocha/internal/index"
	"github.com/haocha/haocha/internal/workorder"
)

// Assessed is one unit's year-end assessment (年底绩效考核): its index and
// rank among its peers (districts among districts, agencies among
// agencies), its indicators, and its work orders of the year that weigh
// on the assessment.
type Assessed struct {
	index.Entry
	Peers       string // 区 or 市级部门
	PeerCount   int    // ranked peers
	Escalated   int64  // orders escalated (督办)
	Marked      int64  // orders marked for the assessment
	Unrectified int64  // orders past due, not closed and not cleared by their cause
	Upheld      int64  // appeals upheld
}

// Assessment is the year-end assessment of every district and agency.
type Assessment struct {
	Year              int
	Generated         time.Time
	DefinitionVersion int
	MinSample         int
	Units             []Assessed // districts by rank, then agencies by rank; 样本不足 last in each
}

// BuildAssessment assesses year's units at now: the year's boards under the
// year's definition, so a unit's index and rank are those GET
// /api/v1/index publishes for the year (orders not yet due are not
// counted). The orders listed are those opened in the year, with the unit
// they are with at now; an open order is unrectified once past its due time.
func BuildAssessment(ctx context.Context, src Source, year int, now time.Time) (*Assessment, error) {
	if year < 2000 || year > 2999 {
		return nil, apperr.Invalidf("year", "want a year like 2026, got %d", year)
	}
	p := Period{Kind: Year, Year: year}
	from, to := p.Days()
	def, err := src.DefinitionFor(ctx, to)
	if err != nil {
		return nil, fmt.Errorf("assessment %d: %w", year, err)
	}
	orders, err := src.PeriodOrders(ctx, from, p.End())
	if err != nil {
		return nil, fmt.Errorf("assessment %d: %w", year, err)
	}
	a := &Assessment{Year: year, Generated: now.In(calendar.Zone), DefinitionVersion: def.Version, MinSample: def.MinSample}
	for _, st := range scopeTitles {
		s, err := rankScope(ctx, src, st.scope, from, to)
		if err != nil {
			return nil, fmt.Errorf("assessment %d: %w", year, err)
		}
		for _, e := range append(s.Ranked, s.Insufficient...) {
			a.Units = append(a.Units, assess(e, st.peer, len(s.Ranked), orders, now))
		}
	}
	return a, nil
}

func assess(e index.Entry, peers string, n int, orders []workorder.Row, now time.Time) Assessed {
	u := Assessed{Entry: e, Peers: peers, PeerCount: n}
	for _, row := range orders {
		o := row.Order
		if o.Unit != e.Code {
			continue
		}
		if !o.SupervisedAt.IsZero() {
			u.Escalated++
		}
		if o.Assessment {
			u.Marked++
		}
		if o.Appeal == workorder.AppealUpheld {
			u.Upheld++
		} else if o.State != workorder.Closed && !o.NotAtFault() && !o.Due.IsZero() && o.Due.Before(now) {
			// Not yet due, an open order has failed nothing yet; one left
			// unsatisfied for a cause that clears the unit failed nothing.
			u.Unrectified++
		}
	}
	return u
}

// Title is the assessment's heading.
func (a *Assessment) Title() string {
	return fmt.Sprintf("%d年度政务服务“好差评”绩效考核", a.Year)
}

// Filename is the file an assessment is saved as.
func (a *Assessment) Filename(f Format) string { return fmt.Sprintf("assessment-%d.%s", a.Year, f) }

// table lists the units of one peer group under its sheet name, or all
// when peers is "".
func (a *Assessment) table(l i18n.Lang, sheet, peers string) table {
	t := entryTable(l, sheet, "", "", nil)
	extra := []string{"peers", "ranked_peers", "escalated_orders", "assessment_orders", "unrectified_orders", "appeals_upheld_orders"}
	t.Keys = append(t.Keys, extra...)
	t.Head = append(t.Head, heads(l, extra...)...)
	for _, u := range a.Units {
		if peers != "" && u.Peers != peers {
			continue
		}
		row := entryTable(l, "", "", "", []index.Entry{u.Entry}).Rows[0]
		row = append(row, str(l.T("peers."+u.Peers)), num(int64(u.PeerCount)), num(u.Escalated), num(u.Marked), num(u.Unrectified), num(u.Upheld))
		t.Rows = append(t.Rows, row)
	}
	return t
}

// Write writes the assessment as a workbook (a sheet for districts, one
// for agencies) or a CSV of every unit, its column titles in lang.
func (a *Assessment) Write(w io.Writer, f Format, lang i18n.Lang) error {
	switch f {
	case XLSX:
		var ts []table
		for _, st := range scopeTitles {
			ts = append(ts, a.table(lang, scopeTitle(lang, st.scope), st.peer))
		}
		return writeXLSX(w, ts)
	case CSV:
		t := a.table(lang, "", "")
		return writeCSV(w, csvHeads(lang, append([]string{"year"}, t.Keys...)), prefixRows(t.Rows, num(int64(a.Year))))
	}
	return apperr.Invalidf("format", "the assessment exports as xlsx or csv, not %q", f)
}
