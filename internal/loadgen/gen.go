package loadgen

import (
	"fmt"
	"math/rand/v2"

	"github.com/haocha/haocha/internal/review"
)

// channelWeights is the mix of channels generated reviews come in on:
// halls (window QR codes, tablets, kiosks) carry most, then online.
var channelWeights = []struct {
	ch     review.Channel
	weight int
}{
	{review.Window, 34}, {review.Tablet, 20}, {review.Kiosk, 3}, {review.PC, 12}, {review.App, 16},
	{review.WeChat, 7}, {review.Alipay, 5}, {review.Hotline, 2}, {review.SMS, 1},
}

var totalWeight = func() int {
	n := 0
	for _, c := range channelWeights {
		n += c.weight
	}
	return n
}()

// Shares of generated reviews, in percent.
const (
	badPercent      = 2  // 1–2 stars, nearly all with a comment and tags: work orders
	realNamePercent = 30 // name and phone given
)

var badComments = []struct {
	text string
	tags []string
}{
	{"窗口等候时间太长，叫号系统混乱", []string{"multiple_trips"}},
	{"工作人员态度冷淡，问题没有解释清楚", []string{"attitude"}},
	{"材料已经提交过，又要求重复提供", []string{"materials"}},
	{"承诺五个工作日办结，至今没有结果", []string{"missed_deadline"}},
	{"跑了三次还没办成", []string{"multiple_trips", "materials"}},
	{"网上申报页面经常打不开", []string{"other"}},
}

// Citizens put a complaint in their own words, about their own visit: a
// city's complaints seldom repeat word for word, and the same text many
// times over is what the same-text detector holds. A complaint names
// when, the item, how long the citizen waited and what they want: 5,760
// wordings for each item and complaint. The wait is in Chinese numerals,
// as the detector compares letters only.
var (
	complaintWhen = []string{"上午", "下午", "中午", "周一", "周二", "周三", "周四", "周五"}
	complaintWant = []string{"希望尽快改进", "请相关部门核实", "体验很差", "希望给个说法", "非常失望",
		"建议加强管理", "请尽快处理", "希望引起重视"}
	numerals = []rune("一二三四五六七八九")
)

// complaint is text as one citizen reviewing item writes it.
func (g *Generator) complaint(text, item string) string {
	rng := g.rng
	// Ten to ninety-nine minutes.
	wait := "十"
	if tens := rng.IntN(9); tens > 0 {
		wait = string(numerals[tens]) + wait
	}
	if units := rng.IntN(10); units > 0 {
		wait += string(numerals[units-1])
	}
	return complaintWhen[rng.IntN(len(complaintWhen))] + "办理" + item + "，等了" + wait + "分钟，" + text + "，" +
		complaintWant[rng.IntN(len(complaintWant))]
}

var goodComments = []string{"", "", "", "办事很快", "工作人员很耐心", "一次办成，点赞", "流程清楚"}

var surnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高")
var given = []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平")

// Generator makes review submissions that the demo catalogue accepts. It is
// not safe for concurrent use: give each worker its own.
type Generator struct {
	x   *Index
	rng *rand.Rand
	n   int
}

// NewGenerator returns a generator over x; the same seed gives the same
// payloads.
func NewGenerator(x *Index, seed uint64) *Generator {
	return &Generator{x: x, rng: rand.New(rand.NewPCG(seed, 0x6c6f_6164))}
}

// Next returns the next submission.
func (g *Generator) Next() review.Submission {
	rng := g.rng
	g.n++
	s := review.Submission{ReviewerKind: string(review.Person)}
	w := rng.IntN(totalWeight)
	for _, c := range channelWeights {
		if w -= c.weight; w < 0 {
			s.Channel = string(c.ch)
			break
		}
	}
	switch review.Channel(s.Channel) {
	case review.Window, review.Tablet, review.Kiosk:
		// In a hall: an item that hall handles. A load generator cannot
		// prove a visit (the rating device or the transaction's invitation
		// does), so it names no workstation and comes in on the hall's
		// kiosk, as an unverified review (docs/domain.md).
		st := g.x.stations[rng.IntN(len(g.x.stations))]
		s.Channel = string(review.Kiosk)
		s.Item = st.items[rng.IntN(len(st.items))]
	default:
		s.Item = g.x.itemList[rng.IntN(len(g.x.itemList))].Code
	}
	stages := g.x.items[s.Item].Stages
	s.Stage = stages[rng.IntN(len(stages))].Code

	bad := rng.IntN(100) < badPercent
	if bad {
		s.Stars = 1 + rng.IntN(2)
		if rng.IntN(10) > 0 { // nine in ten say what went wrong
			c := badComments[rng.IntN(len(badComments))]
			s.Comment, s.Tags = g.complaint(c.text, g.x.items[s.Item].NameZH), c.tags
		}
	} else {
		switch n := rng.IntN(100); {
		case n < 84:
			s.Stars = 5
		case n < 96:
			s.Stars = 4
		default:
			s.Stars = 3
		}
		s.Comment = goodComments[rng.IntN(len(goodComments))]
	}
	if dims := g.x.Set.Dimensions; len(dims) > 0 && rng.IntN(10) < 8 {
		s.Dimensions = make(map[string]int, len(dims))
		for _, d := range dims {
			s.Dimensions[d.Code] = min(5, max(1, s.Stars+rng.IntN(3)-1))
		}
	}
	anon := rng.IntN(100) >= realNamePercent
	s.Anonymous = &anon
	if !anon {
		s.Name = string(surnames[rng.IntN(len(surnames))]) + string(given[rng.IntN(len(given))])
		s.Phone = fmt.Sprintf("13%09d", rng.IntN(1_000_000_000))
	}
	if rng.IntN(8) == 0 {
		s.ReviewerKind = string(review.Business)
	}
	return s
}
