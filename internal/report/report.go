// Package report builds the General Office's periodic report (通报) of a
// month or a quarter and the year-end assessment (年底绩效考核) from the
// evaluation index, and writes them as XLSX, CSV (open data) and printable
// HTML. It knows nothing of HTTP; storage comes in through Source.
package report

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/haocha/haocha/internal/board"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/i18n"
	"github.com/haocha/haocha/internal/index"
	"github.com/haocha/haocha/internal/workorder"
)

// Source is what a report reads: the boards' storage (the definition of
// the period, the counts, the names), the city's counts, and the work
// orders of a period.
type Source interface {
	board.Store
	IndexCounts(ctx context.Context, sc index.Scope, from, to time.Time) (map[string]index.Counts, error)
	// PeriodOrders lists the work orders opened in [from, to).
	PeriodOrders(ctx context.Context, from, to time.Time) ([]workorder.Row, error)
}

// Alert is a concentration alert (集中差评预警) as the report shows it.
type Alert struct {
	Kind    string // the rule's kind (alert.Kind): the catalogue's "kind."+Kind says what it found
	Group   string // the unit, item, hall … it concerns, by name
	GroupEN string // the same in English; empty where a name has none
	Opened  time.Time
	Reviews int
	State   string
}

// GroupIn is what the alert concerns, in l where it has an English name.
func (a Alert) GroupIn(l i18n.Lang) string {
	if l == i18n.EN && a.GroupEN != "" {
		return a.GroupEN
	}
	return a.Group
}

// Alerts is where concentration alerts are kept; without one the report
// says none are recorded.
type Alerts interface {
	AlertsBetween(ctx context.Context, from, to time.Time) ([]Alert, error)
}

// ListSize is how many members the red and black lists name.
const ListSize = 5

// Scoped is one scope kind's ranking: every member, and the red (top) and
// black (bottom) lists among the ranked ones.
type Scoped struct {
	Scope        index.Scope
	Ranked       []index.Entry
	Insufficient []index.Entry // 样本不足: under the minimum sample, not ranked
	Red, Black   []index.Entry
}

// OrderLine is a work order as a report lists it: no reviewer, no comment.
type OrderLine struct {
	Number    string
	Unit      string // name of the unit it is with
	UnitEN    string // its English name, empty where it has none
	Item      string // name of the item
	ItemEN    string // its English name, empty where it has none
	Opened    time.Time
	Due       time.Time
	State     workorder.State
	Overdue   bool
	Escalated bool
	Round     int
}

// UnitIn is the order's unit in l, ItemIn its item.
func (o OrderLine) UnitIn(l i18n.Lang) string { return pickName(l, o.Unit, o.UnitEN) }

// ItemIn is the order's item in l.
func (o OrderLine) ItemIn(l i18n.Lang) string { return pickName(l, o.Item, o.ItemEN) }

func pickName(l i18n.Lang, zh, en string) string {
	if l == i18n.EN && en != "" {
		return en
	}
	return zh
}

// Case is a typical closed case with what the unit found and rectified.
type Case struct {
	OrderLine
	Stars         int
	Findings      string
	Rectification string
	Closed        time.Time
}

// Report is a periodic report (通报).
type Report struct {
	Period            Period
	From, To          time.Time // first and last day
	Generated         time.Time
	DefinitionVersion int
	MinSample         int
	City              index.Entry
	Scopes            []Scoped // districts, then agencies
	// Centre is the 12345 centre's own figures (index.CentreEntry): its
	// dispatch, not the units'.
	Centre index.Entry
	// AlertsRecorded is false while no alerts store exists: the report
	// then says so rather than claiming there were none.
	AlertsRecorded bool
	Alerts         []Alert
	Overdue        []OrderLine
	Escalated      []OrderLine
	Cases          []Case
	// Themes are the complaint themes most bad reviews of the period had,
	// when the Source counts them (ThemeSource).
	Themes []ThemeCount
}

// CaseCount is how many typical cases a report shows.
const CaseCount = 3

// scopeTitles are the scope kinds a report ranks, with the peer group an
// assessment names (the catalogue's "peers."+peer).
var scopeTitles = []struct {
	scope index.Scope
	peer  string
}{{index.District, "区"}, {index.Agency, "市级部门"}}

// Build builds the report of period p at now. alerts may be nil.
func Build(ctx context.Context, src Source, alerts Alerts, p Period, now time.Time) (*Report, error) {
	return BuildParts(ctx, src, alerts, p, now, func() {})
}

// Parts is how many parts BuildParts reads, one after another: the city,
// each scope kind, the alerts and the orders.
func Parts() int { return 3 + len(scopeTitles) }

