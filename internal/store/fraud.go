package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/audit"
	"github.com/haocha/haocha/internal/fraud"
	"github.com/haocha/haocha/internal/review"
)

// The detectors' counts come from the windows this process keeps in
// memory (fraudwindows.go), which follow what other processes store a
// second late at most; a burst caught late by that second, or by reviews
// of groups in flight, is held with its earlier reviews all the same
// (burstStmts), in the transaction that stores the review that ended it.

// RecentActivity counts what came before r (at r.CreatedAt, or now) within
// each rule's window: the counts the detectors score r by.
func (s *Store) RecentActivity(ctx context.Context, r *review.Review, rules fraud.Rules) (fraud.Recent, error) {
	w, err := s.screenWindows(ctx)
	if err != nil {
		return fraud.Recent{}, err
	}
	at := r.CreatedAt
	if at.IsZero() {
		at = s.Now()
	}
	to := millis(at)
	w.mu.Lock()
	defer w.mu.Unlock()
	var out fraud.Recent
	a := arrivalOf(r)
	count := func(dst *int, sig fraud.Signal) {
		rule, ok := rules.Rule(sig)
		k, watched := burstWindow(string(sig))
		if !ok || !watched || rule.Window <= 0 {
			return
		}
		// Twice the threshold, so that a reason tells how far past it a
		// burst went; a relative rule's is the member's, so its rings keep
		// what they may (maxRingCap: a unit or hall is a catalogue code,
		// never a client's choice, so their keys are few).
		need := 2 * rule.At
		if rule.Relative {
			need = maxRingCap
		}
		w.tables[k].need(need)
		*dst = w.count(k, a.key(k), to-rule.Window.Milliseconds(), to)
	}
	count(&out.Address, fraud.AddressVelocity)
	count(&out.Device, fraud.DeviceVelocity)
	count(&out.Workstation, fraud.WorkstationVelocity)
	count(&out.FiveStar, fraud.FiveStarBurst)
	count(&out.Unit, fraud.UnitVelocity)
	count(&out.SameText, fraud.SameText)
	count(&out.Hall, fraud.HallVelocity)
	count(&out.UnverifiedUnit, fraud.UnverifiedUnit)
	count(&out.UnverifiedDistrict, fraud.UnverifiedDistrict)
	b := &w.base
	kind := b.kindAt(at)
	out.UnitUsual = b.usualAt("unit:"+r.Unit, r.Hall, kind)
	out.UnverifiedUnitUsual = b.usualAt(unverifiedUnit+r.Unit, r.Hall, kind)
	out.UnverifiedDistrictUsual = b.usualAt(unverifiedDistrict+r.District, r.Hall, kind)
	if r.Hall != "" {
		out.HallUsual = b.usualAt("hall:"+r.Hall, r.Hall, kind)
	}
	if r.Hall != "" && r.Workstation != "" {
		var since time.Time
		if out.Closed, since = b.opening.Closed(r.Hall, at); out.Closed {
			if rule, ok := rules.Rule(fraud.OffHours); ok && rule.Window > 0 {
				w.tables[byHall].need(2 * rule.At)
				from := millis(maxTime(since, at.Add(-rule.Window)))
				out.OffHours = w.count(byHall, r.Hall, from, to)
			}
		}
	}
	if win := rules.Window(fraud.StaffNetwork); win > 0 && r.NetMark != "" {
		for _, v := range w.staff[r.NetMark] {
			if v.at > to-win.Milliseconds() && (v.unit == r.Unit || (v.staff != "" && v.staff == r.Staff)) {
				out.StaffNetwork = true
			}
		}
	}
	return out, nil
}

// burstWindow is the window kind that counts a detector's bursts; false
// for a detector that counts none (the staff network).
func burstWindow(sig string) (windowKind, bool) {
	switch fraud.Signal(sig) {
	case fraud.AddressVelocity:
		return byNetwork, true
	case fraud.DeviceVelocity:
		return byDevice, true
	case fraud.WorkstationVelocity:
		return byWorkstation, true
	case fraud.FiveStarBurst:
		return byFiveStar, true
	case fraud.UnitVelocity:
		return byUnit, true
	case fraud.SameText:
		return byText, true
	case fraud.OffHours, fraud.HallVelocity:
		return byHall, true
	case fraud.UnverifiedUnit:
		return byUnverifiedUnit, true
	case fraud.UnverifiedDistrict:
		return byUnverifiedDistrict, true
	}
	return 0, false
}

