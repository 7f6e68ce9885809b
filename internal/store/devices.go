package store

// Window rating devices: pairings, devices, invitations and each device's
// receipts (see internal/device).

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/device"
)

// CreatePairing stores a pairing code and its claim, both hashed, and
// forgets the pairings that expired unclaimed.
func (s *Store) CreatePairing(ctx context.Context, codeHash, claimHash string, at, expires time.Time) error {
	return s.inTx(ctx, func(t tx) error {
		if _, err := t.exec(ctx, "DELETE FROM device_pairings WHERE expires_at < ?", millis(at)); err != nil {
			return err
		}
		_, err := t.exec(ctx, "INSERT INTO device_pairings (code_hash, claim_hash, created_at, expires_at) VALUES (?, ?, ?, ?)",
			codeHash, claimHash, millis(at), millis(expires))
		return err
	})
}

// PairDevice pairs the live, unentered code to workstation.
func (s *Store) PairDevice(ctx context.Context, codeHash, workstation string, by int64, at time.Time) (*device.Device, error) {
	d := &device.Device{Workstation: workstation, PairedBy: by, PairedAt: at}
	err := s.inTx(ctx, func(t tx) error {
		var n int
		if err := t.queryRow(ctx, "SELECT COUNT(*) FROM device_pairings WHERE code_hash = ? AND device IS NULL AND expires_at >= ?",
			codeHash, millis(at)).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return apperr.NotFoundf("code", "no live pairing code")
		}
		if err := t.queryRow(ctx, "INSERT INTO devices (workstation, paired_by, paired_at) VALUES (?, ?, ?) RETURNING id",
			workstation, by, millis(at)).Scan(&d.ID); err != nil {
			return err
		}
		_, err := t.exec(ctx, "UPDATE device_pairings SET device = ? WHERE code_hash = ?", d.ID, codeHash)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("pair device: %w", err)
	}
	return d, nil
}

