package report

import (
	"slices"
	"strconv"
	"time"

	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/figures"
	"github.com/haocha/haocha/internal/i18n"
	"github.com/haocha/haocha/internal/index"
	"github.com/haocha/haocha/internal/review"
)

// cellKind says how a value is written: the XLSX writer gives numbers and
// percentages their own cell types and formats.
type cellKind int

const (
	text  cellKind = iota
	count          // an integer
	rate           // a share in 0–1, shown as a percentage
	score          // a number with two decimals (index, stars, days)
)

// cell is one value; nil is an empty cell (a rate without denominator, an
// index under the minimum sample).
type cell struct {
	kind cellKind
	v    any // string, int64 or float64
}

func str(s string) cell { return cell{text, s} }
func num(n int64) cell  { return cell{count, n} }
func day(t time.Time) cell {
	if t.IsZero() {
		return cell{text, nil}
	}
	return cell{text, t.In(calendar.Zone).Format(time.DateOnly)}
}
func opt(k cellKind, x *float64) cell {
	if x == nil {
		return cell{k, nil}
	}
	return cell{k, *x}
}

// table is one sheet of a workbook, one table of the HTML view.
type table struct {
	Sheet string   // sheet name (≤ 31 characters)
	Title string   // heading
	Note  string   // a sentence under the heading
	Head  []string // column titles
	Keys  []string // column names of the CSV
	Rows  [][]cell
	Empty string // what to say when there are no rows
}

// entryColumns are the columns of a ranked member: its rank, names, index
// with n, and every indicator. A column's title is the catalogue's
// "csv."+key in the reader's language.
var entryColumns = []column{
	{"rank", func(e index.Entry, _ i18n.Lang) cell {
		if e.Rank == 0 {
			return cell{count, nil}
		}
		return num(int64(e.Rank))
	}},
	{"name", func(e index.Entry, l i18n.Lang) cell { return str(entryName(e, l)) }},
	{"code", func(e index.Entry, _ i18n.Lang) cell { return str(e.Code) }},
	{"index", func(e index.Entry, _ i18n.Lang) cell { return opt(score, e.Result.Index) }},
	{"n", func(e index.Entry, _ i18n.Lang) cell { return num(e.Result.N) }},
	{"insufficient_sample", func(e index.Entry, l i18n.Lang) cell {
		if e.Result.InsufficientSample {
			return str(l.T("csv.yes"))
		}
		return str("")
	}},
	{"average_stars", func(e index.Entry, _ i18n.Lang) cell { return opt(score, e.Indicators.AverageStars) }},
	{"satisfaction_rate", func(e index.Entry, _ i18n.Lang) cell { return opt(rate, e.Indicators.SatisfactionRate) }},
	{"good_rate", func(e index.Entry, _ i18n.Lang) cell { return opt(rate, e.Indicators.GoodRate) }},
	{"bad_rate", func(e index.Entry, _ i18n.Lang) cell { return opt(rate, e.Indicators.BadRate) }},
	{"active_good_rate", func(e index.Entry, _ i18n.Lang) cell { return opt(rate, e.Indicators.ActiveGoodRate) }},
	{"linked", func(e index.Entry, _ i18n.Lang) cell { return num(e.Indicators.Linked) }},
	{"transactions", func(e index.Entry, _ i18n.Lang) cell { return num(e.Indicators.Transactions) }},
	{"unrated_rate", func(e index.Entry, _ i18n.Lang) cell { return opt(rate, e.Indicators.UnratedRate) }},
	{"work_orders", func(e index.Entry, _ i18n.Lang) cell { return num(e.Indicators.WorkOrders) }},
	{"on_time_reply_rate", func(e index.Entry, _ i18n.Lang) cell { return opt(rate, e.Indicators.OnTimeReplyRate) }},
	{"first_contact_on_time_rate", func(e index.Entry, _ i18n.Lang) cell { return opt(rate, e.Indicators.FirstContactOnTimeRate) }},
	{"real_name_reply_rate", func(e index.Entry, _ i18n.Lang) cell { return opt(rate, e.Indicators.RealNameReplyRate) }},
	{"rectification_rate", func(e index.Entry, _ i18n.Lang) cell { return opt(rate, e.Indicators.RectificationRate) }},
	{"follow_up_satisfaction_rate", func(e index.Entry, _ i18n.Lang) cell { return opt(rate, e.Indicators.FollowUpSatisfactionRate) }},
	{"redispatch_rate", func(e index.Entry, _ i18n.Lang) cell { return opt(rate, e.Indicators.RedispatchRate) }},
	{"escalations", func(e index.Entry, _ i18n.Lang) cell { return num(e.Indicators.Escalations) }},
	{"appeals_upheld", func(e index.Entry, _ i18n.Lang) cell { return num(e.Indicators.AppealsUpheld) }},
	{"median_days_to_close", func(e index.Entry, _ i18n.Lang) cell { return opt(score, e.Indicators.MedianDaysToClose) }},
	{"cause_mix", func(e index.Entry, l i18n.Lang) cell { return str(figures.CauseMix(l, e.Indicators.Causes)) }},
	{"cause_at_fault_share", func(e index.Entry, _ i18n.Lang) cell { return opt(rate, e.Indicators.CauseAtFaultShare) }},
}

