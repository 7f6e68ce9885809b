package store

// Transactions (办件) reported by business systems.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/transaction"
)

// transactionNames are the columns a transaction is written to, in the
// order of transactionArgs; transactionColumns reads them back.
var (
	transactionNames = plain("number", "item", "stages", "unit", "district", "hall", "window_code", "workstation",
		"channel", "staff", "applicant_kind", "accepted_at", "finished_at", "rating_closes_at")
	transactionColumns = join(plain("number", "item", "stages", "unit"),
		orEmpty("district", "hall", "window_code", "workstation"), plain("channel"), orEmpty("staff"),
		plain("applicant_kind", "accepted_at", "finished_at", "rating_closes_at"))
)

func transactionArgs(t *transaction.Transaction) []any {
	return []any{t.Number, t.Item, strings.Join(t.Stages, " "), t.Unit, nullable(t.District), nullable(t.Hall),
		nullable(t.Window), nullable(t.Workstation), string(t.Channel), nullable(t.Staff), string(t.ApplicantKind),
		millis(t.AcceptedAt), millis(t.FinishedAt), millis(t.RatingClosesAt)}
}

func scanTransaction(row scanner) (*transaction.Transaction, error) {
	var t transaction.Transaction
	var stages, channel, kind string
	var accepted, finished, closes int64
	err := row.Scan(&t.Number, &t.Item, &stages, &t.Unit, &t.District, &t.Hall, &t.Window, &t.Workstation,
		&channel, &t.Staff, &kind, &accepted, &finished, &closes)
	if err != nil {
		return nil, err
	}
	t.Stages, t.Channel, t.ApplicantKind = strings.Fields(stages), review.Channel(channel), transaction.ApplicantKind(kind)
	t.AcceptedAt, t.FinishedAt, t.RatingClosesAt = fromMillis(accepted), fromMillis(finished), fromMillis(closes)
	return &t, nil
}

