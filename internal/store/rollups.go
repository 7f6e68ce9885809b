package store

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/review"
)

// rollupShards spreads each day's rollup row over this many rows.
const rollupShards = 8

// rollupAxes are the stats filters and index scopes that rollups serve:
// single axes, and the pairs that pages and reports ask for together. A
// pair's code is its two codes joined by pairSep.
var rollupAxes = []string{"all", "channel", "district", "item", "unit",
	"stage", "hall", "window", "workstation", "staff",
	"unit+item", "item+stage", "unit+channel", "district+channel"}

// pairSep joins the codes of a pair axis; no catalogue code holds it.
const pairSep = "|"

// quietAxes have rows that few reviews share a day (one workstation, one
// staff member): they stay in shard 0, so a period reads one row per
// member and day, not eight; concurrent writers seldom meet on them.
var quietAxes = map[string]bool{"window": true, "workstation": true, "staff": true}

// axisCode is r's code on axis, and whether r counts there at all: the
// original axes count every review (a missing district as ”), the newer
// ones only reviews that name the place or person.
func axisCode(r *review.Review, axis string) (string, bool) {
	pair := func(a, b string) (string, bool) { return a + pairSep + b, a != "" && b != "" }
	switch axis {
	case "all":
		return "", true
	case "channel":
		return string(r.Channel), true
	case "district":
		return r.District, true
	case "item":
		return r.Item, true
	case "unit":
		return r.Unit, true
	case "stage":
		return r.Stage, r.Stage != ""
	case "hall":
		return r.Hall, r.Hall != ""
	case "window":
		return r.Window, r.Window != ""
	case "workstation":
		return r.Workstation, r.Workstation != ""
	case "staff":
		return r.Staff, r.Staff != ""
	case "unit+item":
		return pair(r.Unit, r.Item)
	case "item+stage":
		return pair(r.Item, r.Stage)
	case "unit+channel":
		return pair(r.Unit, string(r.Channel))
	case "district+channel":
		return pair(r.District, string(r.Channel))
	}
	return "", false
}

type rollupKey struct {
	axis, code string
	day        int
	set        int64
	shard      int
}

// tallyRow is one row of sums: of a rollup, or of a stats query.
type tallyRow struct {
	stars [5]int64
	tags  [5]int64
	sums  [review.MaxDimensions]int64
	cnts  [review.MaxDimensions]int64
	// defaults are the default reviews (默认好评) among stars, by stars;
	// linked, the reviews linked to a reported transaction.
	defaults [5]int64
	linked   int64
}

// dayOf is the yyyymmdd of t in the city's zone.
func dayOf(t time.Time) int {
	y, m, d := t.In(calendar.Zone).Date()
	return y*10000 + int(m)*100 + d
}

// dayAt is the instant hour o'clock on day (yyyymmdd) in the city's zone;
// a day past the month's end is carried into the next month.
func dayAt(day, hour int) time.Time {
	return time.Date(day/10000, time.Month(day/100%100), day%100, hour, 0, 0, 0, calendar.Zone)
}

// rollupRows accumulates reviews into rollup rows. All rows of one fold
// go to one shard, the process's own on PostgreSQL (folder.shard): fewer
// rows to write than one shard per review, and the folds of several
// processes still spread out. SQLite has one writer, whom shards cannot
// spread: there they would only spread a day's rows over eight times the
// pages, each fold writing a page per row it adds to, so SQLite writes
// shard 0 alone.
type rollupRows struct {
	shard int
	rows  map[rollupKey]*tallyRow
	// unverified are the rows of review_rollups_unverified (migration
	// 0130): the unverified reviews among rows, on the single axes.
	unverified map[rollupKey]*tallyRow
	// pg: the rows go to PostgreSQL, as arrays (pgRowStmts).
	pg bool
	// mem makes the rows; nil makes each by itself.
	mem *rollupMem
}

func (s *Store) newRollupRows() rollupRows {
	return rollupRows{shard: s.fold.shard, rows: map[rollupKey]*tallyRow{}, unverified: map[rollupKey]*tallyRow{}, pg: s.pg,
		mem: &rollupMem{pairs: map[string]string{}}}
}