// entryName is a member's name in l: its English name where it has one.
func entryName(e index.Entry, l i18n.Lang) string {
	if l == i18n.EN && e.NameEN != "" {
		return e.NameEN
	}
	return e.Name
}

// column is a figure of an entry under its key.
type column struct {
	key string
	get func(e index.Entry, l i18n.Lang) cell
}

// centreColumns are the 12345 centre's own figures (index.CentreEntry),
// apart from the units' columns: a unit answers for what it did after
// dispatch, the centre for the dispatch. They are the units' columns of
// the same keys, and undispatched_late, published on the centre alone;
// the cause mix is that of the centre's findings over the city's orders.
var centreColumns = func() []column {
	var cols []column
	for _, key := range []string{"work_orders", "undispatched_late", "first_contact_on_time_rate", "redispatch_rate",
		"escalations", "appeals_upheld", "cause_mix", "cause_at_fault_share"} {
		if key == "undispatched_late" {
			cols = append(cols, column{key, func(e index.Entry, _ i18n.Lang) cell { return optNum(e.Indicators.UndispatchedLate) }})
			continue
		}
		cols = append(cols, entryColumns[slices.IndexFunc(entryColumns, func(c column) bool { return c.key == key })])
	}
	return cols
}()

func optNum(n *int64) cell {
	if n == nil {
		return cell{count, nil}
	}
	return num(*n)
}

// participationColumns are each channel's participation (参评率), after the
// other indicators: one column a channel, empty where it had no reviews.
func participationColumns() (keys []string, get func(e index.Entry) []cell) {
	for _, ch := range review.Channels {
		keys = append(keys, "participation_"+string(ch))
	}
	return keys, func(e index.Entry) []cell {
		row := make([]cell, len(review.Channels))
		for i, ch := range review.Channels {
			row[i] = opt(rate, e.Indicators.Participation[string(ch)].Rate)
		}
		return row
	}
}

// heads are the titles of columns keys in l.
func heads(l i18n.Lang, keys ...string) []string { return csvHeads(l, keys) }

// entryTable lists entries with every indicator, in l.
func entryTable(l i18n.Lang, sheet, title, note string, entries ...[]index.Entry) table {
	t := table{Sheet: sheet, Title: title, Note: note, Empty: l.T("report.none")}
	for _, c := range entryColumns {
		t.Keys = append(t.Keys, c.key)
	}
	pKeys, participation := participationColumns()
	t.Keys = append(t.Keys, pKeys...)
	t.Head = heads(l, t.Keys...)
	for _, es := range entries {
		for _, e := range es {
			row := make([]cell, len(entryColumns), len(entryColumns)+len(pKeys))
			for i, c := range entryColumns {
				row[i] = c.get(e, l)
			}
			t.Rows = append(t.Rows, append(row, participation(e)...))
		}
	}
	return t
}

// yesNo is a flag in l.
func yesNo(l i18n.Lang, b bool) cell {
	if b {
		return str(l.T("csv.yes"))
	}
	return str(l.T("csv.no"))
}

// orderTable lists work orders, in l.
func orderTable(l i18n.Lang, sheet, title string, lines []OrderLine) table {
	t := table{Sheet: sheet, Title: title, Empty: l.T("report.orders.none"),
		Keys: []string{"number", "unit", "item", "opened", "due", "state", "overdue", "escalated", "round"}}
	t.Head = heads(l, t.Keys...)
	for _, o := range lines {
		t.Rows = append(t.Rows, []cell{str(o.Number), str(o.UnitIn(l)), str(o.ItemIn(l)), day(o.Opened), day(o.Due),
			str(l.T("order.state." + string(o.State))), yesNo(l, o.Overdue), yesNo(l, o.Escalated), num(int64(o.Round))})
	}
	return t
}

// section is the numbered heading of a report's kth section in l: 三、…
// in Chinese, 3. … in English.
func section(l i18n.Lang, k int, title string) string {
	n := strconv.Itoa(k)
	if l == i18n.ZH {
		n = cnNum[k]
	}
	return l.Tf("report.section", n, title)
}

