package api

// The evaluation index: a scope's ranking and one member's indicators,
// computed from the raw reviews and work orders of the period.

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"github.com/haocha/haocha/internal/httpjson"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/board"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/index"
	"github.com/haocha/haocha/internal/review"
)

// defaultIndexDays is the period when from and to are not given: the 30
// days up to today.
const defaultIndexDays = 30

// indexQuery is a request's scope and period.
type indexQuery struct {
	scope    index.Scope
	from, to time.Time
	district string // rank only the halls of this district
}

func (a *API) parseIndexQuery(ctx context.Context, q url.Values) (indexQuery, error) {
	iq := indexQuery{scope: index.Scope(q.Get("scope"))}
	switch {
	case iq.scope == "":
		return iq, apperr.Invalidf("scope", "required: district, agency, unit, hall, window, workstation, item, stage, channel or city")
	case !iq.scope.Valid():
		return iq, apperr.Invalidf("scope", "unknown scope %q", iq.scope)
	case !iq.scope.Public():
		return iq, apperr.Invalidf("scope", "%s results are not public", iq.scope)
	}
	now := a.Store.Now().In(calendar.Zone)
	iq.to = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, calendar.Zone)
	iq.from = iq.to.AddDate(0, 0, 1-defaultIndexDays)
	if err := parseDays(q, &iq.from, &iq.to); err != nil {
		return iq, err
	}
	if iq.district = q.Get("district"); iq.district != "" {
		if iq.scope != index.Hall {
			return iq, apperr.Invalidf("district", "only halls are ranked within a district, not %s", iq.scope)
		}
		u, err := a.Store.Unit(ctx, iq.district)
		if apperr.Is(err, apperr.NotFound) || (err == nil && u.Kind != catalog.District) {
			return iq, apperr.Invalidf("district", "%q is not a known district", iq.district)
		} else if err != nil {
			return iq, err
		}
	}
	return iq, nil
}

// IndexBoard is a scope's published index over a period, or a page of it.
type IndexBoard struct {
	BoardHead
	Entries []index.Entry `json:"entries"`
	// InsufficientSample lists the members under the minimum sample
	// (样本不足), unranked.
	InsufficientSample []index.Entry `json:"insufficient_sample"`
	// NextCursor is the cursor of the page after, empty on the last page.
	NextCursor string `json:"next_cursor"`
}

// BoardHead is what a board's answer says before its members.
type BoardHead struct {
	Scope             index.Scope `json:"scope"`
	From              string      `json:"from"`
	To                string      `json:"to"`
	DefinitionVersion int         `json:"definition_version"`
	// Parent is the district whose halls are ranked, or the unit whose
	// staff are; absent when every member is.
	Parent string `json:"parent,omitempty"`
}

func headOf(b board.Board) BoardHead {
	return BoardHead{Scope: b.Scope, From: b.From.Format(time.DateOnly), To: b.To.Format(time.DateOnly),
		DefinitionVersion: b.DefinitionVersion, Parent: b.Parent}
}

// Board computes a scope's published index: what GET /api/v1/index answers
// and what `haocha index verify` checks.
func (a *API) Board(ctx context.Context, sc index.Scope, from, to time.Time) (IndexBoard, error) {
	return a.BoardWithin(ctx, sc, "", from, to)
}

