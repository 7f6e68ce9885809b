package web

import (
	"context"
	"fmt"
	"time"

	"github.com/haocha/haocha/internal/index"
	"github.com/haocha/haocha/internal/store"
)

// hallWorkstations ranks a hall's workstations among themselves, as
// hallWindows ranks its windows: from the city's published workstation
// board of the period the page states (the quarter, or the year), by the
// shrunk index with n beside it; a workstation without reviews is listed
// with n = 0 (issue 18).
func (w *Web) hallWorkstations(ctx context.Context, hall, lang string, from, to time.Time) (index.Ranking, map[string]string, error) {
	places, err := w.store.Places(ctx, store.PlaceFilter{Hall: hall})
	if err != nil {
		return index.Ranking{}, nil, err
	}
	names := map[string]string{}
	var order []string
	for _, p := range places {
		if _, ok := names[p.Workstation.Code]; !ok {
			names[p.Workstation.Code] = p.Workstation.NameIn(lang)
			order = append(order, p.Workstation.Code)
		}
	}
	b, err := w.boards.Board(ctx, index.Workstation, from, to)
	if err != nil {
		return index.Ranking{}, nil, fmt.Errorf("workstation board: %w", err)
	}
	var entries []index.Entry
	for _, code := range order {
		e, ok := b.Find(code)
		if !ok {
			e = index.Entry{Code: code}
		}
		entries = append(entries, e)
	}
	return index.Rank(entries), names, nil
}
