package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"github.com/haocha/haocha/internal/audit"
	"strings"
	"time"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/index"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/workorder"
)

// orderColumns are what scanOrder reads, in its order.
var orderColumns = join(plain("id", "number", "review", "state", "round"), orEmpty("unit", "complexity"), plain("days",
	"dispatched_at", "contact_due", "contacted_at", "due_at", "overdue", "due_soon_sent",
	"findings", "rectification", "answer", "replied_at", "not_satisfied", "follow_up_note", "closed_at",
	"supervised_at", "assessment", "reassign_reason", "appeal", "appeal_ground", "appeal_reason", "appeal_decision",
	"created_at", "updated_at", "version", "first_dispatched_at", "suspected", "suspect_decision",
	"cause", "cause_at_fault", "cause_note", "cause_contest", "cause_contest_reason", "cause_decision"))

type scanner interface{ Scan(...any) error }

func scanOrder(row scanner) (*workorder.Order, error) {
	var o workorder.Order
	var complexity, state, appeal, contest string
	var dispatched, firstDispatched, contactDue, contacted, due, replied, closed, supervised sql.NullInt64
	var created, updated int64
	var suspected bool
	var decision string
	err := row.Scan(&o.ID, &o.Number, &o.Review, &state, &o.Round, &o.Unit, &complexity, &o.Days,
		&dispatched, &contactDue, &contacted, &due, &o.Overdue, &o.DueSoonSent,
		&o.Reply.Findings, &o.Reply.Rectification, &o.Reply.Answer, &replied, &o.NotSatisfied, &o.FollowUpNote, &closed,
		&supervised, &o.Assessment, &o.ReassignReason, &appeal, &o.AppealGround, &o.AppealReason, &o.AppealDecision,
		&created, &updated, &o.Version, &firstDispatched, &suspected, &decision,
		&o.Cause, &o.CauseAtFault, &o.CauseNote, &contest, &o.CauseContestReason, &o.CauseDecision)
	if err != nil {
		return nil, err
	}
	o.Screening = screening(suspected, decision)
	o.State, o.Complexity, o.Appeal = workorder.State(state), workorder.Complexity(complexity), workorder.AppealState(appeal)
	o.DispatchedAt, o.ContactDue, o.ContactedAt, o.Due = optTime(dispatched), optTime(contactDue), optTime(contacted), optTime(due)
	o.RepliedAt, o.ClosedAt, o.SupervisedAt = optTime(replied), optTime(closed), optTime(supervised)
	o.FirstDispatchedAt = optTime(firstDispatched)
	o.CauseContest = workorder.CauseContest(contest)
	o.CreatedAt, o.UpdatedAt = fromMillis(created), fromMillis(updated)
	return &o, nil
}

// screening is an order's screening outcome from its suspected flag and
// the supervisor's decision ("released: ..." or "rejected: ...").
func screening(suspected bool, decision string) workorder.Screening {
	switch {
	case strings.HasPrefix(decision, "rejected:"):
		return workorder.Rejected
	case suspected && decision == "":
		return workorder.Held
	}
	return ""
}

func optTime(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return fromMillis(v.Int64)
}

func optMillis(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return millis(t)
}

// Order returns the work order with id.
func (s *Store) Order(ctx context.Context, id int64) (*workorder.Order, error) {
	o, err := scanOrder(s.queryRow(ctx, "SELECT "+orderColumns.sel("")+" FROM work_orders WHERE id = ?", id))
	return o, notFound(err, "work_order", "no such work order")
}

// OrderByNumber returns the work order numbered number.
func (s *Store) OrderByNumber(ctx context.Context, number string) (*workorder.Order, error) {
	o, err := scanOrder(s.queryRow(ctx, "SELECT "+orderColumns.sel("")+" FROM work_orders WHERE number = ?", number))
	return o, notFound(err, "work_order", "no such work order")
}

// OrderByToken returns the work order whose citizen holds token: the one
// given with the review, or one a confirmed look-up issued.
func (s *Store) OrderByToken(ctx context.Context, token string) (*workorder.Order, error) {
	h := HashToken(token)
	o, err := scanOrder(s.queryRow(ctx, "SELECT "+orderColumns.sel("")+` FROM work_orders
		WHERE citizen_token = ? OR id = (SELECT work_order FROM follow_tokens WHERE token_hash = ?)`, h, h))
	return o, notFound(err, "work_order", "no such work order")
}

