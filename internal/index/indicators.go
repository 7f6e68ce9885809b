package index

import (
	"math"
	"sort"
	"strconv"
)

// Indicators are the published figures of one scope and period. A rate
// whose denominator is zero is null: "no orders" is not "0%".
type Indicators struct {
	N            int64    `json:"n"`
	AverageStars *float64 `json:"average_stars"` // 平均星级
	// Dimensions is the average of each dimension, null where no review of
	// the period scored it (not 0, which no citizen can give).
	Dimensions map[string]*float64 `json:"dimensions"`
	Stars      map[string]int64    `json:"stars"` // star distribution, "1".."5"
	Tags       map[string]int64    `json:"tags"`
	// SatisfactionRate is 满意率: satisfied stars (3–5) / n.
	SatisfactionRate *float64 `json:"satisfaction_rate"`
	// GoodRate is 好评率: good stars (4–5) / n.
	GoodRate *float64 `json:"good_rate"`
	// BadRate is 差评率: 1–2 stars / n.
	BadRate *float64 `json:"bad_rate"`
	// ActiveGoodRate is 主动评价好评率: good / n over the reviews the
	// citizen gave, default reviews apart.
	ActiveGoodRate *float64 `json:"active_good_rate"`
	// Linked counts the reviews linked to a reported transaction; the
	// others (n − linked) are free reviews, counted apart.
	Linked int64 `json:"linked"`
	// Transactions counts reported transactions whose rating window
	// closed in the period, the denominator of UnratedRate.
	Transactions int64 `json:"transactions"`
	// UnratedRate is 未评率: of Transactions, those closed without a review
	// the citizen gave (a default review does not count as one).
	UnratedRate *float64 `json:"unrated_rate"`
	// Participation is each channel's participation (参评): the reviews
	// citizens gave on it of the Transactions, and their share of them.
	// A transaction rated at several stages counts a review for each, so
	// the shares may add up to more than 1 − UnratedRate. Channels without
	// such reviews are absent.
	Participation map[string]Participation `json:"participation"`

	// WorkOrders is the number of bad-review work orders due in the period
	// (appeals upheld apart), the denominator of the order rates.
	WorkOrders int64 `json:"work_orders"`
	// OnTimeReplyRate is 按时回复率: replied by the due time / orders.
	OnTimeReplyRate *float64 `json:"on_time_reply_rate"`
	// FirstContactOnTimeRate is 首次联系按时率: first contact by its
	// deadline / orders.
	FirstContactOnTimeRate *float64 `json:"first_contact_on_time_rate"`
	// RealNameReplyRate is 实名差评回复率: real-name bad reviews whose
	// reviewer was contacted / real-name bad reviews (the national rule: 100%).
	RealNameReplyRate *float64 `json:"real_name_reply_rate"`
	// RectificationRate is 整改率: rectified (Order.Rectified) / orders.
	RectificationRate *float64 `json:"rectification_rate"`
	// FollowUpSatisfactionRate is 回访满意率: closed satisfied at the first
	// follow-up / orders.
	FollowUpSatisfactionRate *float64 `json:"follow_up_satisfaction_rate"`
	// RedispatchRate is 重派率: orders in round 2 or later / orders.
	RedispatchRate *float64 `json:"redispatch_rate"`
	// Escalations counts orders escalated to the General Office (督办).
	Escalations int64 `json:"escalations"`
	// AppealsUpheld counts upheld appeals (申诉复核成立).
	AppealsUpheld int64 `json:"appeals_upheld"`
	// MedianDaysToClose is the median of working days from opening to
	// closing, over closed orders (办结用时中位数).
	MedianDaysToClose *float64 `json:"median_days_to_close"`
	// UndispatchedLate counts orders first dispatched more than one working
	// day after opening, or still undispatched after it (超时未派单): the
	// 12345 centre's figure, published on the centre's entry only (issue
	// 18), absent from every other: a unit answers for what it did after
	// dispatch.
	UndispatchedLate *int64 `json:"undispatched_late,omitempty"`
	// Causes is the cause mix: orders by their reviewed cause of an
	// unsatisfied answer (不满意原因审查); CauseAtFaultShare, the share of
	// them whose cause put the unit at fault, null when none has a cause.
	Causes            map[string]int64 `json:"causes"`
	CauseAtFaultShare *float64         `json:"cause_at_fault_share"`
	// Unverified counts the unverified reviews among N (issue 16), which
	// the index weighs at the definition's unverified_weight: published
	// from version 3 only.
	Unverified *int64 `json:"unverified,omitempty"`
}

