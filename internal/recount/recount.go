// Package recount recomputes the published evaluation index from the raw
// tables in plain SQL (recount.sql) and compares it with what a running
// server publishes: `haocha index verify --server URL`. It deliberately
// shares no code with the server's computation (internal/index,
// internal/board, the rollups), so a fault in either shows as a
// difference; the SQL is the definition a third party can read and run.
package recount

import (
	"context"
	"database/sql"
	_ "embed"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"time"
)

//go:embed recount.sql
var sqlText string

var queries = template.Must(template.New("recount").Parse(sqlText))

// Definition is the published index definition (GET
// /api/v1/index/definition), read as a third party reads it.
type Definition struct {
	Version        int   `json:"version"`
	SatisfiedStars []int `json:"satisfied_stars"`
	GoodStars      []int `json:"good_stars"`
	Weights        struct {
		Stars                float64 `json:"stars"`
		NotBad               float64 `json:"not_bad"`
		Rectification        float64 `json:"rectification"`
		FollowUpSatisfaction float64 `json:"follow_up_satisfaction"`
		OnTimeReply          float64 `json:"on_time_reply"`
	} `json:"weights"`
	Prior          int  `json:"prior"`
	MinSample      int  `json:"min_sample"`
	OrdersToParent bool `json:"orders_to_parent"`
	OrderPrior     int  `json:"order_prior"`
	// From version 3 (issues 16 and 18): the scopes that count verified
	// reviews only, what an unverified review weighs in the others (nil
	// before), and whether orders not dispatched yet count for the centre
	// alone.
	VerifiedScopes      []string `json:"verified_scopes"`
	UnverifiedWeight    *float64 `json:"unverified_weight"`
	OrdersAfterDispatch bool     `json:"orders_after_dispatch"`
}

// Weight is unverified_weight as SQL.
func (d Definition) Weight() string { return strconv.FormatFloat(*d.UnverifiedWeight, 'g', -1, 64) }

// verifiedOnly reports whether scope counts only the reviews bound to a
// service event: one of the verified scopes, or any scope when an
// unverified review weighs 0.
func (d Definition) verifiedOnly(scope string) bool {
	return d.UnverifiedWeight != nil && (*d.UnverifiedWeight == 0 || slices.Contains(d.VerifiedScopes, scope))
}

// Satisfied and Good are the star bands as SQL lists.
func (d Definition) Satisfied() string { return list(d.SatisfiedStars) }
func (d Definition) Good() string      { return list(d.GoodStars) }

func list(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ", ")
}

// Figure is one recomputed value, nil for null, with the decimal places
// the server rounds it to (-1: not rounded).
type Figure struct {
	Value  *float64
	Places int
}

// Member is a member's recomputed figures by the path of their JSON field
// in a published entry ("index", "indicators.bad_rate", ...).
type Member map[string]Figure

// Index is a member's recomputed index, nil under the minimum sample.
func (m Member) Index() *float64 { return m["index"].Value }

// N is a member's number of reviews.
func (m Member) N() float64 { return *m["n"].Value }

// Period is a recomputation's input: a scope over the days From to To
// (inclusive, in the city's zone), as the server stood at Now.
type Period struct {
	Scope    string
	From, To time.Time
	Now      time.Time
	Def      Definition
	// Workday tells the official working-day schedule (the shipped
	// calendar and the administrators' days), data the SQL is given.
	Workday func(day time.Time) bool
	// Tags are the review tags, a tag's position its bit in reviews.tags.
	Tags []string
}

// zone is the city's zone, UTC+8 all year.
var zone = time.FixedZone("CST", 8*3600)

const dayMillis = 86400000

// dayNumber is the day of t in the city's zone, counted from 1970-01-01.
func dayNumber(t time.Time) int64 { return (t.UnixMilli() + 8*3600*1000) / dayMillis }

// midnight is the start of t's day in the city's zone.
func midnight(t time.Time) time.Time {
	t = t.In(zone)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, zone)
}

