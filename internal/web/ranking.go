package web

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/haocha/haocha/internal/board"
	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/chart"
	"github.com/haocha/haocha/internal/figures"
	"github.com/haocha/haocha/internal/index"
)

// rankRow is one line of a published ranking.
type rankRow struct {
	Code, Name   string
	Href         string // the member's page; none when empty
	Rank         string // "—" when not ranked
	Index        string // or 样本不足
	Meter        template.HTML
	N            int64
	Good, Bad    string
	Rect         string
	Active       string // 主动评价好评率
	Unrated      string // 未评率
	Insufficient bool
	// Hall and HallHref name the member's hall under its name, where a
	// ranking spans several halls; empty otherwise.
	Hall, HallHref string
	Beyond         bool // past the rows a phone shows (ranking.onPhone)
}

// Class is the row's classes: unranked (样本不足) and beyond.
func (r rankRow) Class() string {
	var c []string
	if r.Insufficient {
		c = append(c, "unranked")
	}
	if r.Beyond {
		c = append(c, "beyond")
	}
	return strings.Join(c, " ")
}

// rankRows lists a board of units: the ranked members, then those under
// the minimum sample. Names are the catalogue's, in the page's language.
func rankRows(l locale, b board.Board, units map[string]catalog.Unit) []rankRow {
	rows := entryRows(l, index.Ranking{Ranked: b.Ranked, Insufficient: b.Insufficient}, func(code string) string { return units[code].Name(string(l)) })
	for i := range rows {
		rows[i].Href = "/units/" + rows[i].Code
	}
	return rows
}

// entryRows lists a ranking's entries, named by name.
func entryRows(l locale, rk index.Ranking, name func(code string) string) []rankRow {
	var out []rankRow
	for _, list := range [][]index.Entry{rk.Ranked, rk.Insufficient} {
		for _, e := range list {
			r := rankRow{Code: e.Code, Name: name(e.Code), Rank: "—", Index: figures.IndexText(e, words(l)), N: e.N,
				Good: figures.Rate(e.Indicators.GoodRate), Bad: figures.Rate(e.Indicators.BadRate), Rect: figures.Rate(e.Indicators.RectificationRate),
				Active: figures.Rate(e.Indicators.ActiveGoodRate), Unrated: figures.Rate(e.Indicators.UnratedRate),
				Insufficient: e.Index == nil}
			if e.Index != nil {
				r.Rank = fmt.Sprint(e.Rank)
				r.Meter = chart.Meter(*e.Index/100, figures.ColorUnit)
			}
			out = append(out, r)
		}
	}
	return out
}

// indexPage is the public index: the districts' tile map and the rankings
// of districts and municipal departments over the last 30 days.
func (w *Web) indexPage(rw http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	data := struct {
		page
		Period    string
		Version   string
		Map       chart.Figure
		Districts ranking
		Agencies  ranking
		Centre    centreFigures
		AsOf      time.Time // zero unless read from a replica
	}{page: w.newPage(r, "index.title")}
	from, to := board.Recent(w.store.Now())
	data.Period = figures.Period(from, to)
	units, err := w.orders.Units(ctx)
	if err != nil {
		return err
	}
	districts, err := w.boards.Board(ctx, index.District, from, to)
	if err != nil {
		return err
	}
	agencies, err := w.boards.Board(ctx, index.Agency, from, to)
	if err != nil {
		return err
	}
	data.Version = fmt.Sprintf(data.L.T("index.version"), districts.DefinitionVersion)
	if data.AsOf, err = w.boardAsOf(ctx, districts.Computed); err != nil {
		return err
	}
	data.Districts = ranking{L: data.L, ID: "district-ranking", Caption: data.L.T("index.districts"), Rows: rankRows(data.L, districts, units)}
	data.Agencies = ranking{L: data.L, ID: "agency-ranking", Caption: data.L.T("index.agencies"), Rows: rankRows(data.L, agencies, units)}
	data.Map = w.districtMap(data.L, districts, units)
	centre, err := w.boards.Board(ctx, index.Centre, from, to)
	if err != nil {
		return err
	}
	data.Centre = centreFiguresOf(centre.Ranked[0])
	return w.render(rw, r, http.StatusOK, "index", data)
}

