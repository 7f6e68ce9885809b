package store

// The applicant's phone of a transaction is personal data: it is kept in
// its own table, sealed with the master key like a reviewer's contact
// (the key id travels in each value), re-sealed on rotation, erased with
// the retention of contacts, and read back only for the invitation.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/haocha/haocha/internal/audit"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/keys"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/sms"
	"github.com/haocha/haocha/internal/transaction"
)

// phoneField binds a sealed transaction phone to its use, so that a value
// cannot be moved between columns of other meaning.
const phoneField = "transaction_phone"

// savePhones keeps the phones of ts, sealed, and marks the transactions
// for their invitation, a statement each for the whole slice.
func (s *Store) savePhones(ctx context.Context, t tx, ts []*transaction.Transaction) error {
	if len(ts) == 0 {
		return nil
	}
	key, err := s.Secret(ctx, phoneHashSecret)
	if err != nil {
		return err
	}
	phones := make([]any, 0, 3*len(ts))
	numbers := make([]any, 0, len(ts))
	for _, tr := range ts {
		sealed, err := s.Keys.Seal(phoneField, tr.Phone)
		if err != nil {
			return fmt.Errorf("seal phone of transaction %s: %w", tr.Number, err)
		}
		hash := sms.PhoneHash(key, review.NormalizePhone(tr.Phone))
		phones, numbers = append(phones, tr.Number, sealed, hash), append(numbers, tr.Number)
	}
	if _, err := t.exec(ctx, "INSERT INTO transaction_phones (txn, phone, phone_hash) VALUES "+valueRows(len(ts), 3)+
		" ON CONFLICT (txn) DO NOTHING", phones...); err != nil {
		return fmt.Errorf("save phones: %w", err)
	}
	// The phone is what an invitation needs: the scheduler takes it from here.
	if _, err := t.exec(ctx, "INSERT INTO invitations_pending (txn) VALUES "+valueRows(len(ts), 1)+
		" ON CONFLICT (txn) DO NOTHING", numbers...); err != nil {
		return fmt.Errorf("mark invitations: %w", err)
	}
	return nil
}

// TransactionPhone is the applicant's phone of transaction number, for
// the rating invitation; "" when none was reported or it was erased.
func (s *Store) TransactionPhone(ctx context.Context, number string) (string, error) {
	var phone string
	err := s.queryRow(ctx, "SELECT phone FROM transaction_phones WHERE txn = ?", number).Scan(&phone)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("phone of transaction %s: %w", number, err)
	}
	plain, err := s.Keys.Open(phoneField, phone)
	if err != nil {
		return "", fmt.Errorf("phone of transaction %s: %w", number, err)
	}
	return plain, nil
}

// phoneHashSecret names the key of the keyed phone hash the outbox caps
// texts by (migration 0085): a signed-in citizen is known by it too.
const phoneHashSecret = "sms_optout"

// TransactionPhoneHash is the keyed hash (sms.PhoneHash) of the applicant's
// phone of transaction number, "" when it has none: what a signed-in
// citizen's hash must match for the transaction to be theirs.
func (s *Store) TransactionPhoneHash(ctx context.Context, number string) (string, error) {
	var hash string
	err := s.queryRow(ctx, "SELECT phone_hash FROM transaction_phones WHERE txn = ?", number).Scan(&hash)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && hash != "") {
		return hash, nil
	} else if err != nil {
		return "", fmt.Errorf("phone of transaction %s: %w", number, err)
	}
	// Stored before migration 0106: hashed from the sealed phone.
	phone, err := s.TransactionPhone(ctx, number)
	if err != nil || phone == "" {
		return "", err
	}
	key, err := s.Secret(ctx, phoneHashSecret)
	if err != nil {
		return "", err
	}
	return sms.PhoneHash(key, review.NormalizePhone(phone)), nil
}

