package recount

// Issue 18: the cause mix of every member and the 12345 centre's own
// board, recomputed from the work orders and their history (the
// "causes" and "centre" clauses of recount.sql).

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// causes adds each member's cause mix (indicators.causes.CODE) and the
// share of it that put the unit at fault (indicators.cause_at_fault_share,
// null without a cause) to out.
func causes(ctx context.Context, db *sql.DB, text func(string) (string, error), out map[string]Member) error {
	q, err := text("causes")
	if err != nil {
		return err
	}
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return fmt.Errorf("causes: %w", err)
	}
	defer rows.Close()
	type mix struct{ caused, atFault float64 }
	mixes := map[string]*mix{}
	for rows.Next() {
		var code, cause string
		var n, atFault float64
		if err := rows.Scan(&code, &cause, &n, &atFault); err != nil {
			return fmt.Errorf("causes: %w", err)
		}
		m, ok := out[code]
		if !ok {
			continue
		}
		m["indicators.causes."+cause] = Figure{Value: &n, Places: -1}
		if mixes[code] == nil {
			mixes[code] = &mix{}
		}
		mixes[code].caused += n
		mixes[code].atFault += atFault
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("causes: %w", err)
	}
	for code, m := range out {
		share := Figure{Places: 4}
		if x := mixes[code]; x != nil && x.caused > 0 {
			v := x.atFault / x.caused
			share.Value = &v
		}
		m["indicators.cause_at_fault_share"] = share
	}
	return nil
}

// centreBoard is the centre's board: its one member, 12345, judged for
// what the operators did with the city's orders due in the period (city,
// the city's recomputed figures, gives the cause mix). The figures of the
// units' own work are null on it, and no review rates it: n 0, index null.
func centreBoard(ctx context.Context, db *sql.DB, text func(string) (string, error), city Member) (map[string]Member, error) {
	q, err := text("centre")
	if err != nil {
		return nil, err
	}
	var code string
	var counted, upheld, orders, late, contacted, redispatched, escalated sql.NullFloat64
	if err := db.QueryRowContext(ctx, q).Scan(&code, &counted, &upheld, &orders, &late, &contacted, &redispatched, &escalated); err != nil {
		return nil, fmt.Errorf("recount centre: %w", err)
	}
	num := func(x sql.NullFloat64) *float64 { v := x.Float64; return &v } // SUM of no rows is NULL: 0
	zero, null := 0.0, Figure{Places: 4}
	m := Member{}
	for _, path := range []string{"n", "indicators.n", "s", "b", "r", "f", "t", "insufficient_sample",
		"indicators.linked", "indicators.transactions"} {
		m[path] = Figure{Value: &zero, Places: -1}
	}
	for i := 1; i <= 5; i++ {
		m[fmt.Sprintf("indicators.stars.%d", i)] = Figure{Value: &zero, Places: -1}
	}
	m["index"] = Figure{Places: 2}
	for _, path := range []string{"average_stars", "satisfaction_rate", "good_rate", "bad_rate", "active_good_rate",
		"unrated_rate", "on_time_reply_rate", "real_name_reply_rate", "rectification_rate", "follow_up_satisfaction_rate",
		"median_days_to_close"} {
		m["indicators."+path] = null
	}
	m["indicators.work_orders"] = Figure{Value: num(orders), Places: -1}
	m["indicators.appeals_upheld"] = Figure{Value: num(upheld), Places: -1}
	m["indicators.escalations"] = Figure{Value: num(escalated), Places: -1}
	m["indicators.undispatched_late"] = Figure{Value: num(late), Places: -1}
	rate := func(x sql.NullFloat64) Figure {
		if orders.Float64 == 0 {
			return null
		}
		v := x.Float64 / orders.Float64
		return Figure{Value: &v, Places: 4}
	}
	m["indicators.first_contact_on_time_rate"] = rate(contacted)
	m["indicators.redispatch_rate"] = rate(redispatched)
	// The cause mix is the city's: every order passes through the centre.
	m["indicators.cause_at_fault_share"] = null
	for path, f := range city {
		if path == "indicators.cause_at_fault_share" || strings.HasPrefix(path, "indicators.causes.") {
			m[path] = f
		}
	}
	return map[string]Member{code: m}, nil
}