// Orders lists work orders: newest first, the queue most urgent first,
// or as f.Sort asks (see leadKey). f.After and f.Before page through any
// of these orders.
func (s *Store) Orders(ctx context.Context, f workorder.Filter) ([]workorder.Row, error) {
	where, args := s.orderWhere(f)
	lead, leadArgs := leadKey(f)
	keys, asc := []string{"o.id"}, false
	shown := "0"
	if lead != "" {
		keys, asc, shown = []string{"(" + lead + ")", "o.created_at", "o.id"}, true, lead
	}
	q := "SELECT " + orderColumns.sel("o") + rowColumns + ", " + shown + `
		FROM work_orders o JOIN reviews r ON r.id = o.review JOIN items i ON i.code = r.item`
	args = append(append([]any{}, leadArgs...), args...)
	cur, after := f.After, true
	if f.Before != nil {
		cur, after = f.Before, false
	}
	if cur != nil {
		vals := []any{cur.ID}
		if lead != "" {
			vals = []any{cur.Class, millis(cur.Created), cur.ID}
			args = append(args, leadArgs...)
		}
		op := ">"
		if after != asc {
			op = "<"
		}
		where = append(where, "("+strings.Join(keys, ", ")+") "+op+" ("+placeholders(len(vals))+")")
		args = append(args, vals...)
	}
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	// Reading backwards, the rows come in reverse and are turned round.
	dir := " ASC"
	if asc != after {
		dir = " DESC"
	}
	args = append(args, leadArgs...)
	q += " ORDER BY " + strings.Join(keys, dir+", ") + dir
	// Pages read one row past their size, to know whether another page
	// follows: the largest page reads MaxPage + 1 rows. A limit past that
	// is cut to it, not to the default, or the largest pages would come
	// back as short pages without a next page.
	limit := f.Limit
	switch {
	case limit <= 0:
		limit = 200
	case limit > workorder.MaxPage+1:
		limit = workorder.MaxPage + 1
	}
	q += fmt.Sprintf(" LIMIT %d", limit)
	rows, err := s.orderRows(ctx, q, args, true)
	if !after {
		for i, j := 0, len(rows)-1; i < j; i, j = i+1, j-1 {
			rows[i], rows[j] = rows[j], rows[i]
		}
	}
	return rows, err
}

// urgency is the SQL of an order's urgency class (workorder.UrgentLate and
// so on) as f's clock and deadlines see it, with its arguments.
func urgency(f workorder.Filter) (string, []any) {
	return `CASE WHEN o.state <> 'closed' AND (o.overdue OR (o.state = 'dispatched' AND o.due_at < ?)
			OR (o.state = 'new' AND o.created_at <= ?)) THEN 0
		WHEN o.state = 'dispatched' AND o.due_at <= ? THEN 1 ELSE 2 END`,
		[]any{millis(f.Now), millis(f.DispatchLateBy), millis(f.DueSoonBy)}
}

// orderStateRank places an order's state in the loop's order, new first.
const orderStateRank = `CASE o.state WHEN 'new' THEN 0 WHEN 'not_satisfied' THEN 1 WHEN 'supervised' THEN 2
		WHEN 'dispatched' THEN 3 WHEN 'replied' THEN 4 ELSE 5 END`

// leadKey is the first key of f's list, before the time received and the
// id (all ascending), with its arguments: the queue's urgency class, the
// due time (orders without one last) or the state's place in the loop.
// Empty for a list newest first (by id, descending).
func leadKey(f workorder.Filter) (string, []any) {
	switch f.Sort {
	case workorder.SortDue:
		return "COALESCE(o.due_at, 9000000000000000)", nil
	case workorder.SortState:
		return orderStateRank, nil
	case workorder.SortReceived:
		return "", nil
	}
	if f.Queue {
		return urgency(f)
	}
	return "", nil
}

// CountOrders counts the work orders f selects (its Limit aside).
func (s *Store) CountOrders(ctx context.Context, f workorder.Filter) (int64, error) {
	where, args := s.orderWhere(f)
	q := "SELECT COUNT(*) FROM work_orders o"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	var n int64
	if err := s.queryRow(ctx, q, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count work orders: %w", err)
	}
	return n, nil
}

