package console

// Staff rankings within a unit (issue 8): window staff ranked by index,
// with n beside every score and 样本不足 under the minimum sample. Staff
// results are personal, so only staff roles see them: the General Office
// and the 12345 hotline for any unit, a unit's handler for its own.

import (
	"context"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/board"
	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/figures"
	"github.com/haocha/haocha/internal/index"
	"github.com/haocha/haocha/internal/route"
	"github.com/haocha/haocha/internal/store"
)

var pageStaffRanking = route.PageRoles(account.Supervisor, account.Operator, account.Handler)

func (c *Console) registerStaffRanking(mux *route.Mux) {
	mux.Handle("GET /console/staff-ranking", pageStaffRanking, c.page(c.staffRanking))
}

// staffRow is one staff member on the ranking, as shown.
type staffRow struct {
	Rank      int // 0 = not ranked (样本不足)
	Name      string
	Index     string
	N         int64
	Good, Bad string
	Beyond    bool // past the rows a phone shows
}

type staffRankingData struct {
	L        Lang
	Unit     catalog.Unit
	UnitName string
	Units    []unitOption // the units a supervisor or operator may pick
	Span     board.Span
	Spans    []board.Span
	Period   string // the span's name and days
	Version  int
	Rows     []staffRow
	Stations []stationRow // the unit's workstations, across its halls
	// A phone shows the first Shown rows of each list and a link to
	// AllHref, the page with every row; every row with all=1 (All), and
	// always on a wider screen.
	All     bool
	Shown   int
	AllHref string
}

// phoneRows is how many rows of each list a phone shows at first: a
// district's 365 workstations, one card each, were 80,000 px on a phone.
const phoneRows = 10

// stationRow is one workstation on the unit's ranking, as shown.
type stationRow struct {
	Rank       int // 0 = not ranked (样本不足)
	Name, Hall string
	Index      string
	N          int64
	Good, Bad  string
	Beyond     bool // past the rows a phone shows
}

// staffRanking shows the staff of a unit ranked by index over the quarter
// (or the year, with period=year): a staff member's 30 days are too few
// reviews to rank (issue 18). A handler sees only their own unit: another
// unit's ranking is "not found", as another unit's order is.
func (c *Console) staffRanking(w http.ResponseWriter, r *http.Request, wh *who) error {
	ctx := r.Context()
	l := langOf(r)
	code := strings.TrimSpace(r.URL.Query().Get("unit"))
	if wh.User.Role == account.Handler {
		if code != "" && code != wh.User.Unit {
			return apperr.New(apperr.NotFound, "unit", "no staff ranking of that unit here")
		}
		code = wh.User.Unit
	}
	units, err := c.Service.Units(ctx)
	if err != nil {
		return err
	}
	d := staffRankingData{L: l, Span: board.SpanOf(r.URL.Query().Get("period")), Spans: board.Spans, All: r.URL.Query().Get("all") == "1"}
	if wh.User.Role != account.Handler {
		d.Units = sortedUnits(units, l)
	}
	if code != "" {
		u, ok := units[code]
		if !ok {
			return apperr.Invalidf("unit", "%q is not a known unit", code)
		}
		d.Unit, d.UnitName = u, u.Name(string(l))
		if err := c.staffRows(ctx, &d, code); err != nil {
			return err
		}
		d.AllHref = "/console/staff-ranking?unit=" + code + "&period=" + string(d.Span) + "&all=1"
		if !d.All {
			d.Shown = phoneRows
			for i := phoneRows; i < len(d.Rows); i++ {
				d.Rows[i].Beyond = true
			}
			for i := phoneRows; i < len(d.Stations); i++ {
				d.Stations[i].Beyond = true
			}
		}
	}
	c.render(w, http.StatusOK, "staff_ranking", pageData{Title: l.T("nav.staffr"), Who: wh, Data: d, L: l})
	return nil
}

// staffRows fills the ranking of a unit's staff over d's span.
func (c *Console) staffRows(ctx context.Context, d *staffRankingData, unit string) error {
	from, to := d.Span.Days(c.Store.Now())
	d.Period = d.L.T("span."+string(d.Span)) + " " + figures.Period(from, to)
	b, err := c.Boards.Within(ctx, index.Staff, unit, from, to)
	if err != nil {
		return err
	}
	names, err := c.Store.StaffNamesIn(ctx, unit)
	if err != nil {
		return err
	}
	d.Version = b.DefinitionVersion
	wd := d.L.words()
	for _, e := range append(b.Ranked, b.Insufficient...) {
		d.Rows = append(d.Rows, staffRow{Rank: e.Rank, Name: names[e.Code], Index: figures.IndexText(e, wd), N: e.N,
			Good: figures.Rate(e.Indicators.GoodRate), Bad: figures.Rate(e.Indicators.BadRate)})
	}
	return c.stationRows(ctx, d, unit, from, to)
}

// stationRows fills the ranking of the workstations of the halls unit
// runs, across those halls, over the staff's period: a hall's page ranks
// only its own, and a unit answers for all of its halls (issue 18).
func (c *Console) stationRows(ctx context.Context, d *staffRankingData, unit string, from, to time.Time) error {
	b, err := c.Boards.Within(ctx, index.Workstation, unit, from, to)
	if err != nil {
		return err
	}
	places, err := c.Store.Places(ctx, store.PlaceFilter{Unit: unit})
	if err != nil {
		return err
	}
	lang := string(d.L)
	at := make(map[string]catalog.Place, len(places))
	for _, p := range places {
		at[p.Workstation.Code] = p
	}
	wd := d.L.words()
	for _, e := range append(b.Ranked, b.Insufficient...) {
		p := at[e.Code]
		d.Stations = append(d.Stations, stationRow{Rank: e.Rank, Name: p.Workstation.NameIn(lang), Hall: p.Hall.Name(lang),
			Index: figures.IndexText(e, wd), N: e.N, Good: figures.Rate(e.Indicators.GoodRate), Bad: figures.Rate(e.Indicators.BadRate)})
	}
	return nil
}

// myRank is a staff member's rank among their unit's staff over the
// quarter, as the ranking shows it: "3 of 12" or 样本不足 with n.
func (c *Console) myRank(ctx context.Context, l Lang, staff string) (string, error) {
	unit, err := c.Store.StaffUnit(ctx, staff)
	if err != nil {
		return "", err
	}
	from, to := board.SpanQuarter.Days(c.Store.Now())
	b, err := c.Boards.Within(ctx, index.Staff, unit, from, to)
	if err != nil {
		return "", err
	}
	e, _ := b.Find(staff)
	if e.Rank == 0 {
		return l.Tf("me.few", e.N), nil
	}
	return l.Tf("me.rankof", e.Rank, len(b.Ranked), figures.IndexText(e, l.words()), e.N), nil
}

// unitOption is a unit in the picker, by its name.
type unitOption struct{ Code, Name string }

// sortedUnits lists units by code, named in l.
func sortedUnits(units map[string]catalog.Unit, l Lang) []unitOption {
	out := make([]unitOption, 0, len(units))
	for _, u := range units {
		out = append(out, unitOption{u.Code, u.Name(string(l))})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}