// ClaimDevice hands the paired device of claimHash its token, once.
func (s *Store) ClaimDevice(ctx context.Context, claimHash, tokenHash string, at time.Time) (*device.Device, error) {
	var d *device.Device
	err := s.inTx(ctx, func(t tx) error {
		var id sql.NullInt64
		var claimed bool
		var expires int64
		err := t.queryRow(ctx, "SELECT device, claimed, expires_at FROM device_pairings WHERE claim_hash = ?", claimHash).
			Scan(&id, &claimed, &expires)
		if errors.Is(err, sql.ErrNoRows) || err == nil && (claimed || !id.Valid && expires < millis(at)) {
			return apperr.NotFoundf("claim", "this pairing is unknown, expired or done: ask for a new code")
		}
		if err != nil || !id.Valid {
			return err // waiting for the code to be entered
		}
		if _, err := t.exec(ctx, "UPDATE device_pairings SET claimed = TRUE WHERE claim_hash = ?", claimHash); err != nil {
			return err
		}
		if _, err := t.exec(ctx, "UPDATE devices SET token_hash = ?, last_seen = ? WHERE id = ? AND revoked_at IS NULL",
			tokenHash, millis(at), id.Int64); err != nil {
			return err
		}
		d, err = deviceWhere(ctx, t.queryRow, "d.id = ?", id.Int64)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("claim device: %w", err)
	}
	return d, nil
}

const deviceSelect = `SELECT d.id, d.workstation, d.paired_by, d.paired_at, COALESCE(d.last_seen, 0), COALESCE(d.revoked_at, 0)
	FROM devices d`

func deviceWhere[R interface{ Scan(...any) error }](ctx context.Context, q func(context.Context, string, ...any) R, where string, args ...any) (*device.Device, error) {
	return scanDevice(q(ctx, deviceSelect+" WHERE "+where, args...))
}

func scanDevice(r interface{ Scan(...any) error }) (*device.Device, error) {
	var d device.Device
	var paired, seen, revoked int64
	if err := r.Scan(&d.ID, &d.Workstation, &d.PairedBy, &paired, &seen, &revoked); err != nil {
		return nil, err
	}
	d.PairedAt, d.LastSeen, d.Revoked = fromMillis(paired), fromMillisOrZero(seen), fromMillisOrZero(revoked)
	return &d, nil
}

// seenEvery bounds how often a device's last-seen time is written: a
// device calls in every few seconds.
const seenEvery = time.Minute

// DeviceByToken finds the paired device holding the token tokenHash
// hashes, and notes when it was seen.
func (s *Store) DeviceByToken(ctx context.Context, tokenHash string, at time.Time) (*device.Device, error) {
	d, err := deviceWhere(ctx, s.queryRow, "d.token_hash = ? AND d.revoked_at IS NULL", tokenHash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.NotFoundf("token", "no paired device holds this token")
	}
	if err != nil {
		return nil, fmt.Errorf("device by token: %w", err)
	}
	if at.Sub(d.LastSeen) >= seenEvery {
		if _, err := s.w.ExecContext(ctx, s.rebind("UPDATE devices SET last_seen = ? WHERE id = ?"), millis(at), d.ID); err != nil {
			return nil, classify(fmt.Errorf("device seen: %w", err))
		}
		d.LastSeen = at
	}
	return d, nil
}

// Devices lists the devices paired in hall (all when empty), paired and
// unpaired, newest first; one that has not yet taken its token was never
// seen.
func (s *Store) Devices(ctx context.Context, hall string) ([]device.Device, error) {
	rows, err := s.query(ctx, deviceSelect+` JOIN workstations ws ON ws.code = d.workstation
		JOIN windows w ON w.code = ws.window_code
		WHERE (? = '' OR w.hall = ?) ORDER BY d.id DESC`, hall, hall)
	if err != nil {
		return nil, fmt.Errorf("list devices: %w", err)
	}
	defer rows.Close()
	var out []device.Device
	for rows.Next() {
		d, err := scanDevice(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *d)
	}
	return out, rows.Err()
}

// RevokeDevice unpairs device id; unpairing twice keeps the first time.
func (s *Store) RevokeDevice(ctx context.Context, id int64, at time.Time) (*device.Device, error) {
	if _, err := s.w.ExecContext(ctx, s.rebind("UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL"), millis(at), id); err != nil {
		return nil, classify(fmt.Errorf("unpair device: %w", err))
	}
	d, err := deviceWhere(ctx, s.queryRow, "d.id = ?", id)
	return d, notFound(err, "device", "no device %d", id)
}

// promptSQL finds the unrated transactions, rating window open, among
// those reported for a workstation and those a staff member invited a
// rating of there, each at its latest report or invitation.
const promptSQL = `SELECT txn, MAX(at) FROM (
		SELECT number AS txn, reported_at AS at FROM transactions
			WHERE workstation = ? AND reported_at >= ? AND outcome IS NULL AND rating_closes_at > ?
		UNION ALL
		SELECT i.txn, i.created_at FROM device_invites i JOIN transactions t ON t.number = i.txn
			WHERE i.workstation = ? AND i.created_at >= ? AND t.outcome IS NULL AND t.rating_closes_at > ?
	) p WHERE NOT EXISTS (SELECT 1 FROM review_transactions r WHERE r.txn = p.txn)
	GROUP BY txn ORDER BY MAX(at) DESC, txn LIMIT ?`

// DevicePrompts are what the device at workstation should offer.
func (s *Store) DevicePrompts(ctx context.Context, workstation string, now, since time.Time, limit int) ([]device.Prompt, error) {
	rows, err := s.query(ctx, promptSQL, workstation, millis(since), millis(now), workstation, millis(since), millis(now), limit)
	if err != nil {
		return nil, fmt.Errorf("device prompts: %w", err)
	}
	defer rows.Close()
	var out []device.Prompt
	for rows.Next() {
		var p device.Prompt
		var at int64
		if err := rows.Scan(&p.Transaction, &at); err != nil {
			return nil, err
		}
		p.At = fromMillis(at)
		out = append(out, p)
	}
	return out, rows.Err()
}

// StaffOnDuty is who serves at workstation: the staff member of its
// newest transaction, else the one the catalogue assigns; nil when none.
func (s *Store) StaffOnDuty(ctx context.Context, workstation string) (*catalog.Staff, error) {
	var st catalog.Staff
	err := s.queryRow(ctx, `SELECT code, name, unit FROM staff WHERE code = COALESCE(
		(SELECT staff FROM transactions WHERE workstation = ? AND staff IS NOT NULL ORDER BY reported_at DESC LIMIT 1),
		(SELECT staff FROM workstations WHERE code = ?))`, workstation, workstation).Scan(&st.Code, &st.Name, &st.Unit)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("staff on duty: %w", err)
	}
	return &st, nil
}