// scopeTitle is the plural title of a scope kind in l: 各区, Districts.
func scopeTitle(l i18n.Lang, sc index.Scope) string { return l.T("report.scope." + string(sc)) }

// tables are the report's tables in l, in order: the overview, one per
// scope kind, the 12345 centre, the red and black lists, alerts, orders
// and cases. Every phrase is the catalogue's; names are in l where they
// have an English one; what people wrote (findings, rectifications) is
// shown as they wrote it.
func (r *Report) tables(l i18n.Lang) []table {
	c := r.City
	ov := table{Sheet: l.T("report.overview"), Title: section(l, 1, l.T("report.overview")), Keys: []string{"indicator", "value"},
		Note: l.Tf("report.overview.note", r.Period.TitleIn(l), r.From.Format(time.DateOnly), r.To.Format(time.DateOnly),
			r.DefinitionVersion, r.MinSample, r.ThemeSentence(l))}
	ov.Head = heads(l, ov.Keys...)
	for _, col := range entryColumns[3:] {
		if col.key == "insufficient_sample" {
			continue
		}
		ov.Rows = append(ov.Rows, []cell{str(l.T("csv." + col.key)), col.get(c, l)})
	}
	out := []table{ov}
	for i, s := range r.Scopes {
		title := scopeTitle(l, s.Scope)
		out = append(out, entryTable(l, l.Tf("report.ranking.sheet", title), section(l, i+2, l.Tf("report.ranking", title)),
			l.T("report.ranking.note"), s.Ranked, s.Insufficient))
	}
	k := len(r.Scopes) + 2
	ht := table{Sheet: l.T("csv.scope.centre"), Title: section(l, k, l.T("index.centre")), Keys: []string{"indicator", "value"},
		Note: l.T("report.hotline.note")}
	ht.Head = heads(l, ht.Keys...)
	for _, col := range centreColumns {
		ht.Rows = append(ht.Rows, []cell{str(l.T("csv." + col.key)), col.get(r.Centre, l)})
	}
	out = append(out, ht)
	k++
	lt := entryTable(l, l.T("report.lists"), section(l, k, l.T("report.lists")), l.Tf("report.lists.note", ListSize, ListSize))
	lt.Keys = append([]string{"list"}, lt.Keys...)
	lt.Head = heads(l, lt.Keys...)
	for _, s := range r.Scopes {
		title := scopeTitle(l, s.Scope)
		for _, list := range []struct {
			name string
			es   []index.Entry
		}{{l.Tf("report.red", title), s.Red}, {l.Tf("report.black", title), s.Black}} {
			one := entryTable(l, "", "", "", list.es)
			for _, row := range one.Rows {
				lt.Rows = append(lt.Rows, append([]cell{str(list.name)}, row...))
			}
		}
	}
	out = append(out, lt)
	k++
	at := table{Sheet: l.T("alerts"), Title: section(l, k, l.T("alerts")), Empty: l.T("report.alerts.none"),
		Keys: []string{"rule", "group", "raised", "reviews", "state"}}
	at.Head = heads(l, at.Keys...)
	if !r.AlertsRecorded {
		at.Empty = l.T("report.alerts.unrecorded")
	}
	for _, a := range r.Alerts {
		at.Rows = append(at.Rows, []cell{str(l.T("kind." + a.Kind)), str(a.GroupIn(l)), day(a.Opened), num(int64(a.Reviews)),
			str(l.T("state." + a.State))})
	}
	out = append(out, at)
	k++
	out = append(out, orderTable(l, l.T("report.overdue"), section(l, k, l.T("report.overdue")), r.Overdue))
	k++
	out = append(out, orderTable(l, l.T("csv.escalated_orders"), section(l, k, l.T("csv.escalated_orders")), r.Escalated))
	k++
	ct := table{Sheet: l.T("report.cases"), Title: section(l, k, l.T("report.cases")), Empty: l.T("report.cases.none"),
		Note: l.T("report.cases.note"),
		Keys: []string{"number", "unit", "item", "stars", "opened", "closed", "round", "findings", "rectification"}}
	ct.Head = heads(l, ct.Keys...)
	for _, c := range r.Cases {
		ct.Rows = append(ct.Rows, []cell{str(c.Number), str(c.UnitIn(l)), str(c.ItemIn(l)), num(int64(c.Stars)), day(c.Opened), day(c.Closed),
			num(int64(c.Round)), str(c.Findings), str(c.Rectification)})
	}
	out = append(out, ct)
	return out
}

var cnNum = []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}