// add counts r in (sign 1) or out (sign -1), or sign times.
func (ru rollupRows) add(r *review.Review, sign int64) {
	day := dayOf(r.CreatedAt)
	unverified := r.Verification.Or() == review.Unverified
	for _, ax := range foldAxes {
		var code string
		var ok bool
		if ax.pair {
			code, ok = ru.pairCode(r, ax.name)
		} else {
			code, ok = axisCode(r, ax.name)
		}
		if !ok {
			continue
		}
		shard := ru.shard
		if ax.quiet {
			shard = 0
		}
		k := rollupKey{ax.name, code, day, r.DimensionSet, shard}
		ru.tally(ru.rows, k, r, sign)
		if unverified && !ax.pair {
			ru.tally(ru.unverified, k, r, sign)
		}
	}
}

// foldAxis is one of rollupAxes as add reads it, so that a review's
// twenty-odd rows cost no lookup of what their axis is.
type foldAxis struct {
	name  string
	quiet bool // quietAxes
	pair  bool // a pair: not in the unverified rollups
}

var foldAxes = func() []foldAxis {
	out := make([]foldAxis, len(rollupAxes))
	for i, a := range rollupAxes {
		out[i] = foldAxis{name: a, quiet: quietAxes[a], pair: strings.Contains(a, "+")}
	}
	return out
}()

// pairCode is axisCode of a pair axis, the same text for every review of
// the pair in ru: a fold of a busy second made some four thousand of them,
// each a string of its own, for a few hundred pairs.
func (ru rollupRows) pairCode(r *review.Review, axis string) (string, bool) {
	if ru.mem == nil {
		return axisCode(r, axis)
	}
	var a, b string
	switch axis {
	case "unit+item":
		a, b = r.Unit, r.Item
	case "item+stage":
		a, b = r.Item, r.Stage
	case "unit+channel":
		a, b = r.Unit, string(r.Channel)
	case "district+channel":
		a, b = r.District, string(r.Channel)
	default:
		return axisCode(r, axis)
	}
	if a == "" || b == "" {
		return "", false
	}
	var buf [64]byte
	return ru.mem.intern(append(append(append(buf[:0], a...), pairSep...), b...)), true
}

// rollupMem is what the rows of one rollupRows are made from: the codes
// made so far (the pairs', and those read from delta rows), and their
// tallyRows, allocated a slab at a time rather than one by one.
type rollupMem struct {
	pairs map[string]string
	slab  []tallyRow
}

// intern is b as a string, the same string for the same bytes: a fold
// reads a catalogue code nine times a review, a few hundred codes in all.
func (m *rollupMem) intern(b []byte) string {
	if m == nil {
		return string(b)
	}
	if s, ok := m.pairs[string(b)]; ok {
		return s
	}
	s := string(b)
	m.pairs[s] = s
	return s
}

// row is a new zero tallyRow.
func (m *rollupMem) row() *tallyRow {
	if m == nil {
		return &tallyRow{}
	}
	if len(m.slab) == 0 {
		m.slab = make([]tallyRow, 256)
	}
	v := &m.slab[0]
	m.slab = m.slab[1:]
	return v
}

// tally counts r in (sign 1) or out (sign -1) of row k of rows.
func (ru rollupRows) tally(rows map[rollupKey]*tallyRow, k rollupKey, r *review.Review, sign int64) {
	v := rows[k]
	if v == nil {
		v = ru.mem.row()
		rows[k] = v
	}
	v.stars[r.Stars-1] += sign
	for i := range v.tags {
		if r.Tags&(1<<i) != 0 {
			v.tags[i] += sign
		}
	}
	for i, sc := range r.Scores {
		if sc > 0 && i < review.MaxDimensions {
			v.sums[i] += sign * int64(sc)
			v.cnts[i] += sign
		}
	}
	switch r.Origin {
	case review.Default:
		v.defaults[r.Stars-1] += sign
	case review.FromTransaction:
		v.linked += sign
	}
}