// centreFigures are the 12345 centre's own figures as the index page
// shows them, apart from the units' rankings (issue 18).
type centreFigures struct {
	Orders, Late, Escalations int64
	LateShare                 string // of the orders
	Contact, Redispatch       string
}

func centreFiguresOf(e index.Entry) centreFigures {
	in := e.Indicators
	f := centreFigures{Orders: in.WorkOrders, Escalations: in.Escalations,
		Contact: figures.Rate(in.FirstContactOnTimeRate), Redispatch: figures.Rate(in.RedispatchRate)}
	if in.UndispatchedLate != nil {
		f.Late = *in.UndispatchedLate
	}
	var share *float64
	if f.Orders > 0 {
		x := float64(f.Late) / float64(f.Orders)
		share = &x
	}
	f.LateShare = figures.Rate(share)
	return f
}

// districtMap shades the schematic tile map by the districts' index.
func (w *Web) districtMap(l locale, b board.Board, units map[string]catalog.Unit) chart.Figure {
	m := chart.TileMap{Caption: l.T("index.map"), Corner: l.T("col.district"), Column: l.T("col.index"),
		NoteCol: l.T("col.n"), Missing: l.T("insufficient"), Format: func(x float64) string { return fmt.Sprintf("%.1f", x) }}
	for _, t := range w.tiles {
		e, _ := b.Find(t.Code)
		// A square has room for "Huangpu", not "Huangpu District".
		label := strings.TrimSuffix(units[t.Code].Name(string(l)), " District")
		m.Tiles = append(m.Tiles, chart.Tile{Col: t.Col, Row: t.Row, Label: label, Value: e.Index, Note: fmt.Sprint(e.N)})
	}
	return m.Figure()
}

// ranking is what the ranking partial draws.
type ranking struct {
	L       locale
	ID      string
	Caption string
	Rows    []rankRow
	// A phone shows the first Shown rows and a link to AllHref, the page
	// with every row; every row shows when Shown is 0, and on a wider
	// screen. Everywhere: Rows are only the first Shown, on every screen.
	Shown           int
	AllHref         string
	First, AllLabel string // "the first 10 of 160", "show all 160"
	Everywhere      bool
}

// phoneRows is how many rows of a long ranking a phone shows at first: a
// hall's 160 workstations, one card each, were 36,000 px on a phone.
const phoneRows = 10

// firstRows is r's first phoneRows rows, on every screen, with a link to
// allHref, the same page with every row; every row when all. A unit's
// page lists hundreds of workstations under its own figures, which a
// citizen came for.
func (r ranking) firstRows(all bool, allHref string) ranking {
	r = r.onPhone(all, allHref)
	if r.Everywhere = r.Shown > 0; r.Everywhere {
		r.Rows = r.Rows[:r.Shown]
	}
	return r
}

// onPhone is r shown on a phone up to phoneRows rows, with a link to
// allHref, the same page with every row; every row when all.
func (r ranking) onPhone(all bool, allHref string) ranking {
	if all || len(r.Rows) <= phoneRows {
		return r
	}
	for i := phoneRows; i < len(r.Rows); i++ {
		r.Rows[i].Beyond = true
	}
	r.Shown, r.AllHref = phoneRows, allHref+"#"+r.ID
	r.First, r.AllLabel = fmt.Sprintf(r.L.T("rank.first"), phoneRows, len(r.Rows)), fmt.Sprintf(r.L.T("rank.all"), len(r.Rows))
	return r
}

// boardAsOf is when the figures of a board computed at computed were
// current, when boards are read from a replica; zero otherwise. The board
// was counted as far as the replica had got: its lag now stands for its
// lag then.
func (w *Web) boardAsOf(ctx context.Context, computed time.Time) (time.Time, error) {
	if w.figures == nil {
		return time.Time{}, nil
	}
	at, err := w.figures.AsOf(ctx)
	if err != nil || computed.IsZero() {
		return at, err
	}
	return computed.Add(at.Sub(w.figures.Now())), nil
}
