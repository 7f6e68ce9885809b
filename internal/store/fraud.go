package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/audit"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/fraud"
	"github.com/haocha/haocha/internal/review"
)

// The detectors read their counts from the reviews themselves, just before
// the review is stored, so that every process scores against the same
// history; no process keeps a window of its own that others cannot see.
// The read is outside the group's transaction: reviews stored by the
// groups in flight at the same moment are not counted, which shifts a
// burst's detection by at most a group (the burst's earlier reviews are
// then held with it, see HoldBurst).

// RecentActivity counts what came before r (at r.CreatedAt, or now) within
// each rule's window: the counts the detectors score r by.
func (s *Store) RecentActivity(ctx context.Context, r *review.Review, rules fraud.Rules) (fraud.Recent, error) {
	at := r.CreatedAt
	if at.IsZero() {
		at = s.Now()
	}
	var out fraud.Recent
	var sel []string
	var args []any
	var dest []any
	count := func(dst *int, sig fraud.Signal, cond string, vals ...any) {
		w := rules.Window(sig)
		if w <= 0 {
			return
		}
		sel = append(sel, "(SELECT COUNT(*) FROM reviews WHERE "+cond+" AND created_at > ? AND created_at < ?)")
		args = append(append(args, vals...), millis(at.Add(-w)), millis(at))
		dest = append(dest, dst)
	}
	if r.NetMark != "" {
		count(&out.Address, fraud.AddressVelocity, "net_mark = ?", r.NetMark)
	}
	if r.ClientMark != "" {
		count(&out.Device, fraud.DeviceVelocity, "client_mark = ?", r.ClientMark)
	}
	if r.Workstation != "" {
		count(&out.Workstation, fraud.WorkstationVelocity, "workstation = ?", r.Workstation)
		if r.Stars == 5 {
			count(&out.FiveStar, fraud.FiveStarBurst, "workstation = ? AND stars = 5", r.Workstation)
		}
	}
	count(&out.Unit, fraud.UnitVelocity, "unit = ?", r.Unit)
	if r.TextPrint != "" {
		count(&out.SameText, fraud.SameText, "text_print = ?", r.TextPrint)
	}
	if closed, since := rules.Hours.Closed(at.In(calendar.Zone)); closed && r.Hall != "" && r.Workstation != "" {
		if w := rules.Window(fraud.OffHours); w > 0 {
			since = maxTime(since, at.Add(-w))
			sel = append(sel, "(SELECT COUNT(*) FROM reviews WHERE hall = ? AND workstation IS NOT NULL AND created_at > ? AND created_at < ?)")
			args = append(args, r.Hall, millis(since), millis(at))
			dest = append(dest, &out.OffHours)
		}
	}
	staff := 0
	if w := rules.Window(fraud.StaffNetwork); w > 0 && r.NetMark != "" {
		sel = append(sel, `(SELECT COUNT(*) FROM staff_networks WHERE net_mark = ? AND seen_at > ?
			AND (unit = ? OR (staff <> '' AND staff = ?)))`)
		args = append(args, r.NetMark, millis(at.Add(-w)), r.Unit, r.Staff)
		dest = append(dest, &staff)
	}
	if len(sel) == 0 {
		return out, nil
	}
	if err := s.queryRow(ctx, "SELECT "+strings.Join(sel, ", "), args...).Scan(dest...); err != nil {
		return out, fmt.Errorf("recent activity: %w", err)
	}
	out.StaffNetwork = staff > 0
	return out, nil
}

// burstCond is the condition on reviews that selects the burst a finding
// on r saw, and its arguments; "" for a finding that names no burst.
func burstCond(r *review.Review, f fraud.Finding) (string, []any) {
	switch f.Signal {
	case fraud.AddressVelocity:
		return "net_mark = ?", []any{r.NetMark}
	case fraud.DeviceVelocity:
		return "client_mark = ?", []any{r.ClientMark}
	case fraud.WorkstationVelocity:
		return "workstation = ?", []any{r.Workstation}
	case fraud.UnitVelocity:
		return "unit = ?", []any{r.Unit}
	case fraud.SameText:
		return "text_print = ?", []any{r.TextPrint}
	case fraud.FiveStarBurst:
		return "workstation = ? AND stars = 5", []any{r.Workstation}
	case fraud.OffHours:
		return "hall = ? AND workstation IS NOT NULL", []any{r.Hall}
	}
	return "", nil
}

