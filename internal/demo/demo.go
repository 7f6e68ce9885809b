// Package demo makes a deterministic demonstration data set: Shanghai's
// districts, municipal agencies, some two hundred service items, a district
// centre of 100–200 workstations and a dozen community centres of 10–30
// in each district, and reviews whose default volume and mix reproduce the
// 2026 trial run (13,354 reviews, 223 of them bad).
package demo

import (
	_ "embed"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/haocha/haocha/internal/catalog"
)

//go:embed data/shanghai-districts.csv
var districtsCSV string

// Trial figures that the default review set reproduces.
const (
	TrialReviews = 13354
	TrialBad     = 223
)

// Shape of the demo's physical network, per district.
const (
	communityHalls  = 12 // 社区事务受理服务中心 per district
	centreWindows   = 80 // fewest windows of a district's administrative service centre (up to 129)
	centrePairs     = 3  // every third centre window seats two
	communityFewest = 8  // fewest windows of a community centre (up to 17)
	communityPairs  = 4  // every fourth community window seats two
	// busyWindows are each centre's first windows, its comprehensive
	// windows (综合窗口) of two seats each, where most of its applications
	// are taken: their workstations draw busyWeight times the reviews of
	// another, so their staff have enough reviews to be ranked within
	// their district.
	busyWindows = 4
	busyWeight  = 60
)

// subdistricts name the community centres (街道), in Chinese and pinyin.
var subdistricts = [][2]string{
	{"新华路", "Xinhua Road"}, {"江宁路", "Jiangning Road"}, {"枫林路", "Fenglin Road"}, {"田林", "Tianlin"}, {"虹桥", "Hongqiao"},
	{"龙华", "Longhua"}, {"凌云路", "Lingyun Road"}, {"康健新村", "Kangjian Xincun"}, {"华泾", "Huajing"}, {"长桥", "Changqiao"},
	{"斜土路", "Xietu Road"}, {"天平路", "Tianping Road"}, {"南京东路", "Nanjing Road East"}, {"外滩", "the Bund"},
	{"半淞园路", "Bansongyuan Road"}, {"小东门", "Xiaodongmen"}, {"豫园", "Yuyuan"}, {"老西门", "Laoximen"},
	{"五里桥", "Wuliqiao"}, {"打浦桥", "Dapuqiao"}, {"淮海中路", "Huaihai Road Central"}, {"瑞金二路", "Ruijin Road No. 2"},
	{"曹家渡", "Caojiadu"}, {"静安寺", "Jing'an Temple"}, {"石门二路", "Shimen Road No. 2"}, {"南京西路", "Nanjing Road West"},
	{"江浦路", "Jiangpu Road"}, {"四平路", "Siping Road"}, {"殷行", "Yinhang"}, {"五角场", "Wujiaochang"},
}

// roads are the demo halls' roads, in Chinese and in pinyin as Shanghai's
// road signs give them.
var roads = [][2]string{{"人民", "Renmin"}, {"中山", "Zhongshan"}, {"建国", "Jianguo"}, {"复兴", "Fuxing"}, {"淮海", "Huaihai"},
	{"长江", "Changjiang"}, {"黄河", "Huanghe"}, {"解放", "Jiefang"}, {"和平", "Heping"}, {"文化", "Wenhua"}, {"学府", "Xuefu"}, {"世纪", "Shiji"}}