// BoardWithin is Board ranking only the members within parent (halls of a
// district, staff of a unit; all members when parent is empty). Scores are
// still shrunk toward the city, so a hall's score is the same in both.
func (a *API) BoardWithin(ctx context.Context, sc index.Scope, parent string, from, to time.Time) (IndexBoard, error) {
	b := IndexBoard{BoardHead: headOf(board.Board{Scope: sc, Parent: parent, From: from, To: to})}
	def, err := a.Store.DefinitionFor(ctx, to)
	if err != nil {
		return b, err
	}
	// The scope's counts and the city's, which scores shrink toward, from
	// one read of the period's reviews.
	counts, city, err := a.figures().IndexCountsWithCity(ctx, sc, from, to)
	if err != nil {
		return b, err
	}
	names, err := a.Store.ScopeNames(ctx, sc)
	if err != nil {
		return b, err
	}
	set, err := a.Store.ActiveDimensionSet(ctx)
	if err != nil {
		return b, err
	}
	dims := make([]string, len(set.Dimensions))
	for i, d := range set.Dimensions {
		dims[i] = d.Code
	}
	if sc != index.District && sc != index.Agency && sc != index.Unit {
		// Of 20,000 workstations only those with reviews are listed.
		listed := map[string]string{}
		for code := range counts {
			listed[code] = names[code]
		}
		names = listed
	}
	if parent != "" {
		members, err := a.Store.ScopeMembersIn(ctx, sc, parent)
		if err != nil {
			return b, err
		}
		for code := range names {
			if !members[code] {
				delete(names, code)
				delete(counts, code)
			}
		}
	}
	ranking := index.Rank(index.Entries(counts, names, city, def, dims))
	b.DefinitionVersion = def.Version
	b.Entries, b.InsufficientSample = ranking.Ranked, ranking.Insufficient
	if b.Entries == nil {
		b.Entries = []index.Entry{}
	}
	if b.InsufficientSample == nil {
		b.InsufficientSample = []index.Entry{}
	}
	return b, nil
}

// BoardSource is BoardWithin as the boards cache's source.
func (a *API) BoardSource(ctx context.Context, sc index.Scope, parent string, from, to time.Time) (board.Board, error) {
	b, err := a.BoardWithin(ctx, sc, parent, from, to)
	if err != nil {
		return board.Board{}, err
	}
	return board.Board{Scope: sc, Parent: parent, From: from, To: to, DefinitionVersion: b.DefinitionVersion,
		Ranked: b.Entries, Insufficient: b.InsufficientSample}, nil
}

// published is the board the API answers: from the boards cache when there
// is one, so the API and the pages show the same figures for a minute.
func (a *API) published(ctx context.Context, sc index.Scope, parent string, from, to time.Time) (board.Board, error) {
	if a.Boards == nil {
		return a.BoardSource(ctx, sc, parent, from, to)
	}
	return a.Boards.Within(ctx, sc, parent, from, to)
}

// ScopeIndicators is one member's published index and indicators.
type ScopeIndicators struct {
	Scope index.Scope `json:"scope"`
	From  string      `json:"from"`
	To    string      `json:"to"`
	index.Entry
}

func (a *API) indicators(w http.ResponseWriter, r *http.Request) error {
	iq, err := a.parseIndexQuery(r.Context(), r.URL.Query())
	if err != nil {
		return err
	}
	code := r.URL.Query().Get("code")
	if iq.scope == index.City {
		code = "city"
	} else if code == "" {
		return apperr.Invalidf("code", "required for scope %s", iq.scope)
	}
	b, err := a.published(r.Context(), iq.scope, "", iq.from, iq.to)
	if err != nil {
		return err
	}
	out := ScopeIndicators{Scope: iq.scope, From: iq.from.Format(time.DateOnly), To: iq.to.Format(time.DateOnly)}
	if e, ok := b.Find(code); ok {
		out.Entry = e
		httpjson.Write(w, http.StatusOK, out)
		return nil
	}
	if ok, err := a.knownCode(r.Context(), iq.scope, code); err != nil {
		return err
	} else if !ok {
		return apperr.Invalidf("code", "unknown %s %q", iq.scope, code)
	}
	// A known member without reviews in the period.
	def, err := a.Store.DefinitionFor(r.Context(), iq.to)
	if err != nil {
		return err
	}
	names, err := a.Store.ScopeNames(r.Context(), iq.scope)
	if err != nil {
		return err
	}
	out.Entry = index.Entries(nil, map[string]string{code: names[code]}, index.Counts{}, def, nil)[0]
	httpjson.Write(w, http.StatusOK, out)
	return nil
}

// knownCode reports whether code names a member of scope sc.
func (a *API) knownCode(ctx context.Context, sc index.Scope, code string) (bool, error) {
	if sc == index.Channel {
		return review.Channel(code).Valid(), nil
	}
	names, err := a.Store.ScopeNames(ctx, sc)
	if err != nil {
		return false, err
	}
	_, ok := names[code]
	return ok, nil
}
