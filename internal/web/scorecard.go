package web

import (
	"context"
	"fmt"
	"time"

	"github.com/haocha/haocha/internal/board"
	"github.com/haocha/haocha/internal/chart"
	"github.com/haocha/haocha/internal/figures"
	"github.com/haocha/haocha/internal/i18n"
	"github.com/haocha/haocha/internal/index"
)

// trendMonths is how many calendar months the trend charts show: the
// months whose boards are kept warm.
const trendMonths = board.TrendMonths

// scorecard is a unit's or item's index as the public sees it: the index
// of the last 30 days with n and the definition version, its rank, the
// comparison with the city and the monthly trends.
type scorecard struct {
	Period       string
	Version      string
	Index        string
	N            int64
	Insufficient string // 样本不足 note; empty when scored
	Rank         string
	CityIndex    string
	Rect         string
	// ActiveGood is 主动评价好评率, Unrated 未评率 of the Transactions
	// whose rating window closed in the period.
	ActiveGood, Unrated string
	Transactions        int64
	// Causes is the cause mix of the unit's unsatisfied answers (不满意原因
	// 审查) in words, AtFault the share of them that put the unit at
	// fault; Causes is empty when none has a cause.
	Causes, AtFault string
	Compare         chart.Figure
	Good, Bad       chart.Figure
	// AsOf is when the figures were current, read from a replica; zero
	// when they come from the primary.
	AsOf time.Time
}

// rankOf says among what a scorecard's rank stands: "第 15 名，共 16 个区".
var rankOf = map[index.Scope]string{
	index.District: "score.rank.district",
	index.Agency:   "score.rank.agency",
	index.Hall:     "score.rank.hall",
	index.Item:     "score.rank.item",
}

// words are the figures' texts in l.
func words(l locale) figures.Words {
	return figures.Words{English: l == langEN, Month: l.T("col.month"), City: l.T("city"),
		GoodTrend: l.T("score.trend.good"), BadTrend: l.T("score.trend.bad"), Insufficient: l.T("insufficient")}
}

// loadScorecard computes the scorecard of code in scope sc; name is its
// name in the page's language.
func (w *Web) loadScorecard(ctx context.Context, l locale, sc index.Scope, code, name string) (*scorecard, error) {
	now := w.store.Now()
	from, to := board.Recent(now)
	b, err := w.boards.Board(ctx, sc, from, to)
	if err != nil {
		return nil, err
	}
	cityBoard, err := w.boards.Board(ctx, index.City, from, to)
	if err != nil {
		return nil, err
	}
	def, err := w.store.ActiveDefinition(ctx)
	if err != nil {
		return nil, err
	}
	asOf, err := w.boardAsOf(ctx, b.Computed)
	if err != nil {
		return nil, err
	}
	e, _ := b.Find(code)
	city, _ := cityBoard.Find(board.CityCode)
	wd := words(l)
	s := &scorecard{
		Period:    figures.Period(from, to),
		AsOf:      asOf,
		Version:   fmt.Sprintf(l.T("index.version"), def.Version),
		Index:     figures.IndexText(e, wd),
		N:         e.N,
		Rank:      l.T("score.unranked"),
		CityIndex: figures.IndexText(city, wd),
		Rect:      figures.Rate(e.Indicators.RectificationRate),

		ActiveGood:   figures.Rate(e.Indicators.ActiveGoodRate),
		Unrated:      figures.Rate(e.Indicators.UnratedRate),
		Transactions: e.Indicators.Transactions,
		Causes:       figures.CauseMix(i18n.Lang(l), e.Indicators.Causes),
		AtFault:      figures.Rate(e.Indicators.CauseAtFaultShare),
	}
	if e.Index == nil {
		s.Insufficient = fmt.Sprintf(l.T("score.insufficient"), def.MinSample)
	}
	if e.Rank > 0 {
		s.Rank = fmt.Sprintf(l.T(rankOf[sc]), e.Rank, len(b.Ranked))
	}
	ind, ci := e.Indicators, city.Indicators
	s.Compare = chart.Bars{Caption: l.T("score.compare"), Corner: l.T("score.indicator"), Max: 1,
		Labels: []string{l.T("col.good"), l.T("col.bad"), l.T("col.rect"), l.T("ind.ontime")},
		Series: []chart.Series{
			{Name: name, Color: figures.ColorUnit, Values: []*float64{ind.GoodRate, ind.BadRate, ind.RectificationRate, ind.OnTimeReplyRate}},
			{Name: wd.City, Color: figures.ColorCity, Values: []*float64{ci.GoodRate, ci.BadRate, ci.RectificationRate, ci.OnTimeReplyRate}},
		}}.Figure()
	months, err := w.boards.Months(ctx, sc, code, now, trendMonths)
	if err != nil {
		return nil, err
	}
	s.Good, s.Bad = figures.Trends(months, name, wd)
	return s, nil
}