// Catalog returns the demo catalogue. It is the same on every call.
func Catalog() *catalog.Catalog {
	c := &catalog.Catalog{}
	rng := rand.New(rand.NewPCG(2026, 7))
	r := csv.NewReader(strings.NewReader(districtsCSV))
	r.Comment = '#'
	recs, err := r.ReadAll()
	if err != nil {
		panic(fmt.Sprintf("demo districts: %v", err))
	}
	var districts []catalog.Unit
	for _, rec := range recs[1:] {
		u := catalog.Unit{Code: rec[0], Kind: catalog.District, NameZH: rec[1], NameEN: rec[2] + " District", District: rec[0]}
		if strings.HasSuffix(rec[2], "Area") {
			u.NameEN = rec[2]
		}
		districts = append(districts, u)
	}
	c.Units = append(c.Units, districts...)

	var communityItems, allItems []string
	for _, a := range agencies {
		c.Units = append(c.Units, catalog.Unit{Code: a.code, Kind: catalog.Agency, NameZH: a.zh, NameEN: a.en})
		n := 0
		for _, svc := range a.services {
			for _, v := range variantsOf(svc[0]) {
				n++
				it := catalog.Item{
					Code:   fmt.Sprintf("%s-%03d", a.code, n),
					NameZH: svc[0] + v[0],
					NameEN: svc[1] + v[1],
					Unit:   a.code,
				}
				for i, st := range stages {
					// Every item has application, acceptance and decision;
					// the others appear for some items only.
					optional := i == 0 || i == 3 || i == 5
					if optional && rng.IntN(3) == 0 {
						continue
					}
					it.Stages = append(it.Stages, catalog.Stage{Code: st[0], NameZH: st[1], NameEN: st[2]})
				}
				c.Items = append(c.Items, it)
				c.Guides = append(c.Guides, itemGuides(it.Code, a, svc, v)...)
				allItems = append(allItems, it.Code)
				if a.community {
					communityItems = append(communityItems, it.Code)
				}
			}
		}
	}

	staffNo := 0
	newStaff := func(unit string) string {
		staffNo++
		name := string(surnames[rng.IntN(len(surnames))]) + string(givenNames[rng.IntN(len(givenNames))])
		if rng.IntN(2) == 0 {
			name += string(givenNames[rng.IntN(len(givenNames))])
		}
		code := fmt.Sprintf("S%05d", staffNo)
		c.Staff = append(c.Staff, catalog.Staff{Code: code, Name: name, Unit: unit})
		return code
	}
	// A hall's first busy windows, and every pairs-th, seat two.
	addHall := func(d catalog.Unit, code, zh, en string, hours guideText, windows, busy, pairs int, items []string) {
		road, number := roads[rng.IntN(len(roads))], 1+rng.IntN(999)
		c.Halls = append(c.Halls, catalog.Hall{Code: code, NameZH: zh, NameEN: en, Unit: d.Code, District: d.Code,
			Address:   fmt.Sprintf("上海市%s%s路%d号", d.NameZH, road[0], number),
			AddressEN: fmt.Sprintf("%d %s Road, %s, Shanghai", number, road[1], d.NameEN),
			Hours:     hours.zh, HoursEN: hours.en})
		for w := 1; w <= windows; w++ {
			wc := fmt.Sprintf("%s-W%02d", code, w)
			c.Windows = append(c.Windows, catalog.Window{Code: wc, Hall: code, Name: fmt.Sprintf("%d号窗口", w),
				NameEN: fmt.Sprintf("Window %d", w)})
			n := 1
			if w <= busy || w%pairs == 0 {
				n = 2
			}
			for s := 1; s <= n; s++ {
				c.Workstations = append(c.Workstations, catalog.Workstation{
					Code:   fmt.Sprintf("%s-%02d", wc, s),
					Window: wc,
					Name:   fmt.Sprintf("%d号窗口%d号工位", w, s),
					NameEN: fmt.Sprintf("Window %d, seat %d", w, s),
					Staff:  newStaff(d.Code),
				})
			}
		}
		for _, it := range items {
			c.HallItems = append(c.HallItems, catalog.HallItem{Hall: code, Item: it})
		}
	}
	for k, d := range districts {
		addHall(d, "H"+d.Code+"-00", d.NameZH+"行政服务中心", d.NameEN+" Administrative Service Centre", centreHours,
			centreWindows+rng.IntN(50), busyWindows, centrePairs, allItems)
		for i := 1; i <= communityHalls; i++ {
			sd := subdistricts[(k*7+i)%len(subdistricts)]
			addHall(d, fmt.Sprintf("H%s-%02d", d.Code, i), d.NameZH+sd[0]+"街道社区事务受理服务中心",
				sd[1]+" Subdistrict Community Affairs Service Centre, "+d.NameEN, communityHours,
				communityFewest+rng.IntN(10), 0, communityPairs, communityItems)
		}
	}
	return c
}
