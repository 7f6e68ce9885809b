package report

import (
	"fmt"
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
// with n, and every indicator.
var entryColumns = []struct {
	head, key string
	get       func(e index.Entry) cell
}{
	{"排名", "rank", func(e index.Entry) cell {
		if e.Rank == 0 {
			return cell{count, nil}
		}
		return num(int64(e.Rank))
	}},
	{"名称", "name", func(e index.Entry) cell { return str(e.Name) }},
	{"代码", "code", func(e index.Entry) cell { return str(e.Code) }},
	{"评价指数", "index", func(e index.Entry) cell { return opt(score, e.Result.Index) }},
	{"样本量(n)", "n", func(e index.Entry) cell { return num(e.Result.N) }},
	{"样本不足", "insufficient_sample", func(e index.Entry) cell {
		if e.Result.InsufficientSample {
			return str("是")
		}
		return str("")
	}},
	{"平均星级", "average_stars", func(e index.Entry) cell { return opt(score, e.Indicators.AverageStars) }},
	{"满意率", "satisfaction_rate", func(e index.Entry) cell { return opt(rate, e.Indicators.SatisfactionRate) }},
	{"好评率", "good_rate", func(e index.Entry) cell { return opt(rate, e.Indicators.GoodRate) }},
	{"差评率", "bad_rate", func(e index.Entry) cell { return opt(rate, e.Indicators.BadRate) }},
	{"主动评价好评率", "active_good_rate", func(e index.Entry) cell { return opt(rate, e.Indicators.ActiveGoodRate) }},
	{"关联办件评价", "linked", func(e index.Entry) cell { return num(e.Indicators.Linked) }},
	{"办件量", "transactions", func(e index.Entry) cell { return num(e.Indicators.Transactions) }},
	{"未评率", "unrated_rate", func(e index.Entry) cell { return opt(rate, e.Indicators.UnratedRate) }},
	{"差评工单", "work_orders", func(e index.Entry) cell { return num(e.Indicators.WorkOrders) }},
	{"按时回复率", "on_time_reply_rate", func(e index.Entry) cell { return opt(rate, e.Indicators.OnTimeReplyRate) }},
	{"首次联系按时率", "first_contact_on_time_rate", func(e index.Entry) cell { return opt(rate, e.Indicators.FirstContactOnTimeRate) }},
	{"实名差评回复率", "real_name_reply_rate", func(e index.Entry) cell { return opt(rate, e.Indicators.RealNameReplyRate) }},
	{"整改率", "rectification_rate", func(e index.Entry) cell { return opt(rate, e.Indicators.RectificationRate) }},
	{"回访满意率", "follow_up_satisfaction_rate", func(e index.Entry) cell { return opt(rate, e.Indicators.FollowUpSatisfactionRate) }},
	{"重派率", "redispatch_rate", func(e index.Entry) cell { return opt(rate, e.Indicators.RedispatchRate) }},
	{"督办", "escalations", func(e index.Entry) cell { return num(e.Indicators.Escalations) }},
	{"申诉成立", "appeals_upheld", func(e index.Entry) cell { return num(e.Indicators.AppealsUpheld) }},
	{"办结用时中位数(工作日)", "median_days_to_close", func(e index.Entry) cell { return opt(score, e.Indicators.MedianDaysToClose) }},
	{i18n.ZH.T("cause.mix"), "cause_mix", func(e index.Entry) cell { return str(figures.CauseMix(i18n.ZH, e.Indicators.Causes)) }},
	{i18n.ZH.T("cause.at_fault_share"), "cause_at_fault_share", func(e index.Entry) cell { return opt(rate, e.Indicators.CauseAtFaultShare) }},
}

// centreColumns are the 12345 centre's own figures (index.CentreEntry),
// apart from the units' columns: a unit answers for what it did after
// dispatch, the centre for the dispatch.
var centreColumns = []struct {
	head, key string
	get       func(e index.Entry) cell
}{
	{"差评工单", "work_orders", func(e index.Entry) cell { return num(e.Indicators.WorkOrders) }},
	{"超时未派单", "undispatched_late", func(e index.Entry) cell { return optNum(e.Indicators.UndispatchedLate) }},
	{"首次联系按时率", "first_contact_on_time_rate", func(e index.Entry) cell { return opt(rate, e.Indicators.FirstContactOnTimeRate) }},
	{"重派率", "redispatch_rate", func(e index.Entry) cell { return opt(rate, e.Indicators.RedispatchRate) }},
	{"督办", "escalations", func(e index.Entry) cell { return num(e.Indicators.Escalations) }},
	{"申诉成立", "appeals_upheld", func(e index.Entry) cell { return num(e.Indicators.AppealsUpheld) }},
	// The centre reviews the cause of every unsatisfied answer: the mix
	// of its findings over the city's orders, and how many found the
	// unit at fault.
	{i18n.ZH.T("cause.mix"), "cause_mix", func(e index.Entry) cell { return str(figures.CauseMix(i18n.ZH, e.Indicators.Causes)) }},
	{i18n.ZH.T("cause.at_fault_share"), "cause_at_fault_share", func(e index.Entry) cell { return opt(rate, e.Indicators.CauseAtFaultShare) }},
}

func optNum(n *int64) cell {
	if n == nil {
		return cell{count, nil}
	}
	return num(*n)
}

// participationColumns are each channel's participation (参评率), after the
// other indicators: one column a channel, empty where it had no reviews.
func participationColumns() (head, keys []string, get func(e index.Entry) []cell) {
	for _, ch := range review.Channels {
		head, keys = append(head, "参评率("+i18n.ZH.T("channel."+string(ch))+")"), append(keys, "participation_"+string(ch))
	}
	return head, keys, func(e index.Entry) []cell {
		row := make([]cell, len(review.Channels))
		for i, ch := range review.Channels {
			row[i] = opt(rate, e.Indicators.Participation[string(ch)].Rate)
		}
		return row
	}
}

// entryTable lists entries with every indicator.
func entryTable(sheet, title, note string, entries ...[]index.Entry) table {
	t := table{Sheet: sheet, Title: title, Note: note, Empty: "无"}
	for _, c := range entryColumns {
		t.Head, t.Keys = append(t.Head, c.head), append(t.Keys, c.key)
	}
	pHead, pKeys, participation := participationColumns()
	t.Head, t.Keys = append(t.Head, pHead...), append(t.Keys, pKeys...)
	for _, es := range entries {
		for _, e := range es {
			row := make([]cell, len(entryColumns), len(entryColumns)+len(pKeys))
			for i, c := range entryColumns {
				row[i] = c.get(e)
			}
			t.Rows = append(t.Rows, append(row, participation(e)...))
		}
	}
	return t
}

// orderTable lists work orders.
func orderTable(sheet, title string, lines []OrderLine) table {
	t := table{Sheet: sheet, Title: title, Empty: "本期无",
		Head: []string{"工单编号", "承办单位", "事项", "受理日期", "办理时限", "状态", "超期", "督办", "转办轮次"},
		Keys: []string{"number", "unit", "item", "opened", "due", "state", "overdue", "escalated", "round"}}
	yes := func(b bool) cell {
		if b {
			return str("是")
		}
		return str("否")
	}
	for _, l := range lines {
		t.Rows = append(t.Rows, []cell{str(l.Number), str(l.Unit), str(l.Item), day(l.Opened), day(l.Due), str(l.State),
			yes(l.Overdue), yes(l.Escalated), num(int64(l.Round))})
	}
	return t
}

// Tables are the report's tables in order: the overview, one per scope
// kind, the red and black lists, alerts, orders and cases.
func (r *Report) tables() []table {
	c := r.City
	ov := table{Sheet: "全市概况", Title: "一、全市概况", Head: []string{"指标", "数值"}, Keys: []string{"indicator", "value"},
		Note: fmt.Sprintf("%s(%s至%s),指标定义第%d版;样本不足%d条的单位不排名。%s", r.Period.Title(),
			r.From.Format(time.DateOnly), r.To.Format(time.DateOnly), r.DefinitionVersion, r.MinSample, r.ThemeSentence(i18n.ZH))}
	for _, col := range entryColumns[3:] {
		if col.key == "insufficient_sample" {
			continue
		}
		ov.Rows = append(ov.Rows, []cell{str(col.head), col.get(c)})
	}
	out := []table{ov}
	for i, s := range r.Scopes {
		out = append(out, entryTable(s.Title+"排名", fmt.Sprintf("%s、%s评价指数排名", cnNum[i+2], s.Title),
			"按评价指数从高到低;指数相同者名次相同。样本不足者列于表末,不排名。", s.Ranked, s.Insufficient))
	}
	k := len(r.Scopes) + 2
	ht := table{Sheet: "12345热线", Title: fmt.Sprintf("%s、12345市民服务热线", cnNum[k]), Head: []string{"指标", "数值"}, Keys: []string{"indicator", "value"},
		Note: "热线自身的派单与联系:派单超过1个工作日计为超时未派单(重派工单按首次派单计),不计入承办单位;不满意原因为热线审查认定的构成。"}
	for _, col := range centreColumns {
		ht.Rows = append(ht.Rows, []cell{str(col.head), col.get(r.Centre)})
	}
	out = append(out, ht)
	k++
	lt := entryTable("红黑榜", fmt.Sprintf("%s、红黑榜", cnNum[k]), fmt.Sprintf("各类前%d名为红榜,后%d名为黑榜(黑榜自末位起)。", ListSize, ListSize))
	lt.Head, lt.Keys = append([]string{"榜单"}, lt.Head...), append([]string{"list"}, lt.Keys...)
	for _, s := range r.Scopes {
		for _, l := range []struct {
			name string
			es   []index.Entry
		}{{s.Title + "红榜", s.Red}, {s.Title + "黑榜", s.Black}} {
			one := entryTable("", "", "", l.es)
			for _, row := range one.Rows {
				lt.Rows = append(lt.Rows, append([]cell{str(l.name)}, row...))
			}
		}
	}
	out = append(out, lt)
	k++
	at := table{Sheet: "集中差评预警", Title: fmt.Sprintf("%s、集中差评预警", cnNum[k]), Empty: "本期无集中差评预警。",
		Head: []string{"规则", "对象", "触发日期", "差评数", "状态"}, Keys: []string{"rule", "group", "opened", "reviews", "state"}}
	if !r.AlertsRecorded {
		at.Empty = "尚无预警记录:集中差评预警的存储尚未启用,本节暂无数据。"
	}
	for _, a := range r.Alerts {
		at.Rows = append(at.Rows, []cell{str(a.Rule), str(a.Group), day(a.Opened), num(int64(a.Reviews)), str(i18n.ZH.T("state." + a.State))})
	}
	out = append(out, at)
	k++
	out = append(out, orderTable("超期工单", fmt.Sprintf("%s、超期工单", cnNum[k]), r.Overdue))
	k++
	out = append(out, orderTable("督办工单", fmt.Sprintf("%s、督办工单", cnNum[k]), r.Escalated))
	k++
	ct := table{Sheet: "典型案例", Title: fmt.Sprintf("%s、典型案例", cnNum[k]), Empty: "本期无办结案例。",
		Note: "已办结并整改的工单;不含评价人信息。",
		Head: []string{"工单编号", "承办单位", "事项", "星级", "受理日期", "办结日期", "转办轮次", "核查情况", "整改措施"},
		Keys: []string{"number", "unit", "item", "stars", "opened", "closed", "round", "findings", "rectification"}}
	for _, c := range r.Cases {
		ct.Rows = append(ct.Rows, []cell{str(c.Number), str(c.Unit), str(c.Item), num(int64(c.Stars)), day(c.Opened), day(c.Closed),
			num(int64(c.Round)), str(c.Findings), str(c.Rectification)})
	}
	out = append(out, ct)
	return out
}

var cnNum = []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}
