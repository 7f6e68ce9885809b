package intake_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/intake"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/transaction"
)

// known reports one transaction, T-1, served at workstation W-1, whose
// rating window closed: a review that gets past the ownership check is
// refused for that, as invalid.
type known struct{}

func (known) Transaction(_ context.Context, number string) (*transaction.Transaction, error) {
	if number != "T-1" {
		return nil, apperr.NotFoundf("transaction", "no transaction %s", number)
	}
	return &transaction.Transaction{Number: number, Workstation: "W-1"}, nil
}

// TestGuessingIsThrottledPerNetwork: a guesser who changes its browser for
// every few attempts is still stopped by its network's count, while
// another network is not, and the paired device of the transaction's own
// workstation is taken past the ownership check.
func TestGuessingIsThrottledPerNetwork(t *testing.T) {
	s := &intake.Service{Salt: []byte("test"), Transactions: known{}, Guesses: &intake.Guesses{}}
	try := func(number string, c intake.Client) error {
		_, err := s.Submit(context.Background(), review.Submission{Channel: "app", Stars: 0, Transaction: number}, c)
		return err
	}
	for i := range intake.GuessNetworkMax {
		c := intake.Client{Address: fmt.Sprintf("203.0.113.%d", i%250), UserAgent: fmt.Sprintf("guesser %d", i)}
		if err := try(fmt.Sprintf("T-%d", i), c); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("guess %d: %v, want the one forbidden answer", i, err)
		}
	}
	err := try("T-1", intake.Client{Address: "203.0.113.251", UserAgent: "a fresh browser"})
	if apperr.CodeOf(err) != apperr.TooMany {
		t.Errorf("a guess from the same /24 past the limit: %v, want too many", err)
	}
	if err := try("T-1", intake.Client{Address: "198.51.100.7"}); apperr.CodeOf(err) != apperr.Forbidden {
		t.Errorf("another network: %v, want the forbidden answer, not throttled", err)
	}
	err = try("T-1", intake.Client{Device: &intake.PairedDevice{ID: 1, Workstation: "W-1"}})
	if apperr.CodeOf(err) != apperr.Invalid {
		t.Errorf("the device of the transaction's workstation: %v, want past the ownership check", err)
	}
}