// Compute turns counts into indicators under def. dimensions lists the
// codes that always appear (the active dimension set), so clients see a
// stable shape.
func Compute(c Counts, def Definition, dimensions []string) Indicators {
	in := Indicators{
		N:          c.N,
		Dimensions: map[string]*float64{},
		Stars:      map[string]int64{},
		Tags:       map[string]int64{},
	}
	var sum, satisfied, good, bad, active, activeGood int64
	for i, n := range c.Stars {
		s := i + 1
		in.Stars[strconv.Itoa(s)] = n
		sum += int64(s) * n
		if inBand(def.SatisfiedStars, s) {
			satisfied += n
		}
		if inBand(def.GoodStars, s) {
			good += n
			activeGood += c.ActiveStars[i]
		}
		if s <= 2 {
			bad += n
		}
		active += c.ActiveStars[i]
	}
	in.AverageStars = ratio(sum, c.N)
	in.SatisfactionRate = ratio(satisfied, c.N)
	in.GoodRate = ratio(good, c.N)
	in.BadRate = ratio(bad, c.N)
	in.ActiveGoodRate = ratio(activeGood, active)
	in.Linked, in.Transactions = c.Linked, c.Transactions
	in.UnratedRate = ratio(c.Unrated, c.Transactions)
	in.Participation = map[string]Participation{}
	for ch, n := range c.ChannelReviews {
		in.Participation[ch] = Participation{Reviews: n, Rate: ratio(n, c.Transactions)}
	}
	for _, d := range dimensions {
		in.Dimensions[d] = nil
	}
	for d, n := range c.DimensionCount {
		in.Dimensions[d] = ratio(c.DimensionSum[d], n)
	}
	for t, n := range c.Tags {
		in.Tags[t] = n
	}
	o := c.Orders
	in.WorkOrders = o.WithDue
	in.OnTimeReplyRate = ratio(o.RepliedOnTime, o.WithDue)
	in.FirstContactOnTimeRate = ratio(o.ContactedOnTime, o.WithDue)
	in.RealNameReplyRate = ratio(o.RealNameContacted, o.RealName)
	in.RectificationRate = ratio(o.Rectified, o.WithDue)
	in.FollowUpSatisfactionRate = ratio(o.SatisfiedFirst, o.WithDue)
	in.RedispatchRate = ratio(o.Redispatched, o.WithDue)
	in.Escalations = o.Escalated
	in.AppealsUpheld = o.AppealsUpheld
	in.MedianDaysToClose = median(o.DaysToClose)
	in.Causes = map[string]int64{}
	var caused int64
	for k, n := range o.Causes {
		in.Causes[k] = n
		caused += n
	}
	in.CauseAtFaultShare = ratio(o.CausesAtFault, caused)
	if def.UnverifiedWeight != nil {
		var u int64
		if c.Unverified != nil {
			u = c.Unverified.N
		}
		in.Unverified = &u
	}
	return in
}

// Participation is one channel's reviews of the transactions whose rating
// window closed in the period, and their share of those transactions.
type Participation struct {
	Reviews int64    `json:"reviews"`
	Rate    *float64 `json:"rate"`
}

// ratio is num/den rounded to 4 places, or nil when den is 0.
func ratio(num, den int64) *float64 {
	if den == 0 {
		return nil
	}
	x := round4(float64(num) / float64(den))
	return &x
}

func round4(x float64) float64 { return math.Round(x*10000) / 10000 }

// median of a histogram of days: the middle value, or the mean of the two
// middle values for an even count.
func median(h map[int]int64) *float64 {
	var total int64
	days := make([]int, 0, len(h))
	for d, n := range h {
		if n > 0 {
			days = append(days, d)
			total += n
		}
	}
	if total == 0 {
		return nil
	}
	sort.Ints(days)
	at := func(k int64) int { // the k-th value, from 0
		for _, d := range days {
			if k < h[d] {
				return d
			}
			k -= h[d]
		}
		return days[len(days)-1]
	}
	m := float64(at((total-1)/2)+at(total/2)) / 2
	return &m
}
