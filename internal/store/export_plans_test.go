package store

import (
	"strings"
	"time"

	"github.com/haocha/haocha/internal/fraud"
	"github.com/haocha/haocha/internal/review"
)

// PlanQuery is one read of reviews as the store builds it, bound for this
// store's dialect, with example arguments, and the index of reviews that
// should find its rows.
type PlanQuery struct {
	Name  string
	Query string
	Args  []any
	Index string
}

// ReviewReads are the store's reads of reviews by a member, a mark or a
// time, as the store builds them, for r: what a dropped index could leave
// scanning the table.
func (s *Store) ReviewReads(r *review.Review) []PlanQuery {
	var out []PlanQuery
	add := func(name, index, q string, args ...any) {
		out = append(out, PlanQuery{Name: name, Query: s.rebind(q), Args: args, Index: index})
	}
	addStmts := func(name, index string, stmts []stmt) {
		for _, st := range stmts {
			// The advisory locks that go with a count read no table.
			if strings.Contains(st.q, "reviews") {
				add(name, index, st.q, st.args...)
			}
		}
	}
	// A burst's earlier reviews held with it by id, as the windows name
	// them, and one signal at a time by its condition, when the windows
	// may not know the burst whole: the marks (device, network) have no
	// index since migration 0210, nor the unit (all reviews, or the
	// unverified) since 0220, and read the burst's window.
	b := *r
	b.Held, b.Bursts = "test", []review.Burst{{Signal: string(fraud.DeviceVelocity), Window: time.Hour}}
	sp := span{from: millis(b.CreatedAt.Add(-time.Hour)), to: millis(b.CreatedAt)}
	h := burstHold{b: &b, ids: map[int64]bool{1: true, 2: true, 3: true}, spans: []burstSpan{{k: byDevice, key: b.ClientMark, sp: sp, bu: b.Bursts[0]}}}
	addStmts("burst by id", "reviews_pkey", burstStmts(h, func(*review.Review, bool) {}))
	addStmts("late holds", "reviews_pkey", lateStmts(map[int64]string{1: "a", 2: "a"}, func(*review.Review, bool) {}))
	for sig, index := range map[fraud.Signal]string{fraud.AddressVelocity: "reviews_created", fraud.DeviceVelocity: "reviews_created",
		fraud.WorkstationVelocity: "reviews_workstation", fraud.UnitVelocity: "reviews_created", fraud.HallVelocity: "reviews_hall",
		fraud.SameText: "reviews_text_print", fraud.FiveStarBurst: "reviews_workstation", fraud.UnverifiedUnit: "reviews_created",
		fraud.UnverifiedDistrict: "reviews_unverified_district"} {
		b := *r
		b.Held, b.Bursts = "test", []review.Burst{{Signal: string(sig), Window: time.Hour}}
		k, _ := burstWindow(string(sig))
		h := burstHold{b: &b, spans: []burstSpan{{k: k, key: arrivalOf(&b).key(k), sp: sp, bu: b.Bursts[0], cond: true}}}
		addStmts("burst "+string(sig)+" by its condition", index, burstStmts(h, func(*review.Review, bool) {}))
	}
	since := millis(r.CreatedAt.AddDate(0, 0, -7))
	add("held reviews", "reviews_held", heldReviewsQuery, 0, 50)
	add("alert facts, bad", "reviews_bad_created", badFactsQuery, since)
	add("alert facts, good", "reviews_created", goodFactsQuery, since)
	add("reviews without themes", "reviews_bad_created", unthemedQuery, since, since, 0)
	add("national export", "reviews_created", nationalReviewsQuery, since, millis(r.CreatedAt))
	add("checkpoint digest", "reviews_created", digestReviewsQuery, since, millis(r.CreatedAt))
	add("index rows", "reviews_created", factsQuery, since, millis(r.CreatedAt))
	add("screening windows at start", "reviews_created", loadArrivals, since, int64(1)<<40)
	return out
}

// StatsQuery is the query Stats runs for f, bound for this store's
// dialect, or Stats's refusal of f.
func (s *Store) StatsQuery(f review.Filter) (PlanQuery, error) {
	q, args, err := statsQuery(f)
	return PlanQuery{Name: "stats", Query: s.rebind(q), Args: args}, err
}

// PlacesQuery is the query Places runs for f, bound for this store's
// dialect.
func (s *Store) PlacesQuery(f PlaceFilter) PlanQuery {
	q, args := placesQuery(f)
	return PlanQuery{Name: "places", Query: s.rebind(q), Args: args}
}
