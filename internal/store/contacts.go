package store

import (
	"context"
	"fmt"
	"time"

	"github.com/haocha/haocha/internal/audit"
	"github.com/haocha/haocha/internal/review"
)

// contactBatch is how many contacts one transaction re-seals.
const contactBatch = 500

// ResealContacts seals every reviewer contact not yet sealed with the
// current key, clear ones written before encryption included, a batch
// per transaction, and records it in the audit trail. It returns how many
// it sealed.
func (s *Store) ResealContacts(ctx context.Context, actor string) (int, error) {
	return s.ResealContactsCounted(ctx, actor, func(int) {})
}

// ResealContactsCounted is ResealContacts telling read how many contacts
// each batch read, of the Contacts there are, so that a command can show
// how far it has got.
func (s *Store) ResealContactsCounted(ctx context.Context, actor string, read func(n int)) (int, error) {
	return reseal(ctx, s, actor, "reseal_contacts", "reviewer contacts", "contacts_key", int64(-1),
		func(ctx context.Context, after int64) (int, int64, error) {
			n, seen, last, err := s.resealBatch(ctx, after)
			read(seen)
			return n, last, err
		})
}

// reseal runs batch from start until it reads nothing new, then writes how
// many values it sealed to the audit trail (action, naming what) and the
// current key to setting.
func reseal[K comparable](ctx context.Context, s *Store, actor, action, what, setting string, start K,
	batch func(context.Context, K) (int, K, error)) (int, error) {
	kid, total, after := s.Keys.Current().ID, 0, start
	for {
		n, last, err := batch(ctx, after)
		if err != nil {
			return total, err
		}
		total += n
		if last == after {
			break
		}
		after = last
	}
	return total, s.inTx(ctx, func(t tx) error {
		if total > 0 {
			if err := s.appendAudit(ctx, t, audit.Entry{At: s.Now(), Actor: actor, Action: action,
				Note: fmt.Sprintf("%d %s sealed with key %s", total, what, kid)}); err != nil {
				return err
			}
		}
		return setSetting(ctx, t, setting, kid)
	})
}

// Contacts is how many reviewer contacts are stored.
func (s *Store) Contacts(ctx context.Context) (int64, error) {
	var n int64
	if err := s.queryRow(ctx, "SELECT COUNT(*) FROM review_contacts").Scan(&n); err != nil {
		return 0, fmt.Errorf("count contacts: %w", err)
	}
	return n, nil
}

// resealBatch re-seals the contacts of up to contactBatch reviews after
// id after; seen is how many it read, last the last review read (after
// when none).
func (s *Store) resealBatch(ctx context.Context, after int64) (n, seen int, last int64, err error) {
	last = after
	err = s.inTx(ctx, func(t tx) error {
		rows, err := t.query(ctx, "SELECT review, name, phone FROM review_contacts WHERE review > ? ORDER BY review LIMIT ?", after, contactBatch)
		if err != nil {
			return fmt.Errorf("read contacts: %w", err)
		}
		type row struct {
			id int64
			c  review.Contact
		}
		var stale []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.id, &r.c.Name, &r.c.Phone); err != nil {
				rows.Close()
				return err
			}
			last, seen = r.id, seen+1
			if !s.Keys.IsCurrent(r.c) {
				stale = append(stale, r)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, r := range stale {
			plain, err := s.Keys.OpenContact(r.c)
			if err != nil {
				return fmt.Errorf("review %d: %w", r.id, err)
			}
			sealed, err := s.Keys.SealContact(plain)
			if err != nil {
				return err
			}
			if _, err := t.exec(ctx, "UPDATE review_contacts SET name = ?, phone = ? WHERE review = ?", sealed.Name, sealed.Phone, r.id); err != nil {
				return fmt.Errorf("reseal contact of review %d: %w", r.id, err)
			}
		}
		n = len(stale)
		return nil
	})
	return n, seen, last, err
}

// SealContactsOnce re-seals the contacts, and the applicants' phones of
// transactions, when the current key is not the one they were last sealed
// with: at start after an upgrade from clear values, or after a key was
// added to HAOCHA_KEY.
func (s *Store) SealContactsOnce(ctx context.Context) error {
	if err := s.sealPhonesOnce(ctx); err != nil {
		return err
	}
	kid, err := s.Setting(ctx, "contacts_key")
	if err != nil || kid == s.Keys.Current().ID {
		return err
	}
	_, err = s.ResealContacts(ctx, "system")
	return err
}

// EraseContacts deletes the contacts of reviews whose work order closed
// before cutoff, and of real-name reviews that opened no order given
// before it, recording how many in the audit trail. It returns how many.
func (s *Store) EraseContacts(ctx context.Context, cutoff time.Time) (int, error) {
	var n int64
	err := s.inTx(ctx, func(t tx) error {
		// The order's closing time is the last audit row that closed it.
		res, err := t.exec(ctx, `DELETE FROM review_contacts WHERE review IN (
			SELECT c.review FROM review_contacts c
			JOIN reviews r ON r.id = c.review
			LEFT JOIN work_orders w ON w.review = c.review
			WHERE (w.id IS NULL AND r.created_at < ?)
				OR (w.state = 'closed' AND (SELECT MAX(a.at) FROM audit_log a WHERE a.work_order = w.id AND a.to_state = 'closed') < ?))`,
			millis(cutoff), millis(cutoff))
		if err != nil {
			return fmt.Errorf("erase contacts: %w", err)
		}
		if n, err = res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		return s.appendAudit(ctx, t, audit.Entry{At: s.Now(), Actor: "system", Action: "erase_contacts",
			Note: fmt.Sprintf("%d reviewer contacts erased: retention ended for orders closed and reviews given before %s", n, cutoff.Format(time.DateOnly))})
	})
	return int(n), err
}
