package api

// GET /api/v1/index/definition: the index definition a period is computed
// under, as data and in words, so that anyone can recompute the boards.

import (
	"net/http"
	"strconv"
	"time"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/httpjson"
	"github.com/haocha/haocha/internal/index"
)

// IndexDefinition is the answer of GET /api/v1/index/definition.
type IndexDefinition struct {
	Version int `json:"version"`
	// EffectiveFrom is the first day a period may end on to be computed
	// under it; empty for the first definition, in force from the start.
	EffectiveFrom string           `json:"effective_from,omitempty"`
	Definition    index.Definition `json:"definition"`
	Formula       []string         `json:"formula"`
}

func (a *API) indexDefinition(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	to := a.Store.Now().In(calendar.Zone)
	if p := q.Get("period"); p != "" {
		day, err := periodEnd(p)
		if err != nil {
			return err
		}
		to = day
	}
	version := 0
	if v := q.Get("version"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return apperr.Invalidf("version", "want a definition version like 2, got %q", v)
		}
		version = n
	}
	rec, err := a.Store.DefinitionVersion(r.Context(), version, to)
	if err != nil {
		return err
	}
	out := IndexDefinition{Version: rec.Definition.Version, Definition: rec.Definition, Formula: rec.Definition.Formula()}
	if rec.EffectiveFrom > 0 {
		e := rec.EffectiveFrom
		out.EffectiveFrom = time.Date(e/10000, time.Month(e/100%100), e%100, 0, 0, 0, 0, calendar.Zone).Format(time.DateOnly)
	}
	httpjson.Write(w, http.StatusOK, out)
	return nil
}

// periodEnd is the last day of a period named by that day (2026-12-31) or
// by its month (2026-12).
func periodEnd(p string) (time.Time, error) {
	if day, err := calendar.ParseDay(p); err == nil {
		return day, nil
	}
	if m, err := time.ParseInLocation("2006-01", p, calendar.Zone); err == nil {
		return m.AddDate(0, 1, -1), nil
	}
	return time.Time{}, apperr.Invalidf("period", "want a period's last day like 2026-12-31 or a month like 2026-12, got %q", p)
}
