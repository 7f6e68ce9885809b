package console

import "github.com/haocha/haocha/internal/figures"

// words are the chart words of the dashboard in l.
func (l Lang) words() figures.Words {
	return figures.Words{English: l == LangEN, Month: l.T("col.month"), City: l.T("city"),
		GoodTrend: l.T("dash.trend.good"), BadTrend: l.T("dash.trend.bad"), Insufficient: l.T("insufficient")}
}