// members is, per scope, the SQL of a review r's member, of the member a
// work order o counts toward (谁办理、谁负责 for units) and of a transaction
// t's member; listed selects the units every board lists, reviewed or not.
var members = map[string]struct{ review, order, txn, listed string }{
	"city":        {"'city'", "'city'", "'city'", ""},
	"district":    {"NULLIF(r.district, '')", "NULLIF(r.district, '')", "NULLIF(t.district, '')", "kind = 'district'"},
	"agency":      {agency("r.unit"), agency("COALESCE(NULLIF(o.unit, ''), r.unit)"), agency("t.unit"), "kind = 'agency'"},
	"unit":        {"r.unit", "COALESCE(NULLIF(o.unit, ''), r.unit)", "t.unit", "1 = 1"},
	"hall":        {"NULLIF(r.hall, '')", "NULLIF(r.hall, '')", "NULLIF(t.hall, '')", ""},
	"window":      {"NULLIF(r.window_code, '')", "NULLIF(r.window_code, '')", "NULLIF(t.window_code, '')", ""},
	"workstation": {"NULLIF(r.workstation, '')", "NULLIF(r.workstation, '')", "NULLIF(t.workstation, '')", ""},
	"item":        {"r.item", "r.item", "t.item", ""},
	"stage":       {"r.stage", "r.stage", "CAST(NULL AS TEXT)", ""},
	"channel":     {"r.channel", "r.channel", "t.channel", ""},
}

func agency(col string) string {
	return "CASE WHEN " + col + " IN (SELECT code FROM units WHERE kind = 'agency') THEN " + col + " END"
}

// Scopes are the public scopes, in the order they are checked.
var Scopes = []string{"city", "district", "agency", "unit", "hall", "window", "workstation", "item", "stage", "channel", "centre"}

// Recount recomputes every member of p.Scope from the raw tables of db.
func Recount(ctx context.Context, db *sql.DB, p Period) (map[string]Member, error) {
	// The centre's board is the city's orders (centre.go).
	centre := p.Scope == "centre"
	if centre {
		p.Scope = "city"
	}
	m, ok := members[p.Scope]
	if !ok {
		return nil, fmt.Errorf("recount: unknown scope %q", p.Scope)
	}
	text, err := templates(ctx, db, p, m)
	if err != nil {
		return nil, err
	}
	q, err := text("figures")
	if err != nil {
		return nil, err
	}
	out, err := figures(ctx, db, q)
	if err != nil {
		return nil, fmt.Errorf("recount %s: %w", p.Scope, err)
	}
	// Rule: a board of districts, agencies or units lists every one of
	// them, reviewed or not (样本不足); a board of the other scopes lists
	// only the members reviewed in the period (n > 0).
	all := map[string]bool{"city": true, "district": true, "agency": true, "unit": true}
	for code, m := range out {
		if n := m["n"].Value; !all[p.Scope] && n != nil && *n == 0 {
			delete(out, code)
		}
		if p.Def.UnverifiedWeight == nil {
			delete(m, "indicators.unverified") // published from version 3
		}
	}
	for _, part := range []struct{ name, prefix string }{
		{"tags", "indicators.tags."}, {"dimensions", "indicators.dimensions."}, {"participation", "indicators.participation."},
	} {
		q, err := text(part.name)
		if err != nil {
			return nil, err
		}
		if err := keyed(ctx, db, q, part.prefix, out); err != nil {
			return nil, fmt.Errorf("recount %s %s: %w", p.Scope, part.name, err)
		}
	}
	if err := causes(ctx, db, text, out); err != nil {
		return nil, fmt.Errorf("recount %s: %w", p.Scope, err)
	}
	if centre {
		return centreBoard(ctx, db, text, out["city"])
	}
	return out, nil
}