// rollupKeyColumns name a rollup row; rollupSumColumns are its sums, in
// the order of a tallyRow's fields.
var (
	rollupKeyColumns = plain("axis", "code", "day", "dimension_set", "shard")
	rollupSumColumns = func() columns {
		var names []string
		for i := 1; i <= 5; i++ {
			names = append(names, fmt.Sprintf("stars%d", i))
		}
		for i := 1; i <= 5; i++ {
			names = append(names, fmt.Sprintf("tag%d", i))
		}
		for i := 1; i <= review.MaxDimensions; i++ {
			names = append(names, fmt.Sprintf("sum%d", i), fmt.Sprintf("cnt%d", i))
		}
		for i := 1; i <= 5; i++ {
			names = append(names, fmt.Sprintf("default%d", i))
		}
		return plain(append(names, "linked")...)
	}()
	rollupColumns = join(rollupKeyColumns, rollupSumColumns)
)

// rollupUpdate is the upsert clause that adds a row to table's, made once
// a table: each fold asked for it four times, 36 Sprintfs each.
func rollupUpdate(table string) string {
	if u, ok := rollupUpdates.Load(table); ok {
		return u.(string)
	}
	var sets []string
	for _, c := range rollupSumColumns {
		sets = append(sets, fmt.Sprintf("%s = %s.%s + excluded.%s", c.name, table, c.name, c.name))
	}
	u := " ON CONFLICT (" + rollupKeyColumns.names() + ") DO UPDATE SET " + strings.Join(sets, ", ")
	rollupUpdates.Store(table, u)
	return u
}

var rollupUpdates sync.Map // table → its rollupUpdate

// stmts are the statements that add the accumulated rows to the stored
// rollups. Rows are written in key order, so concurrent folds lock them
// in the same order.
func (ru rollupRows) stmts() []stmt {
	out, _ := ru.stmtsIn(nil)
	return out
}

// stmtsIn is stmts with the statements' arguments appended to buf, and
// buf as they left it: a fold passes the same array each time rather than
// allocating one for its values, 41 a row (a fold of 1,000 honest reviews
// upserts some 2,900 rows: 120,000 values, 1.9 MB). The day rows of a fold
// are nearly always of one day; their month rows are then the same rows
// under the month's first day, in the same key order, so neither a second
// map (monthly) nor a second sort is made for them.
func (ru rollupRows) stmtsIn(buf []any) ([]stmt, []any) {
	insert := rowInserter(ru.pg)
	var out []stmt
	for i, rows := range ru.byTables() {
		if len(rows) == 0 {
			continue
		}
		day, month := rollupTables[i][0], rollupTables[i][1]
		keys := sortedRollupKeys(rows)
		from := len(buf)
		buf = appendRollupArgs(buf, keys, rows, false)
		out = append(out, insert(day, rollupColumns, rollupUpdate(day), buf[from:], 128)...)
		from = len(buf)
		if oneDay(keys) {
			buf = appendRollupArgs(buf, keys, rows, true)
		} else {
			m := monthly(rows)
			buf = appendRollupArgs(buf, sortedRollupKeys(m), m, false)
		}
		out = append(out, insert(month, rollupColumns, rollupUpdate(month), buf[from:], 128)...)
	}
	return out, buf
}

// oneDay reports whether keys are all of one day.
func oneDay(keys []rollupKey) bool {
	for _, k := range keys {
		if k.day != keys[0].day {
			return false
		}
	}
	return true
}

// rollupTable is the rows to add to one rollup table.
type rollupTable struct {
	table string
	rows  map[rollupKey]*tallyRow
}

// tables are the rows of ru by the table they go to: the day rollups
// and, summed by calendar month, the month rollups beside them
// (migration 0205), which every writer of the day rollups writes too.
func (ru rollupRows) tables() []rollupTable {
	var out []rollupTable
	for i, rows := range ru.byTables() {
		out = append(out, rollupTable{rollupTables[i][0], rows}, rollupTable{rollupTables[i][1], monthly(rows)})
	}
	return out
}

