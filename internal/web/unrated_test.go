package web_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/figures"
	"github.com/haocha/haocha/internal/index"
)

// TestPagesShowUnratedAndActiveGoodRates: a district's page, an item's
// page, the /index rankings and the supervisor's dashboard show 未评率
// (with the transactions it counts) and 主动评价好评率 as the published
// board computes them; the demo reports transactions, so they are figures,
// not dashes.
func TestPagesShowUnratedAndActiveGoodRates(t *testing.T) {
	c := newClient(t)
	withTransactions := func(b []index.Entry) index.Entry {
		t.Helper()
		for _, e := range b {
			if e.Indicators.Transactions > 0 && e.Indicators.UnratedRate != nil {
				return e
			}
		}
		t.Fatal("no member with transactions whose rating window closed: the demo reports none")
		return index.Entry{}
	}
	tiles := func(e index.Entry) []string {
		return []string{fmt.Sprintf(`id="score-unrated">%s <small>办件 %d</small>`, figures.Rate(e.Indicators.UnratedRate), e.Indicators.Transactions),
			fmt.Sprintf(`id="score-active">%s</dd>`, figures.Rate(e.Indicators.ActiveGoodRate))}
	}
	districts := recentBoard(t, index.District)
	d := withTransactions(append(districts.Ranked, districts.Insufficient...))
	_, body := c.get("/units/" + d.Code)
	mustContain(t, body, tiles(d)...)
	mustContain(t, body, "未评率", "主动评价好评率")

	items := recentBoard(t, index.Item)
	it := withTransactions(append(items.Ranked, items.Insufficient...))
	_, body = c.get("/items/" + it.Code)
	mustContain(t, body, tiles(it)...)

	_, body = c.get("/index")
	row := regexp.MustCompile(`<a href="/units/` + d.Code + `">[^<]*</a></th>(?s:.*?)</tr>`).FindString(body)
	mustContain(t, row, fmt.Sprintf(`<td class="num" data-label="主动评价好评率">%s</td><td class="num" data-label="未评率">%s</td></tr>`,
		figures.Rate(d.Indicators.ActiveGoodRate), figures.Rate(d.Indicators.UnratedRate)))
	mustContain(t, body, `<th scope="col" class="num">主动评价好评率</th><th scope="col" class="num">未评率</th>`)

	staffAccount(t, "unrated-supervisor", account.Supervisor, "")
	c.login("unrated-supervisor")
	_, body = c.get("/console/dashboard")
	city := withTransactions(recentBoard(t, index.City).Ranked)
	mustContain(t, body, fmt.Sprintf(`id="dash-unrated">%s <small>办件 %d</small>`, figures.Rate(city.Indicators.UnratedRate), city.Indicators.Transactions),
		fmt.Sprintf(`id="dash-active">%s</dd>`, figures.Rate(city.Indicators.ActiveGoodRate)))
}
