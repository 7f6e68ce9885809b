package store

// Order rollups (migration 0215): the index's work-order counts per member
// and due day (order_rollups) and per member and month
// (order_rollups_monthly), so that a period that is not a standard one
// reads its orders from a few rows a member instead of every order due in
// it, joined to its review, in Go.
//
// Rows are rebuilt from the orders, never adjusted: an order's figures
// depend on the calendar (its dispatch deadline, its working days to
// close), on its review (held, excluded) and on a dozen of its columns, and
// its due day moves when it is dispatched; so every write that may change
// what a due day counts marks that day dirty in order_rollup_days, in its
// own transaction (orderDaysMark: ChangeOrder, the one home of order
// steps; holds, exclusions and the supervisor's decisions on a held
// review; orders opened for reviews of earlier days; a calendar import),
// and the next reader rebuilds the dirty days, and the days that ended
// since the last build, from the orders as the index always counted them
// (ordersDue). A day's rows are what its orders count once every event of
// theirs has passed; a count as of at reads them only for days that ended
// by at, are not dirty, and whose every order's event and mark (changed)
// is not after at. Any other day is counted from the orders, as before.

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/index"
)

// afterEvents is the instant a day's rows count as of: after every event.
var afterEvents = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

// orderScopes are the scopes whose members have rows of their own; the
// agency scope reads the unit rows of agencies.
var orderScopes = []index.Scope{index.City, index.District, index.Unit, index.Hall, index.Window,
	index.Workstation, index.Staff, index.Item, index.Stage, index.Channel}

// orderAxis is the rollup axis of a scope's order counts, its column in
// ordersDue, and extra conditions on the rows' codes (rowCond, to append)
// and on the orders (orderCond).
func orderAxis(sc index.Scope) (axis, col, rowCond, orderCond string, err error) {
	col, _, err = scopeColumn(sc)
	switch sc {
	case index.City:
		return "all", col, "", "", err
	case index.Unit, index.Agency:
		// An order counts toward the unit it is with (谁办理、谁负责).
		col = "COALESCE(o.unit, r.unit)"
		if sc == index.Agency {
			agencies := " IN (SELECT code FROM units WHERE kind = 'agency')"
			return "unit", col, " AND code" + agencies, col + agencies, err
		}
		return "unit", col, "", "", err
	}
	return string(sc), col, "", "", err
}

// queryFunc is a query of the store or of a transaction.
type queryFunc func(ctx context.Context, q string, args ...any) (*sql.Rows, error)

// dueOrder is an order due in a period as the counts read it: what the
// index needs of it, its due time and the codes of the members it counts
// toward, one for each column asked (NULL where it has none).
type dueOrder struct {
	order index.Order
	due   time.Time
	codes []sql.NullString
}

// orderSlack is how far before a period an undispatched order may have been
// opened and still have its dispatch deadline in the period: one working
// day, stretched by the longest run of holidays.
const orderSlack = 31 * 24 * time.Hour

