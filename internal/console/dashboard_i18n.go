package console

import "github.com/haocha/haocha/internal/figures"

func init() { addWords(dashMessages) }

// words are the chart words of the dashboard in l.
func (l Lang) words() figures.Words {
	return figures.Words{English: l == LangEN, Month: l.T("dash.month"), City: l.T("dash.city"),
		GoodTrend: l.T("dash.trend.good"), BadTrend: l.T("dash.trend.bad"), Insufficient: l.T("dash.insufficient")}
}

var dashMessages = map[string][2]string{
	"dash.title":        {"全市看板", "City dashboard"},
	"dash.switch":       {"English", "中文"},
	"dash.period":       {"统计期", "Period"},
	"dash.version":      {"指标定义第 %d 版", "definition version %d"},
	"dash.overview":     {"全市概况", "The city"},
	"dash.index":        {"评价指数", "Index"},
	"dash.n":            {"评价数", "Reviews"},
	"dash.good":         {"好评率", "Good-review rate"},
	"dash.bad":          {"差评率", "Bad-review rate"},
	"dash.rect":         {"整改率", "Rectification rate"},
	"dash.attention":    {"需要关注", "Needs attention"},
	"dash.overdue":      {"超期未办结工单", "Overdue open orders"},
	"dash.escalated":    {"督办中工单", "Escalated open orders"},
	"dash.alerts":       {"未处理的集中差评预警", "Open concentration alerts"},
	"dash.open":         {"查看", "Open the list"},
	"dash.rankings":     {"排名", "Rankings"},
	"dash.districts":    {"各区评价指数排名", "Districts by index"},
	"dash.district":     {"区", "District"},
	"dash.agency":       {"部门", "Department"},
	"dash.top":          {"红榜：指数最高的 5 个部门", "Red list: the 5 departments with the highest index"},
	"dash.bottom":       {"黑榜：指数最低的 5 个部门", "Black list: the 5 departments with the lowest index"},
	"dash.none":         {"本期没有达到最低样本量的单位。", "No unit reached the minimum sample in the period."},
	"dash.trend":        {"近 12 个月趋势", "The last 12 months"},
	"dash.month":        {"月份", "Month"},
	"dash.city":         {"全市", "City"},
	"dash.trend.good":   {"全市好评率（4–5 星）", "City good-review rate (4–5 stars)"},
	"dash.trend.bad":    {"全市差评率（1–2 星）", "City bad-review rate (1–2 stars)"},
	"dash.insufficient": {"样本不足", "Too few reviews"},
	"dash.public":       {"公开的评价指数排名", "The public index rankings"},
}