// HoldBurst holds, with reason, the reviews that came before r in the
// bursts v found (within each finding's window): a burst is caught on its
// Nth review, and its first ones must not count or reach the operator
// either. Reviews held already or excluded are left as they are. It
// returns how many it held.
func (s *Store) HoldBurst(ctx context.Context, r *review.Review, v fraud.Verdict, reason string) (int, error) {
	held := 0
	err := s.inTx(ctx, func(t tx) error {
		for _, f := range v.Findings {
			cond, args := burstCond(r, f)
			if cond == "" {
				continue
			}
			if f.Signal == fraud.OffHours {
				// Off-hours bursts are the window reviews since closing,
				// at most the rule's window back.
				_, since := fraud.DefaultRules.Hours.Closed(r.CreatedAt.In(calendar.Zone))
				cond, args = cond+" AND created_at > ?", append(args, millis(since))
			}
			ids, err := t.ids(ctx, "SELECT id FROM reviews WHERE "+cond+` AND created_at > ? AND created_at <= ?
				AND held IS NULL AND excluded IS NULL AND NOT EXISTS (SELECT 1 FROM held_decisions d WHERE d.review = reviews.id)`, append(args, millis(r.CreatedAt.Add(-f.Window)), millis(r.CreatedAt))...)
			if err != nil {
				return fmt.Errorf("hold burst: %w", err)
			}
			for _, id := range ids {
				if err := s.holdOut(ctx, t, id, "held", reason); err != nil {
					return err
				}
				held++
			}
		}
		return nil
	})
	return held, err
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
	if col == "held" {
		if _, err := t.exec(ctx, "UPDATE work_orders SET suspected = TRUE WHERE review = ? AND state = 'new'", id); err != nil {
			return fmt.Errorf("suspect work order of review %d: %w", id, err)
		}
	}
	if out {
		return nil
	}
	ru := newRollups()
	ru.add(r, -1)
	return t.run(ctx, ru.stmts())
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
}

// HeldReviews lists the held reviews awaiting a decision, oldest first,
// after the id after, at most limit.
func (s *Store) HeldReviews(ctx context.Context, after int64, limit int) ([]HeldReview, error) {
	rows, err := s.query(ctx, `SELECT r.id, r.created_at, r.channel, r.unit, COALESCE(r.workstation, ''), r.stars, r.comment,
			r.held, COALESCE(o.number, '')
		FROM reviews r LEFT JOIN work_orders o ON o.review = r.id
		WHERE r.held IS NOT NULL AND r.id > ? AND NOT EXISTS (SELECT 1 FROM held_decisions d WHERE d.review = r.id)
		ORDER BY r.id LIMIT ?`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("held reviews: %w", err)
	}
	defer rows.Close()
	var out []HeldReview
	for rows.Next() {
		var h HeldReview
		var at int64
		if err := rows.Scan(&h.ID, &at, &h.Channel, &h.Unit, &h.Workstation, &h.Stars, &h.Comment, &h.Reasons, &h.WorkOrder); err != nil {
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
	if decision == "reject" {
		_, err := t.exec(ctx, "UPDATE work_orders SET suspect_decision = ? WHERE review = ?", "rejected: "+reason, id)
		return err == nil, err
	}
	if _, err := t.exec(ctx, "UPDATE work_orders SET suspected = FALSE, suspect_decision = ? WHERE review = ?", "released: "+reason, id); err != nil {
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
	ru := newRollups()
	ru.add(r, 1)
	return true, t.run(ctx, ru.stmts())
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
	return nil
}