// templates renders the queries of recount.sql for p, whose scope's
// member expressions are m.
func templates(ctx context.Context, db *sql.DB, p Period, m struct{ review, order, txn, listed string }) (func(string) (string, error), error) {
	cal, err := calendarRows(ctx, db, p)
	if err != nil {
		return nil, err
	}
	tags := make([]string, len(p.Tags))
	for i, t := range p.Tags {
		tags[i] = fmt.Sprintf("(%d, '%s')", 1<<i, strings.ReplaceAll(t, "'", "''"))
	}
	data := map[string]any{
		"Member": m.review, "OrderMember": m.order, "TxnMember": m.txn, "Listed": m.listed, "City": p.Scope == "city",
		"Start": midnight(p.From).UnixMilli(), "End": midnight(p.To).AddDate(0, 0, 1).UnixMilli(), "Now": p.Now.UnixMilli(),
		"Calendar": cal, "Def": p.Def, "Tags": strings.Join(tags, ", "),
		"VerifiedOnly": p.Def.verifiedOnly(p.Scope),
	}
	text := func(name string) (string, error) {
		var b strings.Builder
		if err := queries.ExecuteTemplate(&b, name, data); err != nil {
			return "", fmt.Errorf("recount %s: %w", name, err)
		}
		return b.String(), nil
	}
	return text, nil
}

// calendarRows is the (day, workday) rows the SQL is given: every day from
// the first work order's (or the period's) to 60 days after now or the
// period's end, so that every dispatch deadline finds its working day.
func calendarRows(ctx context.Context, db *sql.DB, p Period) (string, error) {
	var first sql.NullInt64
	if err := db.QueryRowContext(ctx, "SELECT MIN(created_at) FROM work_orders").Scan(&first); err != nil {
		return "", fmt.Errorf("recount calendar: %w", err)
	}
	from := midnight(p.From)
	if first.Valid && time.UnixMilli(first.Int64).Before(from) {
		from = midnight(time.UnixMilli(first.Int64))
	}
	to := p.To
	if p.Now.After(to) {
		to = p.Now
	}
	to = midnight(to).AddDate(0, 0, 60)
	var b strings.Builder
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		w := 0
		if p.Workday(d.Add(12 * time.Hour)) {
			w = 1
		}
		if b.Len() == 0 {
			// The first row types the column: day numbers times a day's
			// milliseconds need 64 bits.
			fmt.Fprintf(&b, "(CAST(%d AS BIGINT), %d)", dayNumber(d), w)
		} else {
			fmt.Fprintf(&b, ", (%d, %d)", dayNumber(d), w)
		}
	}
	return b.String(), nil
}

// figureColumns are the columns of the figures query after the member, in
// order: how each is published.
var figureColumns = []string{"n", "stars1", "stars2", "stars3", "stars4", "stars5", "star_sum", "bad", "satisfied", "good",
	"given", "given_good", "linked", "transactions", "unrated", "work_orders", "rectified", "satisfied_first",
	"replied_on_time", "contacted_on_time", "real_name", "real_name_contacted", "redispatched", "escalated",
	"appeals_upheld", "undispatched_late", "median_days_to_close", "unverified", "s", "b", "r", "f", "t", "idx"}