// orderWhere is the conditions on work_orders o that f selects.
func (s *Store) orderWhere(f workorder.Filter) (where []string, args []any) {
	now := f.Now
	if now.IsZero() {
		now = s.Now()
	}
	pastDue := "(o.overdue OR (o.state = 'dispatched' AND o.due_at < ?))"
	if f.Suspected {
		where = append(where, "o.suspected")
	} else {
		where = append(where, "NOT o.suspected")
	}
	if len(f.States) > 0 {
		where = append(where, "o.state IN ("+placeholders(len(f.States))+")")
		for _, st := range f.States {
			args = append(args, string(st))
		}
	}
	if f.Unit != "" {
		where, args = append(where, "o.unit = ?"), append(args, f.Unit)
	}
	if f.Overdue {
		where, args = append(where, pastDue), append(args, millis(now))
	}
	if f.Escalated {
		where = append(where, "o.supervised_at IS NOT NULL")
	}
	if f.Redispatch {
		where = append(where, "o.round > 1")
	}
	if f.Assessment {
		where = append(where, "o.assessment")
	}
	if f.Open {
		where = append(where, "o.state <> 'closed'")
	}
	switch f.Cause {
	case workorder.CauseAwaiting:
		where = append(where, "o.not_satisfied > 0 AND o.cause = '' AND o.appeal <> 'upheld'")
	case workorder.CauseContestable:
		where = append(where, "o.cause_at_fault AND o.cause <> '' AND o.cause_contest = ''")
	case workorder.CauseContested:
		where = append(where, "o.cause_contest = 'pending'")
	}
	if f.Queue {
		where = append(where, "(o.state IN ('new', 'not_satisfied', 'supervised') OR (o.state <> 'closed' AND "+pastDue+") OR o.reassign_reason <> ''"+
			" OR EXISTS (SELECT 1 FROM call_requests c WHERE c.work_order = o.id AND c.done_at IS NULL))")
		args = append(args, millis(now))
	}
	return where, args
}

// rowColumns follow the order's columns in a list of rows.
const rowColumns = ", r.item, i.name_zh, i.name_en, r.created_at, r.stars, r.anonymous, r.comment, r.unit, COALESCE(r.hall, '')"

// orderRows runs a query of order columns and rowColumns.
// With urgency, a last column holds the row's urgency class.
func (s *Store) orderRows(ctx context.Context, q string, args []any, withUrgency bool) ([]workorder.Row, error) {
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list work orders: %w", err)
	}
	defer rows.Close()
	var out []workorder.Row
	for rows.Next() {
		var row workorder.Row
		var reviewAt int64
		o, err := scanOrder(scanFunc(func(dest ...any) error {
			dest = append(dest, &row.Item, &row.ItemName, &row.ItemEN, &reviewAt, &row.Stars, &row.Anonymous, &row.Comment,
				&row.RatedUnit, &row.Hall)
			if withUrgency {
				dest = append(dest, &row.Key.Class)
			}
			return rows.Scan(dest...)
		}))
		if err != nil {
			return nil, fmt.Errorf("list work orders: %w", err)
		}
		row.Order, row.ReviewAt = o, fromMillis(reviewAt)
		row.Key.Created, row.Key.ID = o.CreatedAt, o.ID
		out = append(out, row)
	}
	return out, rows.Err()
}

type scanFunc func(...any) error

func (f scanFunc) Scan(dest ...any) error { return f(dest...) }

// OrderReview returns the review behind a work order, with the reviewer's
// contact when the review is real-name. Callers decide what to show.
func (s *Store) OrderReview(ctx context.Context, reviewID int64) (*review.Record, error) {
	r := &review.Record{Review: review.Review{ID: reviewID}}
	var created int64
	var channel, kind, level string
	var district, hall, window, workstation, staff, txn sql.NullString
	var tags int64
	err := s.queryRow(ctx, `SELECT created_at, channel, item, stage, unit, district, hall, window_code, workstation, staff,
			stars, tags, comment, anonymous, reviewer_kind, txn, COALESCE(excluded, ''), COALESCE(follows, 0), verification
		FROM reviews WHERE id = ?`, reviewID).Scan(&created, &channel, &r.Item, &r.Stage, &r.Unit, &district, &hall,
		&window, &workstation, &staff, &r.Stars, &tags, &r.Comment, &r.Anonymous, &kind, &txn, &r.Excluded, &r.Follows, &level)
	if err != nil {
		return nil, notFound(err, "review", "no such review")
	}
	r.CreatedAt, r.Channel, r.ReviewerKind, r.Tags = fromMillis(created), review.Channel(channel), review.ReviewerKind(kind), review.TagSet(tags)
	r.Verification = review.Verification(level)
	r.District, r.Hall, r.Window, r.Workstation, r.Staff, r.Transaction = district.String, hall.String, window.String, workstation.String, staff.String, txn.String
	if r.Later, r.First, err = s.otherOpinions(ctx, reviewID, r.Follows); err != nil {
		return nil, err
	}
	if !r.Anonymous {
		var c review.Contact
		err := s.queryRow(ctx, "SELECT name, phone FROM review_contacts WHERE review = ?", reviewID).Scan(&c.Name, &c.Phone)
		if err == nil {
			r.Contact = &c
		} else if err != sql.ErrNoRows {
			return nil, fmt.Errorf("review contact: %w", err)
		}
	}
	return r, nil
}