// BuildParts is Build calling done after each of its Parts, so that a
// command can show how far it has got.
func BuildParts(ctx context.Context, src Source, alerts Alerts, p Period, now time.Time, done func()) (*Report, error) {
	from, to := p.Days()
	def, err := src.DefinitionFor(ctx, to)
	if err != nil {
		return nil, fmt.Errorf("report %s: %w", p, err)
	}
	r := &Report{Period: p, From: from, To: to, Generated: now.In(calendar.Zone), DefinitionVersion: def.Version, MinSample: def.MinSample}
	city, err := src.IndexCounts(ctx, index.City, from, to)
	if err != nil {
		return nil, fmt.Errorf("report %s: %w", p, err)
	}
	counted := def.Counted(index.City, city["city"])
	r.City = index.Entries(map[string]index.Counts{"city": counted}, map[string]string{"city": i18n.ZH.T("csv.scope.city")}, counted, def, nil)[0]
	r.City.NameEN = i18n.EN.T("csv.scope.city")
	r.Centre = index.CentreEntry(city["city"].Orders, def)
	if ts, ok := src.(ThemeSource); ok {
		counts, err := ts.CityThemeCounts(ctx, from, to)
		if err != nil {
			return nil, fmt.Errorf("report %s: %w", p, err)
		}
		r.Themes = topThemes(counts)
	}
	done()
	unitNames, err := src.ScopeNames(ctx, index.Unit)
	if err != nil {
		return nil, fmt.Errorf("report %s: %w", p, err)
	}
	unitNamesEN, err := src.ScopeNamesEN(ctx, index.Unit)
	if err != nil {
		return nil, fmt.Errorf("report %s: %w", p, err)
	}
	for _, st := range scopeTitles {
		s, err := rankScope(ctx, src, st.scope, from, to)
		if err != nil {
			return nil, fmt.Errorf("report %s: %w", p, err)
		}
		r.Scopes = append(r.Scopes, s)
		done()
	}
	if alerts != nil {
		r.AlertsRecorded = true
		if r.Alerts, err = alerts.AlertsBetween(ctx, from, p.End()); err != nil {
			return nil, fmt.Errorf("report %s: alerts: %w", p, err)
		}
	}
	done()
	orders, err := src.PeriodOrders(ctx, from, p.End())
	if err != nil {
		return nil, fmt.Errorf("report %s: %w", p, err)
	}
	r.Overdue, r.Escalated, r.Cases = sortOrders(orders, unitNames, unitNamesEN)
	done()
	return r, nil
}

// rankScope is the board of sc over the days from to to, as GET
// /api/v1/index publishes it (every unit of the kind, reviewed or not), with
// the red and black lists taken from the ranked members.
func rankScope(ctx context.Context, src Source, sc index.Scope, from, to time.Time) (Scoped, error) {
	b, err := board.Compute(ctx, src, sc, "", from, to)
	if err != nil {
		return Scoped{}, err
	}
	s := Scoped{Scope: sc, Ranked: b.Ranked, Insufficient: b.Insufficient}
	n := min(ListSize, len(b.Ranked))
	s.Red = b.Ranked[:n]
	for i := len(b.Ranked) - 1; i >= len(b.Ranked)-n; i-- {
		s.Black = append(s.Black, b.Ranked[i]) // worst first
	}
	return s, nil
}

// sortOrders picks the overdue and the escalated orders, and a few typical
// closed cases: those with a rectification, longest-lived first (they say
// the most), then by number.
func sortOrders(rows []workorder.Row, unitNames, unitNamesEN map[string]string) (overdue, escalated []OrderLine, cases []Case) {
	var closed []Case
	for _, row := range rows {
		o := row.Order
		line := OrderLine{Number: o.Number, Unit: unitNames[o.Unit], UnitEN: unitNamesEN[o.Unit], Item: row.ItemName, ItemEN: row.ItemEN,
			Opened: o.CreatedAt, Due: o.Due, State: o.State, Overdue: o.Overdue, Escalated: !o.SupervisedAt.IsZero(), Round: o.Round}
		if line.Overdue {
			overdue = append(overdue, line)
		}
		if line.Escalated {
			escalated = append(escalated, line)
		}
		if o.State == workorder.Closed && o.Appeal != workorder.AppealUpheld && o.Reply.Rectification != "" {
			closed = append(closed, Case{OrderLine: line, Stars: row.Stars, Findings: o.Reply.Findings,
				Rectification: o.Reply.Rectification, Closed: o.ClosedAt})
		}
	}
	byNumber := func(l []OrderLine) {
		sort.Slice(l, func(i, j int) bool { return l[i].Number < l[j].Number })
	}
	byNumber(overdue)
	byNumber(escalated)
	sort.Slice(closed, func(i, j int) bool {
		a, b := closed[i], closed[j]
		if a.Round != b.Round {
			return a.Round > b.Round
		}
		return a.Number < b.Number
	})
	return overdue, escalated, closed[:min(CaseCount, len(closed))]
}

// Langs are the languages a report is issued in, Chinese first: the 通报
// is a Chinese official document, its English issued with it from the
// same figures.
var Langs = []i18n.Lang{i18n.ZH, i18n.EN}

// File is one file of an issue: a period's report in a format and a
// language.
type File struct {
	Period  string
	Format  Format
	Lang    i18n.Lang
	Content []byte
}

// Stored is an issued report as kept: unchangeable, with its SHA-256.
type Stored struct {
	ID        int64
	Period    string
	Format    Format
	Lang      i18n.Lang
	SHA256    string
	Size      int64
	CreatedAt time.Time
	CreatedBy string
	Content   []byte // empty in lists
}
