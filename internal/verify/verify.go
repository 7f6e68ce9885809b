// Package verify is `haocha index verify`: it recomputes every indicator
// and index score of a period in Go, row by row from the stored reviews and
// work orders, and compares them with what the server publishes: the
// index board of each public scope and the rollup-backed statistics.
package verify

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/haocha/haocha/internal/board"
	"github.com/haocha/haocha/internal/index"
	"github.com/haocha/haocha/internal/paging"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store"
)

// Result is what a verification found.
type Result struct {
	Members     int      // scope members whose index was compared
	Figures     int      // statistics answers compared
	Differences []string // one line each, empty when all agree
}

// Run verifies the days from to to.
func Run(ctx context.Context, st *store.Store, from, to time.Time) (Result, error) {
	return run(ctx, st, from, to, board.MaxPage)
}

// run is Run reading the published boards in pages of limit members.
func run(ctx context.Context, st *store.Store, from, to time.Time, limit int) (Result, error) {
	var res Result
	reviews, orders, err := st.IndexRows(ctx, from, to)
	if err != nil {
		return res, err
	}
	cal, err := st.Calendar(ctx)
	if err != nil {
		return res, err
	}
	def, err := st.DefinitionFor(ctx, to)
	if err != nil {
		return res, err
	}
	set, err := st.ActiveDimensionSet(ctx)
	if err != nil {
		return res, err
	}
	dims := make([]string, len(set.Dimensions))
	for i, d := range set.Dimensions {
		dims[i] = d.Code
	}
	start, end := from, to.AddDate(0, 0, 1)
	now := st.Now()
	txns, err := st.TransactionRows(ctx, from, to)
	if err != nil {
		return res, err
	}
	count := func(sc index.Scope, withOrders bool) map[string]index.Counts {
		os := orders
		if !withOrders {
			os = nil
		}
		out := index.CountRows(sc, reviews, os, start, end, cal, now)
		if withOrders && sc != index.Stage {
			index.CountTransactions(sc, txns, start, end, out)
		}
		return out
	}
	city := count(index.City, true)["city"]
	for _, sc := range index.Scopes {
		if !sc.Public() {
			continue
		}
		published, err := readBoard(ctx, st, sc, from, to, limit)
		if err != nil {
			return res, err
		}
		names, err := st.ScopeNames(ctx, sc)
		if err != nil {
			return res, err
		}
		var want index.Ranking
		if sc == index.Centre {
			want.Ranked = []index.Entry{index.CentreEntry(city.Orders, def)}
		} else {
			counts, parent := def.CountedAll(sc, count(sc, true), city)
			want = index.Rank(index.Entries(counts, index.Listed(sc, counts, names), parent, def, dims))
		}
		// English names are catalogue data, not figures: taken as the board
		// takes them.
		if err := board.NameInEnglish(ctx, st, sc, want.Ranked, want.Insufficient); err != nil {
			return res, err
		}
		res.Members += len(want.Ranked) + len(want.Insufficient)
		compareBoard(&res, sc, published, want)
	}
	if err := compareStats(ctx, &res, st, set, from, to, count); err != nil {
		return res, err
	}
	return res, nil
}

// readBoard reads the board of sc as GET /api/v1/index publishes it, its
// computation and pages, following its cursors from the first page to the
// last. The board is computed once, however many pages it takes.
func readBoard(ctx context.Context, st *store.Store, sc index.Scope, from, to time.Time, limit int) (board.Page, error) {
	var all board.Page
	b, err := board.Compute(ctx, st, sc, "", from, to)
	if err != nil {
		return all, err
	}
	pages := board.NewPaged(b)
	q := url.Values{"limit": {strconv.Itoa(limit)}}
	for {
		p, err := paging.Parse(q, board.DefaultPage, board.MaxPage, board.CursorParts)
		if err != nil {
			return all, err
		}
		var after *index.Entry
		if p.After != nil {
			e, err := board.CursorEntry(p.After)
			if err != nil {
				return all, err
			}
			after = &e
		}
		var page board.Page
		if err := json.Unmarshal(pages.Page(after, p.Limit), &page); err != nil {
			return all, fmt.Errorf("index %s page after %q: %w", sc, q.Get("cursor"), err)
		}
		all.Entries = append(all.Entries, page.Entries...)
		all.InsufficientSample = append(all.InsufficientSample, page.InsufficientSample...)
		if page.NextCursor == "" {
			return all, nil
		}
		q.Set("cursor", page.NextCursor)
	}
}

