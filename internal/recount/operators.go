package recount

// Issue 18: the 12345 operators' own figures (GET /api/v1/operators,
// beside the centre's board), recomputed from the orders' history (the
// "operators" clause of recount.sql) and compared by login.

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"time"
)

// Operators recounts every operator account's own figures over the days
// p.From to p.To as of p.Now, by login, keyed as GET /api/v1/operators
// publishes them.
func Operators(ctx context.Context, db *sql.DB, p Period) (map[string]Member, error) {
	p.Scope = "city"
	text, err := templates(ctx, db, p, members["city"])
	if err != nil {
		return nil, err
	}
	q, err := text("operators")
	if err != nil {
		return nil, err
	}
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("recount operators: %w", err)
	}
	defer rows.Close()
	out := map[string]Member{}
	for rows.Next() {
		var login string
		var dispatched, late, redispatches, contactDue, contacted, followUps, reviewed, changed float64
		var median sql.NullFloat64
		if err := rows.Scan(&login, &dispatched, &late, &redispatches, &contactDue, &contacted, &followUps, &reviewed, &changed, &median); err != nil {
			return nil, fmt.Errorf("recount operators: %w", err)
		}
		exact := func(v float64) Figure { return Figure{Value: &v, Places: -1} }
		rate := func(num, den float64) Figure {
			if den == 0 {
				return Figure{Places: 4}
			}
			v := num / den
			return Figure{Value: &v, Places: 4}
		}
		m := Member{
			"dispatched": exact(dispatched), "dispatched_late": exact(late), "late_rate": rate(late, dispatched),
			"redispatches": exact(redispatches), "first_contact_on_time_rate": rate(contacted, contactDue),
			"follow_ups": exact(followUps), "causes_reviewed": exact(reviewed), "causes_changed": exact(changed),
			"median_dispatch_hours": {Places: 1},
		}
		if median.Valid {
			m["median_dispatch_hours"] = Figure{Value: &median.Float64, Places: 1}
		}
		out[login] = m
	}
	return out, rows.Err()
}

// operatorPeriods are the periods GET /api/v1/operators answers.
var operatorPeriods = []string{"quarter", "year"}

// checkOperators compares GET /api/v1/operators, over each of its
// periods, with the recount as of the computed_at it publishes.
func (c Check) checkOperators(ctx context.Context, res *Result) error {
	for _, span := range operatorPeriods {
		var answer struct {
			From       string           `json:"from"`
			To         string           `json:"to"`
			ComputedAt any              `json:"computed_at"`
			Operators  []map[string]any `json:"operators"`
		}
		if err := c.get(ctx, res, "/api/v1/operators", url.Values{"period": {span}}, &answer); err != nil {
			return err
		}
		at, err := computedAt(answer.ComputedAt)
		if err != nil {
			return fmt.Errorf("GET /api/v1/operators: %w", err)
		}
		from, err := time.ParseInLocation(time.DateOnly, answer.From, zone)
		if err != nil {
			return fmt.Errorf("GET /api/v1/operators: from: %w", err)
		}
		to, err := time.ParseInLocation(time.DateOnly, answer.To, zone)
		if err != nil {
			return fmt.Errorf("GET /api/v1/operators: to: %w", err)
		}
		want, err := Operators(ctx, c.DB, Period{From: from, To: to, Now: at, Workday: c.Workday})
		if err != nil {
			return err
		}
		res.Members += len(want)
		where := Difference{Period: answer.From + "/" + answer.To, Scope: "operators"}
		seen := map[string]bool{}
		for _, o := range answer.Operators {
			login, _ := o["login"].(string)
			d := where
			d.Member = login
			seen[login] = true
			m, ok := want[login]
			if !ok {
				d.Field, d.Published, d.Recomputed = "login", "listed", "not an operator"
				res.Differences = append(res.Differences, d)
				continue
			}
			compareEntry(res, d, "", flatten(o), m)
		}
		for _, login := range slices.Sorted(maps.Keys(want)) {
			if !seen[login] {
				res.Differences = append(res.Differences, Difference{Period: where.Period, Scope: where.Scope, Member: login,
					Field: "login", Published: "not listed", Recomputed: "an operator"})
			}
		}
	}
	return nil
}