// OverLimit refuses r when the windows in memory count its device or its
// network past lim already: a flood is refused without a database round.
// What it lets through is counted again where it is stored (admit), which
// alone is exact across processes. It needs r's marks; r.CreatedAt, or
// now, is its time.
func (s *Store) OverLimit(ctx context.Context, r *review.Review, lim review.RateLimit) error {
	if lim.Max <= 0 && lim.AddressMax <= 0 {
		return nil
	}
	w, err := s.screenWindows(ctx)
	if err != nil {
		return nil // the store counts anyway
	}
	at := r.CreatedAt
	if at.IsZero() {
		at = s.Now()
	}
	const never = int64(1) << 62
	w.mu.Lock()
	defer w.mu.Unlock()
	if lim.Max > 0 && r.ClientMark != "" {
		w.tables[byDevice].need(lim.Max)
		if err := lim.Allow(w.count(byDevice, r.ClientMark, millis(at.Add(-lim.Window)), never)); err != nil {
			return err
		}
	}
	if lim.AddressMax > 0 && r.NetMark != "" {
		w.tables[byNetwork].need(lim.AddressMax)
		return lim.AllowAddress(w.count(byNetwork, r.NetMark, millis(at.Add(-lim.AddressWindow)), never))
	}
	return nil
}

// burstCond is the condition on reviews that selects the burst a finding
// on r saw, and its arguments; "" for a finding that names no burst.
func burstCond(r *review.Review, sig fraud.Signal) (string, []any) {
	switch sig {
	case fraud.AddressVelocity:
		return "net_mark = ?", []any{r.NetMark}
	case fraud.DeviceVelocity:
		return "client_mark = ?", []any{r.ClientMark}
	case fraud.WorkstationVelocity:
		return "workstation = ?", []any{r.Workstation}
	case fraud.UnitVelocity:
		return "unit = ?", []any{r.Unit}
	case fraud.SameText:
		// Said outright, so that the partial index reviews_text_print
		// serves: SQLite cannot tell that a parameter is not ''.
		return "text_print = ? AND text_print <> ''", []any{r.TextPrint}
	case fraud.FiveStarBurst:
		return "workstation = ? AND stars = 5", []any{r.Workstation}
	case fraud.OffHours, fraud.HallVelocity:
		return "hall = ? AND workstation IS NOT NULL", []any{r.Hall}
	case fraud.UnverifiedUnit:
		return "unit = ? AND verification = 'unverified'", []any{r.Unit}
	case fraud.UnverifiedDistrict:
		return "district = ? AND verification = 'unverified'", []any{r.District}
	}
	return "", nil
}

// burstFrom is when the burst of b through sig began at the earliest: the
// window before b, and for off hours not before its hall closed. The
// caller holds w.
func burstFrom(w *windows, b *review.Review, bu review.Burst) time.Time {
	from := b.CreatedAt.Add(-bu.Window)
	if fraud.Signal(bu.Signal) == fraud.OffHours {
		_, since := w.base.opening.Closed(b.Hall, b.CreatedAt)
		from = maxTime(from, since)
	}
	return from
}

// heldNowColumns are rollupReviewColumns as an UPDATE that has just held
// the row returns them: out of the rollups already when excluded or
// superseded.
var heldNowColumns = strings.ReplaceAll(strings.Replace(rollupReviewColumns, "r.held IS NOT NULL OR ", "", 1), "r.", "")

// burstHold is what holds the earlier reviews of the bursts that a held
// review b ends: the reviews the windows name by id, and for a burst
// they may not know whole, its condition on reviews (burstCond).
type burstHold struct {
	b     *review.Review
	spans []burstSpan
	ids   map[int64]bool
}