// compareBoard compares one scope's published board with the recomputed
// ranking, member by member and field by field, in the same order.
func compareBoard(res *Result, sc index.Scope, published board.Page, want index.Ranking) {
	got := map[string]index.Entry{}
	order := slices.Concat(published.Entries, published.InsufficientSample)
	for _, e := range order {
		if _, ok := got[e.Code]; ok {
			res.Differences = append(res.Differences, fmt.Sprintf("index %s %s: published twice", sc, e.Code))
		}
		got[e.Code] = e
	}
	for _, e := range append(want.Ranked, want.Insufficient...) {
		g, ok := got[e.Code]
		if !ok {
			res.Differences = append(res.Differences, fmt.Sprintf("index %s %s: recomputed (n=%d) but not published", sc, e.Code, e.Result.N))
			continue
		}
		delete(got, e.Code)
		diffJSON(res, fmt.Sprintf("index %s %s", sc, e.Code), g, e)
	}
	for code, g := range got {
		res.Differences = append(res.Differences, fmt.Sprintf("index %s %s: published (n=%d) but not recomputed", sc, code, g.Result.N))
	}
	// The order is published too: the pages follow it.
	for i, e := range slices.Concat(want.Ranked, want.Insufficient) {
		if i < len(order) && order[i].Code != e.Code {
			res.Differences = append(res.Differences, fmt.Sprintf("index %s: published %s at place %d, recomputed %s", sc, order[i].Code, i+1, e.Code))
			break
		}
	}
}

// compareStats compares GET /api/v1/stats, which rollups answer, for the
// whole city and every district, unit, item, channel, stage, hall,
// workstation and staff member with reviews.
func compareStats(ctx context.Context, res *Result, st *store.Store, set review.DimensionSet, from, to time.Time,
	count func(index.Scope, bool) map[string]index.Counts) error {
	axes := []struct {
		scope  index.Scope
		filter func(code string) review.Filter
	}{
		{index.City, func(string) review.Filter { return review.Filter{} }},
		{index.District, func(c string) review.Filter { return review.Filter{District: c} }},
		{index.Unit, func(c string) review.Filter { return review.Filter{Unit: c} }},
		{index.Item, func(c string) review.Filter { return review.Filter{Item: c} }},
		{index.Channel, func(c string) review.Filter { return review.Filter{Channel: review.Channel(c)} }},
		{index.Stage, func(c string) review.Filter { return review.Filter{Stage: c} }},
		{index.Hall, func(c string) review.Filter { return review.Filter{Hall: c} }},
		{index.Workstation, func(c string) review.Filter { return review.Filter{Workstation: c} }},
		{index.Staff, func(c string) review.Filter { return review.Filter{Staff: c} }},
	}
	for _, ax := range axes {
		counts := count(ax.scope, false)
		for _, code := range slices.Sorted(maps.Keys(counts)) {
			f := ax.filter(code)
			f.From, f.To = from, to
			t, err := st.Stats(ctx, f)
			if err != nil {
				return err
			}
			res.Figures++
			want := tallyOf(counts[code])
			diffJSON(res, fmt.Sprintf("stats %s %s", ax.scope, code), t.Stats(set), want.Stats(set))
		}
	}
	return nil
}

// tallyOf is the statistics' tally of counts.
func tallyOf(c index.Counts) review.Tally {
	t := review.Tally{Stars: c.Stars, DimSum: c.DimensionSum, DimCount: c.DimensionCount}
	for i, tag := range review.Tags {
		t.Tags[i] = c.Tags[string(tag)]
	}
	return t
}

// diffJSON adds a line for every field where published and recomputed
// differ, as their JSON shows them.
func diffJSON(res *Result, what string, published, recomputed any) {
	var a, b any
	for _, p := range []struct {
		v   any
		out *any
	}{{published, &a}, {recomputed, &b}} {
		raw, _ := json.Marshal(p.v)
		json.Unmarshal(raw, p.out)
	}
	walk(res, what, "", a, b)
}

func walk(res *Result, what, path string, a, b any) {
	am, aok := a.(map[string]any)
	bm, bok := b.(map[string]any)
	if aok && bok {
		keys := map[string]bool{}
		for k := range am {
			keys[k] = true
		}
		for k := range bm {
			keys[k] = true
		}
		for _, k := range slices.Sorted(maps.Keys(keys)) {
			p := k
			if path != "" {
				p = path + "." + k
			}
			walk(res, what, p, am[k], bm[k])
		}
		return
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if string(ja) != string(jb) {
		res.Differences = append(res.Differences, fmt.Sprintf("%s %s: published %s, recomputed %s", what, path, ja, jb))
	}
}