// scanTransactions reads the transactions of rows, closing rows.
func scanTransactions(rows *sql.Rows) ([]*transaction.Transaction, error) {
	defer rows.Close()
	var out []*transaction.Transaction
	for rows.Next() {
		t, err := scanTransaction(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// SaveTransactions stores ts in one database transaction, a number already
// stored being kept as it is: it returns the stored version of each such
// number, for the caller to answer unchanged or conflicting. Phones are
// stored for the new ones only.
func (s *Store) SaveTransactions(ctx context.Context, ts []*transaction.Transaction, reporter int64) (map[string]*transaction.Transaction, error) {
	kept := map[string]*transaction.Transaction{}
	if len(ts) == 0 {
		return kept, nil
	}
	// A batch (at most transaction.MaxBatch) is one statement: 16 values a
	// row stay under both backends' limit on parameters.
	const perStatement = transaction.MaxBatch
	now := millis(s.Now())
	err := s.inTx(ctx, func(t tx) error {
		for chunk := range chunks(ts, perStatement) {
			rows, err := s.insertTransactions(ctx, t, chunk, now, reporter)
			if err != nil {
				return fmt.Errorf("insert transactions: %w", err)
			}
			created, err := scanStrings(rows)
			if err != nil {
				return fmt.Errorf("insert transactions: %w", err)
			}
			var old []any
			var phoned []*transaction.Transaction
			for _, tr := range chunk {
				if !created[tr.Number] {
					old = append(old, tr.Number)
				} else if tr.Phone != "" {
					phoned = append(phoned, tr)
				}
			}
			if err := s.savePhones(ctx, t, phoned); err != nil {
				return err
			}
			if len(old) == 0 {
				continue
			}
			rows, err = t.query(ctx, "SELECT "+transactionColumns.sel("")+" FROM transactions WHERE number IN ("+
				placeholders(len(old))+")", old...)
			if err != nil {
				return fmt.Errorf("read transactions: %w", err)
			}
			stored, err := scanTransactions(rows)
			if err != nil {
				return fmt.Errorf("read transactions: %w", err)
			}
			for _, tr := range stored {
				kept[tr.Number] = tr
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("save transactions: %w", err)
	}
	return kept, nil
}

// reportedAt is when tr was reported, in milliseconds: now unless it
// carries its own time.
func reportedAt(tr *transaction.Transaction, now int64) int64 {
	if tr.ReportedAt.IsZero() {
		return now
	}
	return millis(tr.ReportedAt)
}

// insertTransactions inserts ts, skipping numbers stored before, and
// returns the numbers it stored. SQLite takes one multi-row VALUES list.
// PostgreSQL takes one array per column through unnest: a VALUES list of a
// thousand rows has 16,000 parameters that the server parses and plans on
// every batch, which cost three to four times the insert itself.
func (s *Store) insertTransactions(ctx context.Context, t tx, ts []*transaction.Transaction, now, reporter int64) (*sql.Rows, error) {
	cols := join(transactionNames, plain("reported_at", "reported_by"))
	const conflict = " ON CONFLICT (number) DO NOTHING RETURNING number"
	if !s.pg {
		var args []any
		for _, tr := range ts {
			args = append(append(args, transactionArgs(tr)...), reportedAt(tr, now), reporter)
		}
		return t.query(ctx, "INSERT INTO transactions ("+cols.names()+") VALUES "+valueRows(len(ts), len(cols))+conflict, args...)
	}
	// The columns of transactionNames in order, then reported_at and
	// reported_by: 11 texts (NULL where nullable gives nil), 5 bigints.
	texts := make([][]*string, 11)
	ints := make([][]int64, 5)
	for _, tr := range ts {
		row := transactionArgs(tr)
		for j := range texts {
			var v *string
			if x, ok := row[j].(string); ok {
				v = &x
			}
			texts[j] = append(texts[j], v)
		}
		for j, x := range append(row[len(texts):], reportedAt(tr, now), reporter) {
			ints[j] = append(ints[j], x.(int64))
		}
	}
	args := make([]any, 0, len(cols))
	casts := make([]string, 0, len(cols))
	for _, a := range texts {
		args, casts = append(args, a), append(casts, "?::text[]")
	}
	for _, a := range ints {
		args, casts = append(args, a), append(casts, "?::bigint[]")
	}
	return t.query(ctx, "INSERT INTO transactions ("+cols.names()+") SELECT * FROM unnest("+strings.Join(casts, ", ")+")"+conflict, args...)
}

// chunks yields xs in slices of at most n.
func chunks[T any](xs []T, n int) func(func([]T) bool) {
	return func(yield func([]T) bool) {
		for len(xs) > 0 {
			k := min(n, len(xs))
			if !yield(xs[:k]) {
				return
			}
			xs = xs[k:]
		}
	}
}

// scanStrings reads one text column of rows into a set, closing rows.
func scanStrings(rows *sql.Rows) (map[string]bool, error) {
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out[v] = true
	}
	return out, rows.Err()
}

// Transaction returns the reported transaction number, without its phone;
// an unknown number is NotFound.
func (s *Store) Transaction(ctx context.Context, number string) (*transaction.Transaction, error) {
	t, err := scanTransaction(s.queryRow(ctx, "SELECT "+transactionColumns.sel("")+" FROM transactions WHERE number = ?", number))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.NotFoundf("transaction", "no transaction %s was reported", number)
	}
	if err != nil {
		return nil, fmt.Errorf("transaction %s: %w", number, err)
	}
	return t, nil
}

// TransactionOutcome is what became of a transaction's rating window: ""
// while it is open.
func (s *Store) TransactionOutcome(ctx context.Context, number string) (transaction.Outcome, error) {
	var o sql.NullString
	err := s.queryRow(ctx, "SELECT outcome FROM transactions WHERE number = ?", number).Scan(&o)
	if errors.Is(err, sql.ErrNoRows) {
		return "", apperr.NotFoundf("transaction", "no transaction %s was reported", number)
	}
	if err != nil {
		return "", fmt.Errorf("transaction %s: %w", number, err)
	}
	return transaction.Outcome(o.String), nil
}