// StaffPrompt is the newest unrated transaction staff served at a
// workstation, and the workstation.
func (s *Store) StaffPrompt(ctx context.Context, staff string, now time.Time) (*device.Prompt, string, error) {
	var p device.Prompt
	var ws string
	var at int64
	err := s.queryRow(ctx, `SELECT number, workstation, reported_at FROM transactions t
		WHERE staff = ? AND workstation IS NOT NULL AND outcome IS NULL AND rating_closes_at > ?
		AND NOT EXISTS (SELECT 1 FROM review_transactions r WHERE r.txn = t.number)
		ORDER BY reported_at DESC LIMIT 1`, staff, millis(now)).Scan(&p.Transaction, &ws, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", fmt.Errorf("staff prompt: %w", err)
	}
	p.At = fromMillis(at)
	return &p, ws, nil
}

// AddInvite records a staff member's invitation to rate txn.
func (s *Store) AddInvite(ctx context.Context, workstation, txn string, at time.Time) error {
	_, err := s.w.ExecContext(ctx, s.rebind("INSERT INTO device_invites (workstation, txn, created_at) VALUES (?, ?, ?)"),
		workstation, txn, millis(at))
	return classify(err)
}

// DeviceReceipt is the receipt of the rating device sent as clientID.
func (s *Store) DeviceReceipt(ctx context.Context, dev int64, clientID string) (*device.Receipt, error) {
	var rc device.Receipt
	var wo sql.NullString
	var held int
	// Held as the review is now: a supervisor may have decided since.
	err := s.queryRow(ctx, `SELECT d.review, d.work_order,
		COALESCE((SELECT CASE WHEN r.held IS NULL THEN 0 ELSE 1 END FROM reviews r WHERE r.id = d.review), 0)
		FROM device_reviews d WHERE d.device = ? AND d.client_id = ?`, dev, clientID).Scan(&rc.Review, &wo, &held)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("device receipt: %w", err)
	}
	rc.WorkOrder, rc.Held = wo.String, held == 1
	return &rc, nil
}

// SaveDeviceReceipt keeps the first receipt of (device, clientID): the
// primary key decides between two sends at once.
func (s *Store) SaveDeviceReceipt(ctx context.Context, dev int64, clientID string, rc device.Receipt, at time.Time) (device.Receipt, error) {
	_, err := s.w.ExecContext(ctx, s.rebind(`INSERT INTO device_reviews (device, client_id, review, work_order, created_at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (device, client_id) DO NOTHING`), dev, clientID, rc.Review, nullable(rc.WorkOrder), millis(at))
	if err != nil {
		return device.Receipt{}, classify(fmt.Errorf("save device receipt: %w", err))
	}
	first, err := s.DeviceReceipt(ctx, dev, clientID)
	if err != nil || first == nil {
		return rc, err
	}
	return *first, nil
}
