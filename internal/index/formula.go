package index

import "fmt"

// Formula is the definition in words, naming the stored fields each part
// counts, so that a third party can implement it (GET
// /api/v1/index/definition publishes it beside the definition).
func (d Definition) Formula() []string {
	w := d.Weights
	out := []string{
		"Reviews counted: those given in the period (reviews.created_at) that are not held out of the index (reviews.excluded and reviews.held are null) and not replaced by a later review (reviews.superseded is null).",
		"n is the number of reviews counted; a member under min_sample reviews gets no index and no rank (insufficient_sample).",
		"S = (average stars - 1) / 4 and B = the share of reviews with 1 or 2 stars, each shrunk toward the city's value: (n*x + prior*city) / (n + prior).",
		fmt.Sprintf("Satisfied stars (satisfaction_rate) are %v, good stars (good_rate, active_good_rate) %v; active_good_rate leaves out default reviews (reviews.origin = 'default').", d.SatisfiedStars, d.GoodStars),
		"Work orders counted: those whose due time (work_orders.due_at; before dispatch, the dispatch deadline: the end, 17:30 in the city's zone UTC+8, of the working day after the working day the order was opened in) falls in the period and has passed; an order whose review is held out counts only if its appeal was upheld.",
		"An order closed by an upheld appeal (work_orders.appeal = 'upheld') counts only in appeals_upheld; the others are work_orders, the denominator of the order rates.",
		"R (rectification_rate) = orders closed (closed_at set) / work_orders; F (follow_up_satisfaction_rate) = orders closed with not_satisfied = 0 / work_orders; T (on_time_reply_rate) = orders replied by due_at / work_orders.",
		"Under and above the unit scope an order counts toward the reviewed member; under unit and agency, toward the unit it is with (work_orders.unit, else the review's unit).",
		"undispatched_late counts orders first dispatched (first_dispatched_at) after their dispatch deadline, or not dispatched when that deadline has passed.",
	}
	if d.UnverifiedWeight != nil {
		out = append(out,
			fmt.Sprintf("Verification (reviews.verification): the scopes %v count only reviews whose verification is 'transaction' or 'presence'. Every other scope counts an 'unverified' review at unverified_weight w = %g: at 0 it is left out of every figure; above 0 it is in n and every review figure (indicators.unverified counts such reviews, u), and in S, B and the minimum sample it weighs w: n becomes v + w*u (v the other reviews) and each star count k becomes k - (1-w)*k_unverified.", d.VerifiedScopes, *d.UnverifiedWeight),
			"The city a member is shrunk toward is counted as the member's scope counts: its verified reviews for the scopes above, with unverified ones at weight w for the others.")
	}
	if d.OrdersAfterDispatch {
		out = append(out, "Orders the 12345 centre has not dispatched (work_orders.first_dispatched_at null, or later than now) count in no member's work_orders nor in any order rate, R, F and T included, nor in the city's rates; they count in undispatched_late on the centre's board.")
	}
	if d.OrdersToParent {
		out = append(out, fmt.Sprintf("R, F and T are shrunk toward the city's rates with a prior of %d orders: (d*x + order_prior*city) / (d + order_prior), d the member's work_orders; the city's rate is 1 when it has no orders.", d.OrderPrior))
	} else {
		out = append(out, "R, F and T are the member's own rates, 1 when it has no work orders.")
	}
	out = append(out, fmt.Sprintf("index = 100 * (%g*S + %g*(1 - B) + %g*R + %g*F + %g*T), rounded to 2 places; rates are rounded to 4 places; ranks share ties (1, 2, 2, 4), listed by index, then more reviews, then code.",
		w.Stars, w.NotBad, w.Rectification, w.FollowUpSatisfaction, w.OnTimeReply))
	return out
}