// CitizenVisit is the number of a transaction of the citizen of phone
// hash reported at workstation that finished on the day of now (in the
// city's zone), one not yet reviewed at stage first: a signed-in
// citizen's proof of presence there, and the visit their review is bound
// to, so that one visit is rated once a stage however many requests
// name it. "" when the citizen has none there that day.
func (s *Store) CitizenVisit(ctx context.Context, phoneHash, workstation, stage string, now time.Time) (string, error) {
	if phoneHash == "" {
		return "", nil
	}
	day := calendar.Midnight(now)
	var number string
	err := s.queryRow(ctx, `SELECT t.number FROM transaction_phones p JOIN transactions t ON t.number = p.txn
		WHERE p.phone_hash = ? AND t.workstation = ? AND t.finished_at >= ? AND t.finished_at < ?
		ORDER BY CASE WHEN EXISTS (SELECT 1 FROM review_transactions rt WHERE rt.txn = t.number AND rt.stage = ?) THEN 1 ELSE 0 END,
			t.finished_at, t.number LIMIT 1`,
		phoneHash, workstation, millis(day), millis(day.AddDate(0, 0, 1)), stage).Scan(&number)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("citizen's transactions at %s: %w", workstation, err)
	}
	return number, nil
}

// ResealTransactionPhones seals every transaction phone not sealed with
// the current key (clear ones stored before sealing included), a batch per
// database transaction, and records how many in the audit trail.
func (s *Store) ResealTransactionPhones(ctx context.Context, actor string) (int, error) {
	return reseal(ctx, s, actor, "reseal_transaction_phones", "applicant phones", "transaction_phones_key", "", s.resealPhones)
}

// resealPhones re-seals the stale phones among the next contactBatch
// after transaction number after; last is the last number read.
func (s *Store) resealPhones(ctx context.Context, after string) (n int, last string, err error) {
	last = after
	err = s.inTx(ctx, func(t tx) error {
		rows, err := t.query(ctx, "SELECT txn, phone FROM transaction_phones WHERE txn > ? ORDER BY txn LIMIT ?", after, contactBatch)
		if err != nil {
			return fmt.Errorf("read transaction phones: %w", err)
		}
		stale := map[string]string{}
		for rows.Next() {
			var txn, phone string
			if err := rows.Scan(&txn, &phone); err != nil {
				rows.Close()
				return err
			}
			last = txn
			if id, ok := keys.Sealed(phone); !ok || id != s.Keys.Current().ID {
				stale[txn] = phone
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for txn, phone := range stale {
			plain, err := s.Keys.Open(phoneField, phone)
			if err != nil {
				return fmt.Errorf("phone of transaction %s: %w", txn, err)
			}
			sealed, err := s.Keys.Seal(phoneField, plain)
			if err != nil {
				return err
			}
			if _, err := t.exec(ctx, "UPDATE transaction_phones SET phone = ? WHERE txn = ?", sealed, txn); err != nil {
				return fmt.Errorf("reseal phone of transaction %s: %w", txn, err)
			}
		}
		n = len(stale)
		return nil
	})
	return n, last, err
}

// sealPhonesOnce re-seals the phones when the current key is not the one
// they were last sealed with.
func (s *Store) sealPhonesOnce(ctx context.Context) error {
	kid, err := s.Setting(ctx, "transaction_phones_key")
	if err != nil || kid == s.Keys.Current().ID {
		return err
	}
	_, err = s.ResealTransactionPhones(ctx, "system")
	return err
}

// EraseTransactionPhones deletes the phones of transactions whose rating
// window closed before cutoff, recording how many in the audit trail. An
// invitation needs the phone only while the window is open.
func (s *Store) EraseTransactionPhones(ctx context.Context, cutoff time.Time) (int, error) {
	var n int64
	err := s.inTx(ctx, func(t tx) error {
		res, err := t.exec(ctx, `DELETE FROM transaction_phones WHERE txn IN (
			SELECT number FROM transactions WHERE rating_closes_at < ?)`, millis(cutoff))
		if err != nil {
			return fmt.Errorf("erase transaction phones: %w", err)
		}
		if n, err = res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		return s.appendAudit(ctx, t, audit.Entry{At: s.Now(), Actor: "system", Action: "erase_transaction_phones",
			Note: fmt.Sprintf("%d applicant phones erased: retention ended for rating windows closed before %s", n, cutoff.Format(time.DateOnly))})
	})
	return int(n), err
}