// burstSpan is one burst of a burstHold: its window kind and key, the
// span held, and whether its condition holds it (cond), the windows not
// knowing it whole.
type burstSpan struct {
	k    windowKind
	key  string
	sp   span
	bu   review.Burst
	cond bool
}

// burstHolds decides how the held reviews of rs, about to be stored
// together, hold the earlier reviews of the bursts they end. Earlier
// reviews of such a burst within rs are held here, before they are
// stored; those stored before, by burstStmts: by id, those the windows
// count and that are not held yet (none, and no statement, when the
// burst's key has had no review left open since its last hold); by the
// burst's condition, a burst whose earlier reviews the windows may not
// know whole (its key evicted and counted again, or more open reviews
// than a ring keeps: ring.known), which on the marks (device, network)
// reads the burst's window through reviews_created, the marks having no
// index since migration 0210. A review the windows count only after the
// statement is made (another process's, or a group's in flight) is held
// late (windows.late).
func (s *Store) burstHolds(rs []*review.Review) []burstHold {
	var out []burstHold
	w := &s.windows
	w.mu.Lock()
	defer w.mu.Unlock()
	for i, b := range rs {
		if b.Held == "" || len(b.Bursts) == 0 {
			continue
		}
		reason := fraud.BurstPrefix + b.Held
		a := arrivalOf(b)
		h := burstHold{b: b, ids: map[int64]bool{}}
		for _, bu := range b.Bursts {
			k, ok := burstWindow(bu.Signal)
			key := a.key(k)
			if !ok || key == "" {
				continue
			}
			sp := span{from: millis(burstFrom(w, b, bu)), to: a.at, reason: reason}
			for _, e := range rs[:i] {
				if e.Held == "" && arrivalOf(e).key(k) == key && millis(e.CreatedAt) > sp.from && millis(e.CreatedAt) <= sp.to {
					e.Held = reason
				}
			}
			ids, whole := w.tables[k].open(key, sp.from, sp.to)
			for _, id := range ids {
				h.ids[id] = true
			}
			cond := !w.loaded || !whole
			if cond {
				s.groups.byCond.Add(1)
			}
			h.spans = append(h.spans, burstSpan{k: k, key: key, sp: sp, bu: bu, cond: cond})
		}
		if len(h.spans) > 0 {
			out = append(out, h)
		}
	}
	return out
}

// open is the ids of the open arrivals of key after from and up to to
// (ms), and whether the table knows them all: a key it has no ring for
// has none, unless it was evicted (see table.ring).
func (t *table) open(key string, from, to int64) ([]int64, bool) {
	if r := t.rings[key]; r != nil {
		return r.open(from, to)
	}
	return nil, t.dropped <= from || (t.evicted != nil && t.evicted.count(key, 0) == 0)
}

// orderDays are the due days the orders of h's reviews may have: only a
// burst begun before yesterday may reach a day built (orderrollups.go).
func (h burstHold) orderDays() []int {
	var days []int
	for _, bs := range h.spans {
		days = append(days, orderSpanDays(time.UnixMilli(bs.sp.from))...)
	}
	return days
}

// burstStmts are the statements that hold, with h.b's reason, the reviews
// stored before h.b in the bursts it ends, one statement for them all: a
// burst is caught on its Nth review, and its first ones must not count or
// reach the operator either. Reviews held already, excluded or decided by
// a supervisor are left as they are. Each review held is given to each,
// to be taken out of the rollups and its work order out of the
// operator's queue.
func burstStmts(h burstHold, each func(r *review.Review, out bool)) []stmt {
	var conds []string
	var args []any
	if len(h.ids) > 0 {
		ids := make([]any, 0, len(h.ids))
		for id := range h.ids {
			ids = append(ids, id)
		}
		ids = padded(ids)
		// By id alone: with the burst's time besides, PostgreSQL's planner
		// may read the window through reviews_created instead of a key
		// lookup in each partition.
		conds = append(conds, "id IN ("+placeholders(len(ids))+")")
		args = append(args, ids...)
	}
	for _, bs := range h.spans {
		if !bs.cond {
			continue
		}
		cond, vals := burstCond(h.b, fraud.Signal(bs.bu.Signal))
		conds = append(conds, "("+cond+" AND created_at > ? AND created_at <= ?)")
		args = append(append(args, vals...), bs.sp.from, bs.sp.to)
	}
	if len(conds) == 0 {
		return nil
	}
	return []stmt{holdStmt(fraud.BurstPrefix+h.b.Held, strings.Join(conds, " OR "), args, each)}
}

