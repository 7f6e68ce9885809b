package store

// The applicant's phone of a transaction is personal data. It is written
// and read here alone, in its own table, so that sealing it like the other
// personal data is a change to these two functions.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// savePhone keeps the phone of transaction number.
func savePhone(ctx context.Context, t tx, number, phone string) error {
	if _, err := t.exec(ctx, "INSERT INTO transaction_phones (txn, phone) VALUES (?, ?) ON CONFLICT (txn) DO NOTHING",
		number, phone); err != nil {
		return fmt.Errorf("save phone of transaction %s: %w", number, err)
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
