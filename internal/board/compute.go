package board

// The computation of a board: what GET /api/v1/index publishes, the pages
// draw and `haocha index verify` checks, from the day rollups of reviews
// and the work orders and transactions of the period.

import (
	"context"
	"time"

	"github.com/haocha/haocha/internal/index"
	"github.com/haocha/haocha/internal/review"
)

// Store is the storage a board is computed from.
type Store interface {
	// DefinitionFor is the index definition of a period whose last day
	// is to: old periods keep the one they were published under.
	DefinitionFor(ctx context.Context, to time.Time) (index.Definition, error)
	ActiveDimensionSet(ctx context.Context) (review.DimensionSet, error)
	// IndexCountsAt is the counts of every member of sc over the days
	// from to to as they stood at at (the orders due and the rating
	// windows closed by then), and the city's, which scores shrink
	// toward; at zero is the store's now.
	IndexCountsAt(ctx context.Context, sc index.Scope, from, to, at time.Time) (map[string]index.Counts, index.Counts, error)
	// ScopeNames is the names of sc's members by code.
	ScopeNames(ctx context.Context, sc index.Scope) (map[string]string, error)
	// ScopeNamesEN is the English names of those that have one.
	ScopeNamesEN(ctx context.Context, sc index.Scope) (map[string]string, error)
	// ScopeMembersIn is the codes of sc's members within parent.
	ScopeMembersIn(ctx context.Context, sc index.Scope, parent string) (map[string]bool, error)
}

// FromStore is the Source that computes boards from st.
func FromStore(st Store) Source {
	return func(ctx context.Context, sc index.Scope, parent string, from, to, at time.Time) (Board, error) {
		return ComputeAt(ctx, st, sc, parent, from, to, at)
	}
}

// Compute is ComputeAt the store's now, for a caller that publishes no
// computed time.
func Compute(ctx context.Context, st Store, sc index.Scope, parent string, from, to time.Time) (Board, error) {
	return ComputeAt(ctx, st, sc, parent, from, to, time.Time{})
}

// ComputeAt computes the board of sc's members within parent (the halls
// of a district, the staff of a unit; every member when parent is empty)
// over the days from to to, as it stands at at: every rule that depends
// on the time (an order counts once due, a dispatch is late once its
// deadline passed, a transaction counts once its rating window closed)
// takes at as now, so that the board can be recounted as of at (its
// Computed time, published as computed_at) however late it is checked.
// Scores are shrunk toward the whole city even within a parent, so a
// hall's score is the same on both boards.
func ComputeAt(ctx context.Context, st Store, sc index.Scope, parent string, from, to, at time.Time) (Board, error) {
	b := Board{Scope: sc, Parent: parent, From: from, To: to, Computed: at}
	def, err := st.DefinitionFor(ctx, to)
	if err != nil {
		return b, err
	}
	b.DefinitionVersion, b.Insufficient = def.Version, []index.Entry{}
	if sc == index.Centre {
		// Every order passes through the 12345 centre: its figures are
		// the city's orders'.
		_, city, err := st.IndexCountsAt(ctx, index.City, from, to, at)
		if err != nil {
			return b, err
		}
		b.Ranked = []index.Entry{index.CentreEntry(city.Orders, def)}
		return b, nil
	}
	// The scope's counts and the city's from one read of the rollups.
	counts, city, err := st.IndexCountsAt(ctx, sc, from, to, at)
	if err != nil {
		return b, err
	}
	names, err := st.ScopeNames(ctx, sc)
	if err != nil {
		return b, err
	}
	set, err := st.ActiveDimensionSet(ctx)
	if err != nil {
		return b, err
	}
	dims := make([]string, len(set.Dimensions))
	for i, d := range set.Dimensions {
		dims[i] = d.Code
	}
	// What the definition counts of them: from version 3, verified reviews
	// only in some scopes, and orders after dispatch.
	counts, city = def.CountedAll(sc, counts, city)
	names = index.Listed(sc, counts, names)
	if parent != "" {
		members, err := st.ScopeMembersIn(ctx, sc, parent)
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
	if err := NameInEnglish(ctx, st, sc, ranking.Ranked, ranking.Insufficient); err != nil {
		return b, err
	}
	b.Ranked, b.Insufficient = ranking.Ranked, ranking.Insufficient
	if b.Ranked == nil {
		b.Ranked = []index.Entry{}
	}
	if b.Insufficient == nil {
		b.Insufficient = []index.Entry{}
	}
	return b, nil
}

// Unreviewed is the entry of a member of sc without reviews in the period
// ending on to (样本不足, every rate null), as its board would list it;
// false when code names no member of sc.
func Unreviewed(ctx context.Context, st Store, sc index.Scope, code string, to time.Time) (index.Entry, bool, error) {
	names, err := st.ScopeNames(ctx, sc)
	if err != nil {
		return index.Entry{}, false, err
	}
	if _, ok := names[code]; !ok && !(sc == index.Channel && review.Channel(code).Valid()) {
		return index.Entry{}, false, nil
	}
	def, err := st.DefinitionFor(ctx, to)
	if err != nil {
		return index.Entry{}, false, err
	}
	one := index.Entries(nil, map[string]string{code: names[code]}, index.Counts{}, def, nil)
	if err := NameInEnglish(ctx, st, sc, one); err != nil {
		return index.Entry{}, false, err
	}
	return one[0], true, nil
}

// NameInEnglish sets the English name of each entry that has one: the
// API answers carry name (Chinese) and name_en.
func NameInEnglish(ctx context.Context, st Store, sc index.Scope, lists ...[]index.Entry) error {
	en, err := st.ScopeNamesEN(ctx, sc)
	if err != nil {
		return err
	}
	for _, l := range lists {
		for i := range l {
			if name, ok := en[l[i].Code]; ok {
				l[i].NameEN = name
			}
		}
	}
	return nil
}