// holdStmt is the statement that holds, with reason, the reviews where
// cond (with args) that are not held, excluded or decided yet, giving
// each to each.
func holdStmt(reason, cond string, args []any, each func(r *review.Review, out bool)) stmt {
	return stmt{q: "UPDATE reviews SET held = ? WHERE (" + cond + `)
			AND held IS NULL AND excluded IS NULL AND NOT EXISTS (SELECT 1 FROM held_decisions d WHERE d.review = reviews.id)
			RETURNING ` + heldNowColumns, args: append([]any{reason}, args...),
		row: func(scan func(...any) error) error {
			r, out, err := scanRollupReview(scan)
			if err == nil {
				each(r, out)
			}
			return err
		}}
}

// lateStmts are the statements that hold the reviews of late, by id,
// each with its reason (windows.late): one a reason.
func lateStmts(late map[int64]string, each func(r *review.Review, out bool)) []stmt {
	byReason := map[string][]any{}
	var reasons []string
	for id, reason := range late {
		if byReason[reason] == nil {
			reasons = append(reasons, reason)
		}
		byReason[reason] = append(byReason[reason], id)
	}
	sort.Strings(reasons)
	var out []stmt
	for _, reason := range reasons {
		ids := byReason[reason]
		for len(ids) > 0 {
			part := padded(ids[:min(len(ids), groupRows)])
			ids = ids[min(len(ids), groupRows):]
			out = append(out, holdStmt(reason, "id IN ("+placeholders(len(part))+")", part, each))
		}
	}
	return out
}

// suspectStmts mark the new work orders of reviews ids suspected: out of
// the operator's queue until a supervisor decides.
func suspectStmts(ids []any) []stmt {
	var out []stmt
	for len(ids) > 0 {
		n := min(len(ids), groupRows)
		part := padded(ids[:n])
		ids = ids[n:]
		out = append(out, stmt{q: "UPDATE work_orders SET suspected = TRUE WHERE state = 'new' AND review IN (" + placeholders(len(part)) + ")", args: part})
	}
	return out
}

// ids is the ids a query of one id column returns.
func (t tx) ids(ctx context.Context, q string, args ...any) ([]int64, error) {
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// holdOut sets col (excluded or held) of review id to reason when it is
// not set, taking the review out of the rollups when it counted until now,
// and, for a hold, its work order out of the operator's queue while it is
// new.
func (s *Store) holdOut(ctx context.Context, t tx, id int64, col, reason string) error {
	if strings.TrimSpace(reason) == "" {
		return apperr.Invalidf("reason", "required")
	}
	r, out, err := s.rollupReview(ctx, t, id, col)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	} else if err != nil {
		return fmt.Errorf("hold out review %d: %w", id, err)
	}
	if _, err := t.exec(ctx, "UPDATE reviews SET "+col+" = ? WHERE id = ?", reason, id); err != nil {
		return fmt.Errorf("hold out review %d: %w", id, err)
	}
	if err := s.markReviewOrder(ctx, t, id); err != nil {
		return err
	}
	if col == "held" {
		if _, err := t.exec(ctx, "UPDATE work_orders SET suspected = TRUE WHERE review = ? AND state = 'new'", id); err != nil {
			return fmt.Errorf("suspect work order of review %d: %w", id, err)
		}
	}
	if out {
		return nil
	}
	ru := s.newRollups()
	ru.add(r, -1)
	return t.addRollups(ctx, ru)
}

// rollupReview reads what the rollups hold of review id, when col of it
// is not set; out tells whether it is out of the rollups already (held,
// excluded or superseded by a later review). sql.ErrNoRows when col is set or there is no such review.
func (s *Store) rollupReview(ctx context.Context, t tx, id int64, col string) (*review.Review, bool, error) {
	// Every column a rollup axis reads, so that each axis takes it out.
	row := t.queryRow(ctx, "SELECT "+rollupReviewColumns+" FROM reviews r WHERE r.id = ? AND r."+col+" IS NULL", id)
	return scanRollupReview(row.Scan)
}

