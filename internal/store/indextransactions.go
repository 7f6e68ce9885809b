package store

// The reported transactions behind 未评率 (unrated rate): those whose rating
// window closed in the period, and of them the ones no citizen reviewed.
//
// Rule: a transaction counts once its rating window has closed, at the
// time the figures are counted as of, whether or not the scheduler has
// written its outcome yet; it is rated when a citizen's review (not a
// default one) is bound to it, which is what the outcome will say. So a
// board counts the same transactions however soon after a window closes
// the sweep runs, and can be recounted as of its computed time.

import (
	"context"
	"fmt"
	"github.com/haocha/haocha/internal/calendar"
	"time"

	"github.com/haocha/haocha/internal/index"
)

// indexTransactionCounts adds to out the transactions of each member of sc
// whose window closed in [start, end). A transaction has several stages,
// so the stage scope counts none.
func (s *Store) indexTransactionCounts(ctx context.Context, sc index.Scope, col, cond string, start, end, at time.Time, out map[string]index.Counts) error {
	if sc == index.Stage {
		return nil
	}
	where := closedBy(at) + " AND " + col + " IS NOT NULL"
	if cond != "" {
		where += " AND " + cond
	}
	q := "SELECT " + col + ", COUNT(*), COALESCE(SUM(CASE WHEN " + ratedTransaction + " THEN 0 ELSE 1 END), 0) FROM transactions r WHERE " + where
	if col != cityCode {
		q += " GROUP BY " + col
	}
	rows, err := s.query(ctx, q, millis(start), millis(end))
	if err != nil {
		return fmt.Errorf("index transactions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var code string
		var n, unrated int64
		if err := rows.Scan(&code, &n, &unrated); err != nil {
			return fmt.Errorf("index transactions: %w", err)
		}
		if n == 0 {
			continue // the city's one row when there are none
		}
		c := out[code]
		c.Transactions += n
		c.Unrated += unrated
		out[code] = c
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("index transactions: %w", err)
	}
	return s.indexParticipation(ctx, col, where, start, end, out)
}

// closedBy selects the transactions r whose rating window closed in
// [?, ?) and by at.
func closedBy(at time.Time) string {
	return fmt.Sprintf("r.rating_closes_at >= ? AND r.rating_closes_at < ? AND r.rating_closes_at <= %d", millis(at))
}

// ratedTransaction is true of a transaction r a citizen reviewed: the
// outcome its window closes with (CloseRatingWindows), known as soon as
// the window closed.
const ratedTransaction = `EXISTS (SELECT 1 FROM review_transactions rt JOIN reviews v ON v.id = rt.review
	WHERE rt.txn = r.number AND v.origin <> 'default')`

// participationReviews joins the transactions r to the reviews citizens
// gave of them that count in the index (not held, not excluded, not a
// default review): each channel's participation.
const participationReviews = ` FROM transactions r JOIN review_transactions rt ON rt.txn = r.number
	JOIN reviews v ON v.id = rt.review
	WHERE v.origin <> 'default' AND v.excluded IS NULL AND v.held IS NULL AND `

// indexParticipation adds to out, per member and channel, the reviews of
// the transactions that where selects.
func (s *Store) indexParticipation(ctx context.Context, col, where string, start, end time.Time, out map[string]index.Counts) error {
	q := "SELECT " + col + ", v.channel, COUNT(*)" + participationReviews + where + " GROUP BY "
	if col != cityCode {
		q += col + ", "
	}
	rows, err := s.query(ctx, q+"v.channel", millis(start), millis(end))
	if err != nil {
		return fmt.Errorf("index participation: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var code, channel string
		var n int64
		if err := rows.Scan(&code, &channel, &n); err != nil {
			return fmt.Errorf("index participation: %w", err)
		}
		c := out[code]
		if c.ChannelReviews == nil {
			c.ChannelReviews = map[string]int64{}
		}
		c.ChannelReviews[channel] += n
		out[code] = c
	}
	return rows.Err()
}

// TransactionRows returns every reported transaction whose rating window
// closed in the days from to to (inclusive), one row each, for `haocha
// index verify` to count in Go.
func (s *Store) TransactionRows(ctx context.Context, from, to time.Time) ([]index.TransactionRow, error) {
	start, end := calendar.Midnight(from), calendar.Midnight(to).AddDate(0, 0, 1)
	agency, err := s.agencies(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.query(ctx, `SELECT number, rating_closes_at, unit, COALESCE(district, ''), COALESCE(hall, ''),
		COALESCE(window_code, ''), COALESCE(workstation, ''), COALESCE(staff, ''), item, channel,
		CASE WHEN `+ratedTransaction+` THEN 'rated' ELSE 'unrated' END
		FROM transactions r WHERE `+closedBy(s.Now()), millis(start), millis(end))
	if err != nil {
		return nil, fmt.Errorf("transaction rows: %w", err)
	}
	defer rows.Close()
	reviews, err := s.transactionReviews(ctx, start, end)
	if err != nil {
		return nil, err
	}
	var out []index.TransactionRow
	for rows.Next() {
		var at int64
		var number, unit, district, hall, window, workstation, staff, item, channel, outcome string
		if err := rows.Scan(&number, &at, &unit, &district, &hall, &window, &workstation, &staff, &item, &channel, &outcome); err != nil {
			return nil, fmt.Errorf("transaction rows: %w", err)
		}
		out = append(out, index.TransactionRow{ClosesAt: fromMillis(at), Agency: agency[unit], Rated: outcome == "rated", Reviews: reviews[number],
			Codes: map[index.Scope]string{index.City: "city", index.Unit: unit, index.Agency: unit, index.District: district,
				index.Hall: hall, index.Window: window, index.Workstation: workstation, index.Staff: staff,
				index.Item: item, index.Channel: channel}})
	}
	return out, rows.Err()
}

// transactionReviews counts, per transaction whose window closed in
// [start, end) and per channel, the reviews citizens gave of it that count.
func (s *Store) transactionReviews(ctx context.Context, start, end time.Time) (map[string]map[string]int64, error) {
	rows, err := s.query(ctx, "SELECT r.number, v.channel"+participationReviews+closedBy(s.Now()), millis(start), millis(end))
	if err != nil {
		return nil, fmt.Errorf("transaction reviews: %w", err)
	}
	defer rows.Close()
	out := map[string]map[string]int64{}
	for rows.Next() {
		var number, channel string
		if err := rows.Scan(&number, &channel); err != nil {
			return nil, fmt.Errorf("transaction reviews: %w", err)
		}
		if out[number] == nil {
			out[number] = map[string]int64{}
		}
		out[number][channel]++
	}
	return out, rows.Err()
}