// rollupTables are the day and month tables of all reviews and of the
// unverified ones, in the order of byTables.
var rollupTables = [2][2]string{{"review_rollups", "review_rollups_monthly"},
	{"review_rollups_unverified", "review_rollups_unverified_monthly"}}

// byTables are the day rows of ru by the tables of rollupTables.
func (ru rollupRows) byTables() [2]map[rollupKey]*tallyRow {
	return [2]map[rollupKey]*tallyRow{ru.rows, ru.unverified}
}

// monthOfDay is the first day of the month of day, both yyyymmdd: the
// day of a month rollup.
func monthOfDay(day int) int { return day/100*100 + 1 }

// monthly is rows summed by calendar month, each under its month's
// first day.
func monthly(rows map[rollupKey]*tallyRow) map[rollupKey]*tallyRow {
	out := make(map[rollupKey]*tallyRow, len(rows))
	slab := make([]tallyRow, len(rows)) // at most a month row a day row
	for k, v := range rows {
		k.day = monthOfDay(k.day)
		d := out[k]
		if d == nil {
			d, slab = &slab[0], slab[1:]
			out[k] = d
		}
		d.addRow(v)
	}
	return out
}

// addRow adds the sums of v to r.
func (r *tallyRow) addRow(v *tallyRow) {
	for i := range r.stars {
		r.stars[i] += v.stars[i]
		r.tags[i] += v.tags[i]
		r.defaults[i] += v.defaults[i]
	}
	for i := range r.sums {
		r.sums[i] += v.sums[i]
		r.cnts[i] += v.cnts[i]
	}
	r.linked += v.linked
}

// rowInserter is the dialect's way of making a table's INSERTs from rows
// of arguments (pgRowStmts on PostgreSQL).
func rowInserter(pg bool) func(string, columns, string, []any, int) []stmt {
	if pg {
		return pgRowStmts
	}
	return rowStmts
}

// sortedRollupKeys are the keys of rows in the order of the rollup
// tables' primary key.
func sortedRollupKeys(rows map[rollupKey]*tallyRow) []rollupKey {
	keys := make([]rollupKey, 0, len(rows))
	for k := range rows {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.axis != b.axis {
			return a.axis < b.axis
		}
		if a.code != b.code {
			return a.code < b.code
		}
		if a.day != b.day {
			return a.day < b.day
		}
		if a.set != b.set {
			return a.set < b.set
		}
		return a.shard < b.shard
	})
	return keys
}

// rollupKeyStmts are the statements, made by insert, that add the rows of
// rows under keys to table, in the order of keys.
func rollupKeyStmts(table string, keys []rollupKey, rows map[rollupKey]*tallyRow, insert func(string, columns, string, []any, int) []stmt) []stmt {
	args := appendRollupArgs(make([]any, 0, len(keys)*len(rollupColumns)), keys, rows, false)
	return insert(table, rollupColumns, rollupUpdate(table), args, 128)
}

// appendRollupArgs appends to args the values of the rows of rows under
// keys, in the order of rollupColumns; with month, each under the first
// day of its month.
func appendRollupArgs(args []any, keys []rollupKey, rows map[rollupKey]*tallyRow, month bool) []any {
	// An axis, a code or a day in an interface is an allocation each:
	// made once for the rows that share them (keys are sorted by axis and
	// code), not once a row.
	var axis, code, day any
	var lastAxis, lastCode string
	lastDay := -1
	for i, k := range keys {
		v := rows[k]
		if i == 0 || k.axis != lastAxis {
			axis, lastAxis = k.axis, k.axis
		}
		if i == 0 || k.code != lastCode {
			code, lastCode = k.code, k.code
		}
		if k.day != lastDay {
			d := k.day
			if month {
				d = monthOfDay(d)
			}
			day, lastDay = d, k.day
		}
		args = append(args, axis, code, day, k.set, k.shard)
		for _, x := range v.stars {
			args = append(args, x)
		}
		for _, x := range v.tags {
			args = append(args, x)
		}
		for i := range v.sums {
			args = append(args, v.sums[i], v.cnts[i])
		}
		for _, x := range v.defaults {
			args = append(args, x)
		}
		args = append(args, v.linked)
	}
	return args
}