// HeldReview is a review in the supervisor's suspected queue.
type HeldReview struct {
	ID          int64
	At          time.Time
	Channel     string
	Unit        string
	Workstation string
	Stars       int
	Comment     string
	Reasons     string
	WorkOrder   string // its work order's number; "" when none
	Anonymous   bool
}

// heldReviewsQuery reads the supervisor's queue through the partial index
// reviews_held: the few held rows, not every review after the id.
const heldReviewsQuery = `SELECT r.id, r.created_at, r.channel, r.unit, COALESCE(r.workstation, ''), r.stars, r.comment,
			r.held, COALESCE(o.number, ''), r.anonymous
		FROM reviews r LEFT JOIN work_orders o ON o.review = r.id
		WHERE r.held IS NOT NULL AND r.id > ? AND NOT EXISTS (SELECT 1 FROM held_decisions d WHERE d.review = r.id)
		ORDER BY r.id LIMIT ?`

// HeldReviews lists the held reviews awaiting a decision, oldest first,
// after the id after, at most limit.
func (s *Store) HeldReviews(ctx context.Context, after int64, limit int) ([]HeldReview, error) {
	rows, err := s.query(ctx, heldReviewsQuery, after, limit)
	if err != nil {
		return nil, fmt.Errorf("held reviews: %w", err)
	}
	defer rows.Close()
	var out []HeldReview
	for rows.Next() {
		var h HeldReview
		var at int64
		if err := rows.Scan(&h.ID, &at, &h.Channel, &h.Unit, &h.Workstation, &h.Stars, &h.Comment, &h.Reasons, &h.WorkOrder, &h.Anonymous); err != nil {
			return nil, fmt.Errorf("held reviews: %w", err)
		}
		h.At = fromMillis(at)
		out = append(out, h)
	}
	return out, rows.Err()
}

// ReleaseHeld puts the held reviews ids back into the index and their
// work orders back into the operator's queue; RejectHeld keeps them held
// for good. Each decision is audited with actor and reason; a review not
// awaiting a decision is skipped. They return how many they decided.
func (s *Store) ReleaseHeld(ctx context.Context, ids []int64, actor, reason string) (int, error) {
	return s.decideHeld(ctx, ids, actor, "release", reason)
}

// RejectHeld: see ReleaseHeld.
func (s *Store) RejectHeld(ctx context.Context, ids []int64, actor, reason string) (int, error) {
	return s.decideHeld(ctx, ids, actor, "reject", reason)
}

func (s *Store) decideHeld(ctx context.Context, ids []int64, actor, decision, reason string) (int, error) {
	if strings.TrimSpace(reason) == "" {
		return 0, apperr.Invalidf("reason", "required")
	}
	if len(ids) == 0 {
		return 0, apperr.Invalidf("reviews", "name at least one review")
	}
	now := s.Now()
	n := 0
	err := s.inTx(ctx, func(t tx) error {
		for _, id := range ids {
			ok, err := s.decideOne(ctx, t, id, decision, reason, now)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			n++
			if err := s.appendAudit(ctx, t, audit.Entry{At: now, Actor: actor, Action: "held." + decision,
				WorkOrder: t.orderOf(ctx, id), Note: fmt.Sprintf("review %d: %s", id, reason)}); err != nil {
				return err
			}
		}
		return nil
	})
	return n, err
}

// orderOf is the id of review id's work order, 0 when none.
func (t tx) orderOf(ctx context.Context, id int64) int64 {
	var o int64
	if err := t.queryRow(ctx, "SELECT id FROM work_orders WHERE review = ?", id).Scan(&o); err != nil {
		return 0
	}
	return o
}

