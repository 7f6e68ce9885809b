package store

// The applicant's phone of a transaction is personal data. It is written
// and read here alone, in its own table, so that sealing it like the other
// personal data is a change to these two functions.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/haocha/haocha/internal/transaction"
)

// savePhones keeps the phones of ts that have one, in one statement: a
// batch of a thousand would otherwise cost a round trip per phone.
func savePhones(ctx context.Context, t tx, ts []*transaction.Transaction) error {
	var args []any
	for _, tr := range ts {
		if tr.Phone != "" {
			args = append(args, tr.Number, tr.Phone)
		}
	}
	if len(args) == 0 {
		return nil
	}
	if _, err := t.exec(ctx, "INSERT INTO transaction_phones (txn, phone) VALUES "+valueRows(len(args)/2, 2)+
		" ON CONFLICT (txn) DO NOTHING", args...); err != nil {
		return fmt.Errorf("save phones of transactions: %w", err)
	}
	return nil
}

// TransactionPhone is the applicant's phone of transaction number, for
// the rating invitation; "" when none was reported.
func (s *Store) TransactionPhone(ctx context.Context, number string) (string, error) {
	var phone string
	err := s.queryRow(ctx, "SELECT phone FROM transaction_phones WHERE txn = ?", number).Scan(&phone)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("phone of transaction %s: %w", number, err)
	}
	return phone, nil
}
