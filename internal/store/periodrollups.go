package store

import (
	"strings"
)

// A period's sums are read from the month rollups for the calendar
// months wholly within it and from the day rollups for the days at its
// ends (migration 0205): a member's year costs 12 month rows and at most
// 60 day rows, for each dimension set and shard, where it cost 365 day
// rows; a period from the first review to the last, one row per month.

// daySpan is the days [from, end) as yyyymmdd, from 0 for no first day,
// end 0 for no last one.
type daySpan struct{ from, end int }

// nextDay is the day after day, both yyyymmdd.
func nextDay(day int) int {
	return dayOf(dayAt(day+1, 12))
}

// nextMonth is the first day of the month after day's, both yyyymmdd.
func nextMonth(day int) int {
	y, m := day/10000, day/100%100+1
	if m > 12 {
		y, m = y+1, 1
	}
	return y*10000 + m*100 + 1
}

// cut splits p into the calendar months wholly within it (months, by
// their first days; ok false when there are none) and the days at either
// end outside them.
func (p daySpan) cut() (months daySpan, ok bool, days []daySpan) {
	months = daySpan{from: p.from, end: p.end}
	if p.from != 0 && monthOfDay(p.from) != p.from {
		months.from = nextMonth(p.from)
	}
	if p.end != 0 {
		months.end = monthOfDay(p.end)
	}
	if p.end != 0 && months.from >= months.end {
		return daySpan{}, false, []daySpan{p}
	}
	if months.from != p.from {
		days = append(days, daySpan{p.from, months.from})
	}
	if months.end != p.end {
		days = append(days, daySpan{months.end, p.end})
	}
	return months, true, days
}

// where is the condition on day of a row within s, with its arguments.
func (s daySpan) where() (string, []any) {
	var conds []string
	var args []any
	if s.from != 0 {
		conds, args = append(conds, "day >= ?"), append(args, s.from)
	}
	if s.end != 0 {
		conds, args = append(conds, "day < ?"), append(args, s.end)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " AND " + strings.Join(conds, " AND "), args
}

// spanRows is a query of the rows of the day rollup table and its month
// twin (table + "_monthly") that hold the days of p, cols of each row
// whose other conditions are cond (with args, which every part repeats):
// a union to group over.
func spanRows(table, cols, cond string, args []any, p daySpan) (string, []any) {
	var parts []string
	var all []any
	part := func(table string, s daySpan) {
		w, a := s.where()
		parts = append(parts, "SELECT "+cols+" FROM "+table+" WHERE "+cond+w)
		all = append(append(all, args...), a...)
	}
	months, ok, days := p.cut()
	if ok {
		part(table+"_monthly", months)
	}
	for _, d := range days {
		part(table, d)
	}
	return strings.Join(parts, " UNION ALL "), all
}