func (s *Store) decideOne(ctx context.Context, t tx, id int64, decision, reason string, now time.Time) (bool, error) {
	var held sql.NullString
	var excluded bool
	err := t.queryRow(ctx, `SELECT held, excluded IS NOT NULL FROM reviews WHERE id = ?
		AND NOT EXISTS (SELECT 1 FROM held_decisions WHERE review = ?)`, id, id).Scan(&held, &excluded)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !held.Valid) {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("decide held review %d: %w", id, err)
	}
	if _, err := t.exec(ctx, "INSERT INTO held_decisions (review, decision, reason, decided_at) VALUES (?, ?, ?, ?)",
		id, decision, reason, millis(now)); err != nil {
		return false, fmt.Errorf("decide held review %d: %w", id, err)
	}
	if err := s.markReviewOrder(ctx, t, id); err != nil {
		return false, err
	}
	if decision == "reject" {
		// Its order is closed with it, unanswered; the text that waited
		// for it is given up unsent.
		if _, err := t.exec(ctx, `UPDATE work_orders SET suspect_decision = ?,
				state = CASE WHEN state = 'new' THEN 'closed' ELSE state END,
				closed_at = CASE WHEN state = 'new' THEN ? ELSE closed_at END,
				updated_at = ?, version = version + 1 WHERE review = ?`,
			"rejected: "+reason, millis(now), millis(now), id); err != nil {
			return false, err
		}
		_, err := t.exec(ctx, `UPDATE sms_outbox SET phone = '', text = '', next_at = ?, refused = 'held_rejected'
			WHERE held_review = ? AND sent_at IS NULL AND refused = ''`, never, id)
		return err == nil, err
	}
	if _, err := t.exec(ctx, "UPDATE work_orders SET suspected = FALSE, suspect_decision = ?, updated_at = ?, version = version + 1 WHERE review = ?",
		"released: "+reason, millis(now), id); err != nil {
		return false, err
	}
	// The texts due for it go out now, once: the outbox's next round.
	if _, err := t.exec(ctx, "UPDATE sms_outbox SET next_at = ? WHERE held_review = ? AND sent_at IS NULL AND refused = ''",
		millis(now), id); err != nil {
		return false, err
	}
	r, _, err := s.rollupReview(ctx, t, id, "excluded")
	if errors.Is(err, sql.ErrNoRows) {
		// Excluded as well (an upheld appeal): it stays out of the rollups.
		_, err = t.exec(ctx, "UPDATE reviews SET held = NULL WHERE id = ?", id)
		return err == nil, err
	} else if err != nil {
		return false, err
	}
	if _, err := t.exec(ctx, "UPDATE reviews SET held = NULL WHERE id = ?", id); err != nil {
		return false, err
	}
	// A later review released replaces its first review in the index; a
	// first superseded meanwhile stays out.
	if err := s.supersedeFirst(ctx, t, id); err != nil {
		return false, err
	}
	var superseded bool
	if err := t.queryRow(ctx, "SELECT superseded IS NOT NULL FROM reviews WHERE id = ?", id).Scan(&superseded); err != nil || superseded {
		return err == nil, err
	}
	ru := s.newRollups()
	ru.add(r, 1)
	return true, t.addRollups(ctx, ru)
}

// RecordStaffNetwork notes that account userID (staff member staff, of
// unit; a staff member's unit is looked up when unit is "") signed in
// from the network netMark at at.
func (s *Store) RecordStaffNetwork(ctx context.Context, netMark string, userID int64, staff, unit string, at time.Time) error {
	err := s.inTx(ctx, func(t tx) error {
		_, err := t.exec(ctx, `INSERT INTO staff_networks (net_mark, user_id, staff, unit, seen_at)
		VALUES (?, ?, ?, COALESCE(NULLIF(?, ''), (SELECT unit FROM staff WHERE code = ?), ''), ?)
		ON CONFLICT (net_mark, user_id) DO UPDATE SET staff = excluded.staff, unit = excluded.unit, seen_at = excluded.seen_at`,
			netMark, userID, staff, unit, staff, millis(at))
		return err
	})
	if err != nil {
		return fmt.Errorf("record staff network: %w", err)
	}
	// The windows see this process's sign-ins at once, others' within
	// staffEvery.
	w := &s.windows
	w.mu.Lock()
	loaded := w.loaded
	w.mu.Unlock()
	if loaded {
		return s.readStaffNetworks(ctx, w)
	}
	return nil
}