// ChangeOrder loads the order, lets fn change it, and stores it with its
// audit row, notification and review exclusion in one transaction. A
// concurrent change of the same order makes it a conflict.
func (s *Store) ChangeOrder(ctx context.Context, id int64, actor account.Actor, fn workorder.ChangeFunc) (*workorder.Order, workorder.Change, error) {
	var o *workorder.Order
	var c workorder.Change
	err := s.inTx(ctx, func(t tx) error {
		var err error
		o, err = scanOrder(t.queryRow(ctx, "SELECT "+orderColumns.sel("")+" FROM work_orders WHERE id = ?", id))
		if err != nil {
			return notFound(err, "work_order", "no such work order")
		}
		before, unit := index.OrderOf(o, false), o.Unit
		if c, err = fn(o); err != nil {
			return err
		}
		if err := s.saveOrder(ctx, t, o); err != nil {
			return err
		}
		// The days the order was and is due on count it again, unless
		// nothing the index reads of it changed (a due-soon notice, the
		// overdue flag).
		if after := index.OrderOf(o, false); after != before || o.Unit != unit {
			cal, err := s.Calendar(ctx)
			if err != nil {
				return err
			}
			if err := s.markOrderDays(ctx, t, cal, before, after); err != nil {
				return err
			}
		}
		now := o.UpdatedAt
		if err := s.appendAudit(ctx, t, audit.Entry{At: now, Actor: actor.String(), Action: string(c.Action),
			WorkOrder: o.ID, From: string(c.From), To: string(c.To), Note: c.Note}); err != nil {
			return err
		}
		if c.Step != nil {
			c.Step.Actor, c.Step.Account = actor.Role, actor.Name
			if err := s.addStep(ctx, t, o.ID, *c.Step); err != nil {
				return err
			}
		}
		if c.Exclude != "" {
			if err := s.excludeReview(ctx, t, o.Review, c.Exclude); err != nil {
				return err
			}
		}
		if c.Notify != "" {
			return s.enqueue(ctx, t, c.Notify, o, now)
		}
		return nil
	})
	if err != nil {
		return nil, c, err
	}
	return o, c, nil
}

func (s *Store) saveOrder(ctx context.Context, t tx, o *workorder.Order) error {
	res, err := t.exec(ctx, `UPDATE work_orders SET state = ?, round = ?, unit = ?, complexity = ?, days = ?,
			dispatched_at = ?, contact_due = ?, contacted_at = ?, due_at = ?, overdue = ?, due_soon_sent = ?,
			findings = ?, rectification = ?, answer = ?, replied_at = ?, not_satisfied = ?, follow_up_note = ?, closed_at = ?,
			supervised_at = ?, assessment = ?, reassign_reason = ?, appeal = ?, appeal_ground = ?, appeal_reason = ?,
			appeal_decision = ?, first_dispatched_at = ?, cause = ?, cause_at_fault = ?, cause_note = ?, cause_contest = ?,
			cause_contest_reason = ?, cause_decision = ?, updated_at = ?, version = version + 1
		WHERE id = ? AND version = ?`,
		string(o.State), o.Round, nullable(o.Unit), nullable(string(o.Complexity)), o.Days,
		optMillis(o.DispatchedAt), optMillis(o.ContactDue), optMillis(o.ContactedAt), optMillis(o.Due), o.Overdue, o.DueSoonSent,
		o.Reply.Findings, o.Reply.Rectification, o.Reply.Answer, optMillis(o.RepliedAt), o.NotSatisfied, o.FollowUpNote, optMillis(o.ClosedAt),
		optMillis(o.SupervisedAt), o.Assessment, o.ReassignReason, string(o.Appeal), o.AppealGround, o.AppealReason,
		o.AppealDecision, optMillis(o.FirstDispatchedAt), o.Cause, o.CauseAtFault, o.CauseNote, string(o.CauseContest),
		o.CauseContestReason, o.CauseDecision, millis(o.UpdatedAt), o.ID, o.Version)
	if err != nil {
		return fmt.Errorf("save work order %s: %w", o.Number, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return apperr.New(apperr.Conflict, "work_order", "work order %s was changed by someone else: reload and try again", o.Number)
	}
	o.Version++
	return nil
}

// RecordView writes an audit row for a view of a reviewer's personal data.
func (s *Store) RecordView(ctx context.Context, actor account.Actor, o *workorder.Order, note string) error {
	return s.inTx(ctx, func(t tx) error {
		return s.appendAudit(ctx, t, audit.Entry{At: s.Now(), Actor: actor.String(), Action: string(workorder.ActViewContact),
			WorkOrder: o.ID, From: string(o.State), To: string(o.State), Note: note})
	})
}

func (s *Store) enqueue(ctx context.Context, t tx, ev workorder.Event, o *workorder.Order, now time.Time) error {
	payload, err := json.Marshal(workorder.NoticeOf(ev, o, now))
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, `INSERT INTO notifications (event, work_order, payload, created_at, next_at) VALUES (?, ?, ?, ?, ?)`,
		string(ev), o.ID, string(payload), millis(now), millis(now))
	if err != nil {
		return fmt.Errorf("queue notification: %w", err)
	}
	return nil
}