func figures(ctx context.Context, db *sql.DB, q string) (map[string]Member, error) {
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]Member{}
	for rows.Next() {
		var code string
		vals := make([]sql.NullFloat64, len(figureColumns))
		dest := []any{&code}
		for i := range vals {
			dest = append(dest, &vals[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		c := map[string]*float64{}
		for i, name := range figureColumns {
			if vals[i].Valid {
				v := vals[i].Float64
				c[name] = &v
			}
		}
		out[code] = published(c)
	}
	return out, rows.Err()
}

// published turns a row's columns into the figures of a published entry.
func published(c map[string]*float64) Member {
	m := Member{}
	exact := func(path string, v *float64) { m[path] = Figure{Value: v, Places: -1} }
	rate := func(path string, num, den string) {
		if *c[den] == 0 {
			m[path] = Figure{Places: 4}
			return
		}
		v := *c[num] / *c[den]
		m[path] = Figure{Value: &v, Places: 4}
	}
	exact("n", c["n"])
	exact("indicators.n", c["n"])
	for _, p := range []string{"s", "b", "r", "f", "t"} {
		exact(p, c[p])
	}
	m["index"] = Figure{Value: c["idx"], Places: 2}
	insufficient := 0.0
	if c["idx"] == nil {
		insufficient = 1
	}
	exact("insufficient_sample", &insufficient)
	for i := 1; i <= 5; i++ {
		exact("indicators.stars."+strconv.Itoa(i), c["stars"+strconv.Itoa(i)])
	}
	rate("indicators.average_stars", "star_sum", "n")
	rate("indicators.satisfaction_rate", "satisfied", "n")
	rate("indicators.good_rate", "good", "n")
	rate("indicators.bad_rate", "bad", "n")
	rate("indicators.active_good_rate", "given_good", "given")
	rate("indicators.unrated_rate", "unrated", "transactions")
	rate("indicators.on_time_reply_rate", "replied_on_time", "work_orders")
	rate("indicators.first_contact_on_time_rate", "contacted_on_time", "work_orders")
	rate("indicators.real_name_reply_rate", "real_name_contacted", "real_name")
	rate("indicators.rectification_rate", "rectified", "work_orders")
	rate("indicators.follow_up_satisfaction_rate", "satisfied_first", "work_orders")
	rate("indicators.redispatch_rate", "redispatched", "work_orders")
	// undispatched_late is the 12345 centre's figure, published on the
	// centre's entry only (centre.go).
	for _, name := range []string{"linked", "transactions", "work_orders", "appeals_upheld"} {
		exact("indicators."+name, c[name])
	}
	exact("indicators.escalations", c["escalated"])
	exact("indicators.unverified", c["unverified"])
	exact("indicators.median_days_to_close", c["median_days_to_close"])
	return m
}

// keyed adds the rows (member, key, count) or (member, key, sum, count) of
// q under prefix: counts for tags, means for dimensions, reviews and their
// share of the transactions for participation.
func keyed(ctx context.Context, db *sql.DB, q, prefix string, out map[string]Member) error {
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	for rows.Next() {
		var code, key string
		var a, b float64
		dest := []any{&code, &key, &a}
		if len(cols) == 4 {
			dest = append(dest, &b)
		}
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		m, ok := out[code]
		if !ok {
			continue
		}
		switch prefix {
		case "indicators.dimensions.":
			if b > 0 {
				mean := a / b
				m[prefix+key] = Figure{Value: &mean, Places: 4}
			}
		case "indicators.participation.":
			m[prefix+key+".reviews"] = Figure{Value: &a, Places: -1}
			if txns := m["indicators.transactions"].Value; txns != nil && *txns > 0 {
				share := a / *txns
				m[prefix+key+".rate"] = Figure{Value: &share, Places: 4}
			} else {
				m[prefix+key+".rate"] = Figure{Places: 4}
			}
		default:
			m[prefix+key] = Figure{Value: &a, Places: -1}
		}
	}
	return rows.Err()
}

// Agrees reports whether a published value agrees with the recomputed
// figure: equal once the figure is rounded as the server rounds it, up to
// half a unit in the last place (where two correct roundings can differ).
func (f Figure) Agrees(published *float64) bool {
	switch {
	case f.Value == nil || published == nil:
		return f.Value == nil && published == nil
	case f.Places < 0:
		return math.Abs(*f.Value-*published) <= 1e-9*math.Max(1, math.Abs(*published))
	}
	return math.Abs(*f.Value-*published) <= 0.5*math.Pow10(-f.Places)+1e-9
}

// String is the figure as a report prints it.
func (f Figure) String() string {
	if f.Value == nil {
		return "null"
	}
	if f.Places < 0 {
		return strconv.FormatFloat(*f.Value, 'g', 12, 64)
	}
	return strconv.FormatFloat(*f.Value, 'f', f.Places, 64)
}
