package index

import "time"

// ReviewRow is one review as stored, for counting in Go, row by row: what
// `haocha index verify` checks the SQL aggregation against.
type ReviewRow struct {
	At        time.Time
	Codes     map[Scope]string // the member of each scope; "" for none
	Agency    bool             // its unit is a municipal agency
	Stars     int
	Tags      []string
	Scores    map[string]int64 // dimension code → score given
	Excluded  bool             // held out of the index
	Anonymous bool
	Origin    string // free, transaction or default (review.Origin)
	// Verification is the review's level (review.Verification): transaction,
	// presence or unverified.
	Verification string
	// Superseded: a later review review (追评) replaced it in the index; its
	// work order, if any, counts on.
	Superseded bool
}

// TransactionRow is one reported transaction whose rating window closed.
type TransactionRow struct {
	ClosesAt time.Time
	Codes    map[Scope]string // the member of each scope; "" for none
	Agency   bool             // its unit is a municipal agency
	Rated    bool             // a citizen reviewed it before the window closed
	// Reviews counts the reviews citizens gave of it that count in the
	// index, by the channel they rated on.
	Reviews map[string]int64
}

// CountTransactions adds to out, one row at a time, the transactions of
// every member of sc whose window closed in [start, end): the same
// contract as the store's IndexCounts.
func CountTransactions(sc Scope, rows []TransactionRow, start, end time.Time, out map[string]Counts) {
	for _, r := range rows {
		code := r.Codes[sc]
		if code == "" || r.ClosesAt.Before(start) || !r.ClosesAt.Before(end) || (sc == Agency && !r.Agency) {
			continue
		}
		c := out[code]
		c.Transactions++
		if !r.Rated {
			c.Unrated++
		}
		c.ChannelReviews = addMap(c.ChannelReviews, r.Reviews)
		out[code] = c
	}
}

// countReview counts r in c.
func countReview(c *Counts, r ReviewRow) {
	c.N++
	c.Stars[r.Stars-1]++
	if r.Origin != "default" {
		c.ActiveStars[r.Stars-1]++
	}
	if r.Origin == "transaction" {
		c.Linked++
	}
	for _, tag := range r.Tags {
		if c.Tags == nil {
			c.Tags = map[string]int64{}
		}
		c.Tags[tag]++
	}
	for d, s := range r.Scores {
		if c.DimensionSum == nil {
			c.DimensionSum, c.DimensionCount = map[string]int64{}, map[string]int64{}
		}
		c.DimensionSum[d] += s
		c.DimensionCount[d]++
	}
}

// OrderRow is one bad-review work order with its review.
type OrderRow struct {
	Order  Order
	Unit   string // the unit it is with; "" before dispatch
	Agency bool   // that unit is a municipal agency
	Review ReviewRow
}

// CountRows counts, one row at a time, the counts of every member of sc
// over [start, end) at now: the same contract as the store's IndexCounts,
// computed without SQL.
func CountRows(sc Scope, reviews []ReviewRow, orders []OrderRow, start, end time.Time, cal Workdays, now time.Time) map[string]Counts {
	out := map[string]Counts{}
	for _, r := range reviews {
		code := r.Codes[sc]
		if r.Excluded || r.Superseded || r.At.Before(start) || !r.At.Before(end) || code == "" || (sc == Agency && !r.Agency) {
			continue
		}
		c := out[code]
		countReview(&c, r)
		if r.Verification == "unverified" {
			if c.Unverified == nil {
				c.Unverified = &Counts{}
			}
			countReview(c.Unverified, r)
		}
		out[code] = c
	}
	for _, of := range orders {
		code, agency := of.Review.Codes[sc], of.Review.Agency
		if (sc == Unit || sc == Agency) && of.Unit != "" {
			code, agency = of.Unit, of.Agency // 谁办理、谁负责
		}
		due := of.Order.DueTime(cal)
		if code == "" || (sc == Agency && !agency) || due.Before(start) || !due.Before(end) ||
			(of.Review.Excluded && !of.Order.AppealUpheld) {
			continue
		}
		c := out[code]
		c.Orders.AddOrder(of.Order, cal, now)
		out[code] = c
	}
	return out
}