// ordersDue reads the orders whose due time (index.Order.DueTime) falls
// in [start, end) and that meet cond, with the member columns cols. An
// order whose review is held out for another reason than an upheld appeal
// (suspected fraud) is left out with it.
func ordersDue(ctx context.Context, query queryFunc, cal index.Workdays, cols []string, cond string, start, end time.Time) ([]dueOrder, error) {
	where := "((o.due_at >= ? AND o.due_at < ?) OR (o.due_at IS NULL AND o.created_at >= ? AND o.created_at < ?))"
	if cond != "" {
		where += " AND " + cond
	}
	q := "SELECT " + strings.Join(cols, ", ") + ", r.anonymous, (r.excluded IS NOT NULL OR r.held IS NOT NULL), " +
		orderColumns.sel("o") + " FROM work_orders o JOIN reviews r ON r.id = o.review WHERE " + where
	rows, err := query(ctx, q, millis(start), millis(end), millis(start.Add(-orderSlack)), millis(end))
	if err != nil {
		return nil, fmt.Errorf("index orders: %w", err)
	}
	defer rows.Close()
	var out []dueOrder
	for rows.Next() {
		g := dueOrder{codes: make([]sql.NullString, len(cols))}
		var anonymous, excluded bool
		lead := []any{}
		for i := range g.codes {
			lead = append(lead, &g.codes[i])
		}
		o, err := scanOrder(scanFunc(func(dest ...any) error {
			return rows.Scan(append(append(lead, &anonymous, &excluded), dest...)...)
		}))
		if err != nil {
			return nil, fmt.Errorf("index orders: %w", err)
		}
		g.order = index.OrderOf(o, anonymous)
		if excluded && !g.order.AppealUpheld {
			continue
		}
		if g.due = g.order.DueTime(cal); g.due.Before(start) || !g.due.Before(end) {
			continue
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// lastEvent is the latest instant an order's figures depend on.
func lastEvent(o index.Order) time.Time {
	last := o.Created
	for _, t := range []time.Time{o.Dispatched, o.Contacted, o.Replied, o.Closed, o.Supervised} {
		if t.After(last) {
			last = t
		}
	}
	return last
}

// orderDaysMark is the statement that marks the due days days dirty as of
// now, in the transaction of the write that changed what they count. A day
// after now's has no rows yet, and is built from the orders once it has
// ended: it needs no mark.
func orderDaysMark(days []int, now time.Time) []stmt {
	today := dayOf(now)
	seen := map[int]bool{}
	var args []any
	for _, d := range days {
		if d <= today && !seen[d] {
			seen[d] = true
			args = append(args, d, millis(now), true)
		}
	}
	if len(args) == 0 {
		return nil
	}
	return []stmt{{q: "INSERT INTO order_rollup_days (day, changed, dirty) VALUES " + valueRows(len(args)/3, 3) +
		` ON CONFLICT (day) DO UPDATE SET dirty = TRUE,
			changed = CASE WHEN order_rollup_days.changed < excluded.changed THEN excluded.changed ELSE order_rollup_days.changed END`,
		args: args}}
}

// orderSpanDays is the days an order opened on opened may fall due on
// before it is dispatched: after that day, within orderSlack.
func orderSpanDays(opened time.Time) []int {
	var out []int
	for d := 1; d <= int(orderSlack/(24*time.Hour))+1; d++ {
		out = append(out, dayOf(calendar.Midnight(opened).AddDate(0, 0, d).Add(12*time.Hour)))
	}
	return out
}

// markOrderDays marks dirty the due days of an order before and after a
// change, inside the change's transaction.
func (s *Store) markOrderDays(ctx context.Context, t tx, cal index.Workdays, orders ...index.Order) error {
	var days []int
	for _, o := range orders {
		days = append(days, dayOf(o.DueTime(cal)))
	}
	return t.run(ctx, orderDaysMark(days, s.Now()))
}

// markReviewOrder marks dirty the due day of the order of review id, if it
// has one: its hold, exclusion or release changes what that day counts.
func (s *Store) markReviewOrder(ctx context.Context, t tx, id int64) error {
	var created int64
	var due sql.NullInt64
	err := t.queryRow(ctx, "SELECT created_at, due_at FROM work_orders WHERE review = ?", id).Scan(&created, &due)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	} else if err != nil {
		return fmt.Errorf("order of review %d: %w", id, err)
	}
	cal, err := s.Calendar(ctx)
	if err != nil {
		return err
	}
	return s.markOrderDays(ctx, t, cal, index.Order{Created: fromMillis(created), Due: optTime(due)})
}

// orderKey is one row of the order rollups.
type orderKey struct {
	axis, code string
	day        int
}

// BuildOrderRollups builds the order rollups of every dirty day and of
// every day that ended since the last build. Readers of this store build
// by themselves; tests that read the tables call it first.
func (s *Store) BuildOrderRollups(ctx context.Context) error {
	return s.inTx(ctx, func(t tx) error {
		*t.uncounted = true // the rows count what the orders count already
		return s.buildOrderRollups(ctx, t)
	})
}

// buildOrderRollups is BuildOrderRollups inside t. The dirty days are
// claimed first, so that a write marking one of them again waits for t on
// PostgreSQL (the row's lock) and leaves it dirty for the next build; the
// orders are read after.
func (s *Store) buildOrderRollups(ctx context.Context, t tx) error {
	if err := s.xactLock(ctx, t, lockOrders); err != nil {
		return err
	}
	now := s.Now()
	today := dayOf(now)
	build := map[int]bool{}
	claimed, err := t.ids(ctx, "UPDATE order_rollup_days SET dirty = FALSE WHERE dirty AND day < ? RETURNING day", today)
	if err != nil {
		return fmt.Errorf("order rollups: %w", err)
	}
	for _, d := range claimed {
		build[int(d)] = true
	}
	// Every day from the first with a row, or with an order, to yesterday
	// has a row once built.
	var first sql.NullInt64
	if err := t.queryRow(ctx, "SELECT MIN(day) FROM order_rollup_days").Scan(&first); err != nil {
		return fmt.Errorf("order rollups: %w", err)
	}
	if !first.Valid {
		var opened sql.NullInt64
		if err := t.queryRow(ctx, "SELECT MIN(created_at) FROM work_orders").Scan(&opened); err != nil {
			return fmt.Errorf("order rollups: %w", err)
		}
		if opened.Valid {
			first = sql.NullInt64{Int64: int64(dayOf(fromMillis(opened.Int64))), Valid: true}
		}
	}
	if first.Valid {
		have, err := t.ids(ctx, "SELECT day FROM order_rollup_days WHERE day >= ? AND day < ?", first.Int64, today)
		if err != nil {
			return fmt.Errorf("order rollups: %w", err)
		}
		had := map[int]bool{}
		for _, d := range have {
			had[int(d)] = true
		}
		var missing []any
		for d := int(first.Int64); d < today; d = nextDay(d) {
			if !had[d] {
				build[d] = true
				missing = append(missing, d, 0, false)
			}
		}
		for len(missing) > 0 {
			n := min(len(missing)/3, 300)
			if _, err := t.exec(ctx, "INSERT INTO order_rollup_days (day, changed, dirty) VALUES "+valueRows(n, 3)+
				" ON CONFLICT (day) DO NOTHING", missing[:n*3]...); err != nil {
				return fmt.Errorf("order rollups: %w", err)
			}
			missing = missing[n*3:]
		}
	}
	if len(build) == 0 {
		return nil
	}
	cal, err := s.Calendar(ctx)
	if err != nil {
		return err
	}
	var cols []string
	for _, sc := range orderScopes {
		_, col, _, _, err := orderAxis(sc)
		if err != nil {
			return err
		}
		cols = append(cols, col)
	}
	fresh := map[orderKey]*index.OrderCounts{}
	last := map[int]int64{}
	old := map[orderKey]index.OrderCounts{}
	for _, span := range daySpans(build) {
		got, err := ordersDue(ctx, t.query, cal, cols, "", dayAt(span.from, 0), dayAt(span.end, 0))
		if err != nil {
			return err
		}
		for _, g := range got {
			day := dayOf(g.due)
			last[day] = max(last[day], millis(lastEvent(g.order)))
			for i, sc := range orderScopes {
				if !g.codes[i].Valid {
					continue
				}
				axis, _, _, _, _ := orderAxis(sc)
				k := orderKey{axis, g.codes[i].String, day}
				if fresh[k] == nil {
					fresh[k] = &index.OrderCounts{}
				}
				fresh[k].AddOrder(g.order, cal, afterEvents)
			}
		}
		if err := readOrderRows(ctx, t.query, "order_rollups", span, old); err != nil {
			return err
		}
		if _, err := t.exec(ctx, "DELETE FROM order_rollups WHERE day >= ? AND day < ?", span.from, span.end); err != nil {
			return fmt.Errorf("order rollups: %w", err)
		}
	}
	var args []any
	for _, k := range sortedOrderKeys(fresh) {
		raw, err := json.Marshal(fresh[k])
		if err != nil {
			return err
		}
		args = append(args, k.axis, k.code, k.day, string(raw))
	}
	if err := t.run(ctx, rowInserter(s.pg)("order_rollups", plain("axis", "code", "day", "counts"), "", args, 500)); err != nil {
		return fmt.Errorf("order rollups: %w", err)
	}
	for day, ms := range last {
		if _, err := t.exec(ctx, "UPDATE order_rollup_days SET changed = ? WHERE day = ? AND changed < ?", ms, day, ms); err != nil {
			return fmt.Errorf("order rollups: %w", err)
		}
	}
	return s.addOrderMonths(ctx, t, fresh, old)
}

// addOrderMonths turns the month rows of the days rebuilt from old to
// fresh.
func (s *Store) addOrderMonths(ctx context.Context, t tx, fresh map[orderKey]*index.OrderCounts, old map[orderKey]index.OrderCounts) error {
	delta := map[orderKey]*[2]index.OrderCounts{} // by month: what comes in, what goes out
	at := func(k orderKey) *[2]index.OrderCounts {
		k.day = monthOfDay(k.day)
		if delta[k] == nil {
			delta[k] = &[2]index.OrderCounts{}
		}
		return delta[k]
	}
	for k, c := range fresh {
		at(k)[0].Add(*c)
	}
	for k, c := range old {
		at(k)[1].Add(c)
	}
	months := map[int]bool{}
	for k := range delta {
		months[k.day] = true
	}
	month := map[orderKey]index.OrderCounts{}
	for m := range months {
		if err := readOrderRows(ctx, t.query, "order_rollups_monthly", daySpan{m, m + 1}, month); err != nil {
			return err
		}
	}
	var args []any
	changed := map[orderKey]*index.OrderCounts{}
	for k, d := range delta {
		c := month[k]
		c.Add(d[0])
		c.Sub(d[1])
		if c.IsZero() {
			if _, err := t.exec(ctx, "DELETE FROM order_rollups_monthly WHERE axis = ? AND code = ? AND day = ?", k.axis, k.code, k.day); err != nil {
				return fmt.Errorf("order rollups: %w", err)
			}
			continue
		}
		changed[k] = &c
	}
	for _, k := range sortedOrderKeys(changed) {
		raw, err := json.Marshal(changed[k])
		if err != nil {
			return err
		}
		args = append(args, k.axis, k.code, k.day, string(raw))
	}
	err := t.run(ctx, rowInserter(s.pg)("order_rollups_monthly", plain("axis", "code", "day", "counts"),
		" ON CONFLICT (axis, code, day) DO UPDATE SET counts = excluded.counts", args, 500))
	if err != nil {
		return fmt.Errorf("order rollups: %w", err)
	}
	return nil
}

// readOrderRows reads the rows of table within span into out.
func readOrderRows(ctx context.Context, query queryFunc, table string, span daySpan, out map[orderKey]index.OrderCounts) error {
	rows, err := query(ctx, "SELECT axis, code, day, counts FROM "+table+" WHERE day >= ? AND day < ?", span.from, span.end)
	if err != nil {
		return fmt.Errorf("order rollups: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k orderKey
		var raw string
		if err := rows.Scan(&k.axis, &k.code, &k.day, &raw); err != nil {
			return fmt.Errorf("order rollups: %w", err)
		}
		var c index.OrderCounts
		if err := json.Unmarshal([]byte(raw), &c); err != nil {
			return fmt.Errorf("order rollups: %w", err)
		}
		out[k] = c
	}
	return rows.Err()
}

func sortedOrderKeys(m map[orderKey]*index.OrderCounts) []orderKey {
	keys := slices.Collect(maps.Keys(m))
	slices.SortFunc(keys, func(a, b orderKey) int {
		return cmp.Or(strings.Compare(a.axis, b.axis), strings.Compare(a.code, b.code), cmp.Compare(a.day, b.day))
	})
	return keys
}

// daySpans is the days of set as runs of consecutive days.
func daySpans(set map[int]bool) []daySpan {
	days := make([]int, 0, len(set))
	for d := range set {
		days = append(days, d)
	}
	sort.Ints(days)
	var out []daySpan
	for _, d := range days {
		if n := len(out); n > 0 && out[n-1].end == d {
			out[n-1].end = nextDay(d)
			continue
		}
		out = append(out, daySpan{d, nextDay(d)})
	}
	return out
}

// orderPlan is how a period's order counts as of an instant are read:
// whole months and runs of days from the rollups, the other days from
// the orders.
type orderPlan struct {
	months, days, orders []daySpan
}

// planOrders cuts the days [from, end) into what the rollups hold as of at
// and what must be counted from the orders, building the rollups first
// when days of the period that have ended are dirty or not built.
func (s *Store) planOrders(ctx context.Context, from, end int, at time.Time) (orderPlan, error) {
	type state struct {
		changed int64
		dirty   bool
	}
	ended := min(end, dayOf(at)) // days that ended by at
	read := func() (map[int]state, int, error) {
		days := map[int]state{}
		rows, err := s.query(ctx, "SELECT day, changed, dirty FROM order_rollup_days WHERE day >= ? AND day < ?", from, ended)
		if err != nil {
			return nil, 0, fmt.Errorf("order rollups: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var d int
			var st state
			if err := rows.Scan(&d, &st.changed, &st.dirty); err != nil {
				return nil, 0, fmt.Errorf("order rollups: %w", err)
			}
			days[d] = st
		}
		var first sql.NullInt64
		if err := s.queryRow(ctx, "SELECT MIN(day) FROM order_rollup_days").Scan(&first); err != nil {
			return nil, 0, fmt.Errorf("order rollups: %w", err)
		}
		if !first.Valid {
			// No row yet: the days from the first order's on are to be
			// built, none before it has an order due.
			var opened sql.NullInt64
			if err := s.queryRow(ctx, "SELECT MIN(created_at) FROM work_orders").Scan(&opened); err != nil {
				return nil, 0, fmt.Errorf("order rollups: %w", err)
			}
			first.Int64 = int64(ended)
			if opened.Valid {
				first.Int64 = int64(min(ended, dayOf(fromMillis(opened.Int64))))
			}
		}
		return days, int(first.Int64), rows.Err()
	}
	var p orderPlan
	if from >= ended || s.rawOrders.Load() {
		p.orders = []daySpan{{from, end}}
		return p, nil
	}
	days, first, err := read()
	if err != nil {
		return p, err
	}
	stale := func() bool {
		for d := max(from, first); d < ended; d = nextDay(d) {
			if st, ok := days[d]; !ok || st.dirty {
				return true
			}
		}
		return false
	}
	if stale() {
		switch err := s.BuildOrderRollups(ctx); {
		case readOnly(err):
			// A read replica cannot build: the primary's scheduler does
			// each tick, and the days not built yet are counted here from
			// the orders (valid).
		case err != nil:
			return p, err
		default:
			if days, first, err = read(); err != nil {
				return p, err
			}
		}
	}
	// A day before the first row has no order due: no order was opened
	// before it when the rows were first built, and one opened since for
	// an earlier day marked its days (orderDaysMark).
	valid := func(d int) bool {
		if d >= ended {
			return false
		}
		if d < first {
			return true
		}
		st, ok := days[d]
		return ok && !st.dirty && st.changed <= millis(at)
	}
	add := func(list *[]daySpan, s daySpan) {
		if n := len(*list); n > 0 && (*list)[n-1].end == s.from {
			(*list)[n-1].end = s.end
			return
		}
		*list = append(*list, s)
	}
	for d := from; d < end; {
		if d == monthOfDay(d) && nextMonth(d) <= end {
			all := true
			for e := d; e < nextMonth(d); e = nextDay(e) {
				if !valid(e) {
					all = false
					break
				}
			}
			if all {
				add(&p.months, daySpan{d, nextMonth(d)})
				d = nextMonth(d)
				continue
			}
		}
		if valid(d) {
			add(&p.days, daySpan{d, nextDay(d)})
		} else {
			add(&p.orders, daySpan{d, nextDay(d)})
		}
		d = nextDay(d)
	}
	return p, nil
}

// orderCounts adds to out the order counts of sc's members over the days
// [start, end) as they stood at at, and the city's to city when set: from
// the rollups where they hold (planOrders), from the orders elsewhere.
func (s *Store) orderCounts(ctx context.Context, sc index.Scope, start, end, at time.Time, out map[string]index.Counts, city *index.Counts) error {
	p, err := s.planOrders(ctx, dayOf(start), dayOf(end), at)
	if err != nil {
		return err
	}
	scopes := []index.Scope{sc}
	if city != nil {
		scopes = append(scopes, index.City)
	}
	for i, sc := range scopes {
		got := out
		if i == 1 {
			got = map[string]index.Counts{}
		}
		axis, col, rowCond, orderCond, err := orderAxis(sc)
		if err != nil {
			return err
		}
		if err := s.orderRollupCounts(ctx, axis, rowCond, p, got); err != nil {
			return err
		}
		for _, span := range p.orders {
			if err := s.indexOrderCounts(ctx, col, orderCond, dayAt(span.from, 0), dayAt(span.end, 0), at, got); err != nil {
				return err
			}
		}
		if i == 1 {
			c := got["city"]
			city.Add(index.Counts{Orders: c.Orders})
		}
	}
	return nil
}

// orderRollupCounts adds to out the counts of the members of axis (whose
// codes meet cond) in the months and days of p.
func (s *Store) orderRollupCounts(ctx context.Context, axis, cond string, p orderPlan, out map[string]index.Counts) error {
	var parts []string
	var args []any
	for _, part := range []struct {
		table string
		spans []daySpan
	}{{"order_rollups_monthly", p.months}, {"order_rollups", p.days}} {
		for _, span := range part.spans {
			parts = append(parts, "SELECT code, counts FROM "+part.table+" WHERE axis = ? AND day >= ? AND day < ?"+cond)
			args = append(args, axis, span.from, span.end)
		}
	}
	if len(parts) == 0 {
		return nil
	}
	rows, err := s.query(ctx, strings.Join(parts, " UNION ALL "), args...)
	if err != nil {
		return fmt.Errorf("order rollups: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var code, raw string
		if err := rows.Scan(&code, &raw); err != nil {
			return fmt.Errorf("order rollups: %w", err)
		}
		var o index.OrderCounts
		if err := json.Unmarshal([]byte(raw), &o); err != nil {
			return fmt.Errorf("order rollups: %w", err)
		}
		c := out[code]
		c.Orders.Add(o)
		out[code] = c
	}
	return rows.Err()
}