// UnitSummary counts one unit's work orders over a period, for the General
// Office's periodic report (通报).
type UnitSummary struct {
	Unit         string
	Opened       int64 // dispatched to the unit, in the period
	Closed       int64
	Replied      int64 // ever replied
	Overdue      int64
	OnTime       int64 // replied and never overdue
	Redispatched int64
	Escalated    int64
	NotSatisfied int64 // the citizen said "not satisfied" at least once
	Assessment   int64
}

// Add adds o's counts to u.
func (u *UnitSummary) Add(o UnitSummary) {
	u.Opened += o.Opened
	u.Closed += o.Closed
	u.Replied += o.Replied
	u.Overdue += o.Overdue
	u.OnTime += o.OnTime
	u.Redispatched += o.Redispatched
	u.Escalated += o.Escalated
	u.NotSatisfied += o.NotSatisfied
	u.Assessment += o.Assessment
}

// OrderSummary counts work orders created in [from, to) per unit they are
// with. Overdue flags are frozen on the orders, so a report once issued
// stays true.
func (s *Store) OrderSummary(ctx context.Context, from, to time.Time) ([]UnitSummary, error) {
	rows, err := s.query(ctx, `SELECT unit, COUNT(*),
			SUM(CASE WHEN state = 'closed' THEN 1 ELSE 0 END),
			SUM(CASE WHEN replied_at IS NOT NULL THEN 1 ELSE 0 END),
			SUM(CASE WHEN overdue THEN 1 ELSE 0 END),
			SUM(CASE WHEN replied_at IS NOT NULL AND NOT overdue THEN 1 ELSE 0 END),
			SUM(CASE WHEN round > 1 THEN 1 ELSE 0 END),
			SUM(CASE WHEN supervised_at IS NOT NULL THEN 1 ELSE 0 END),
			SUM(CASE WHEN not_satisfied > 0 THEN 1 ELSE 0 END),
			SUM(CASE WHEN assessment THEN 1 ELSE 0 END)
		FROM work_orders WHERE unit IS NOT NULL AND created_at >= ? AND created_at < ?
		GROUP BY unit ORDER BY unit`, millis(from), millis(to))
	if err != nil {
		return nil, fmt.Errorf("order summary: %w", err)
	}
	defer rows.Close()
	var out []UnitSummary
	for rows.Next() {
		var u UnitSummary
		if err := rows.Scan(&u.Unit, &u.Opened, &u.Closed, &u.Replied, &u.Overdue, &u.OnTime, &u.Redispatched,
			&u.Escalated, &u.NotSatisfied, &u.Assessment); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// Undispatched counts the orders created in [from, to) that still wait for
// an operator, and those of them created at or before lateBy (past the
// operator's own deadline). Orders of held reviews are not waiting: they
// are in the suspected queue.
func (s *Store) Undispatched(ctx context.Context, from, to, lateBy time.Time) (waiting, late int64, err error) {
	err = s.queryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN created_at <= ? THEN 1 ELSE 0 END), 0)
		FROM work_orders WHERE state = 'new' AND NOT suspected AND created_at >= ? AND created_at < ?`,
		millis(lateBy), millis(from), millis(to)).Scan(&waiting, &late)
	if err != nil {
		return 0, 0, fmt.Errorf("undispatched orders: %w", err)
	}
	return waiting, late, nil
}
