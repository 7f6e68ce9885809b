package intake_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/intake"
	"github.com/haocha/haocha/internal/loadgen"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store/storetest"
	"github.com/haocha/haocha/internal/transaction"
)

// proofs is what the proofs are checked against, in memory: transaction T1
// served at workstation H1-W1-1 today to the citizen "c-hash", whose
// invitation link has token "link-T1".
type proofs struct{ now time.Time }

func (p proofs) Transaction(_ context.Context, number string) (*transaction.Transaction, error) {
	if number != "T1" {
		return nil, apperr.NotFoundf("transaction", "no such transaction")
	}
	return &transaction.Transaction{Number: "T1", Item: "GA-001", Stages: []string{"acceptance"}, Unit: "GA",
		Workstation: "H1-W1-1", Staff: "S1", FinishedAt: p.now, RatingClosesAt: p.now.Add(24 * time.Hour)}, nil
}

func (p proofs) TransactionPhoneHash(_ context.Context, number string) (string, error) {
	if number == "T1" {
		return "c-hash", nil
	}
	return "", nil
}

func (p proofs) CitizenVisit(_ context.Context, hash, ws, _ string, _ time.Time) (string, error) {
	if hash == "c-hash" && ws == "H1-W1-1" {
		return "T1", nil
	}
	return "", nil
}

func (p proofs) LinkTransaction(_ context.Context, token string) (string, error) {
	if token == "link-T1" {
		return "T1", nil
	}
	return "", apperr.NotFoundf("token", "no such invitation")
}

// goodQR takes the token "qr" at every workstation.
type goodQR struct{}

func (goodQR) Check(_, token string, _ time.Time) error {
	if token != "qr" {
		return errors.New("not this workstation's code")
	}
	return nil
}

func proofService(now time.Time) (*intake.Service, *memStore) {
	st := &memStore{Index: loadgen.NewIndex(storetest.Fixture(), review.DefaultDimensions)}
	p := proofs{now: now}
	return &intake.Service{Store: st, Salt: []byte("proof"), Transactions: p, Proofs: p, Invitations: p,
		Presence: goodQR{}, ProofKey: []byte("k"), Guesses: &intake.Guesses{}, Now: func() time.Time { return now }}, st
}

func anonSub(channel string) review.Submission {
	anon := true
	return review.Submission{Channel: channel, Item: "GA-001", Stage: "acceptance", Stars: 1, Comment: "态度差", Anonymous: &anon}
}

// TestVerificationLevels: what each proof earns, and that a workstation
// without proof of this visit is refused on every channel.
func TestVerificationLevels(t *testing.T) {
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	svc, st := proofService(now)
	ctx := context.Background()
	web := intake.Client{Address: "192.0.2.1"}
	for _, ch := range review.Channels {
		for _, qr := range []string{"", "qr"} {
			sub := anonSub(string(ch))
			sub.Workstation, sub.QRToken = "H1-W1-1", qr
			_, err := svc.Submit(ctx, sub, web)
			if e := apperr.As(err); e == nil || e.Code != apperr.Forbidden || e.Field != "workstation" {
				t.Errorf("%s naming a workstation with QR token %q and no other proof: %v, want 403 naming workstation", ch, qr, err)
			}
		}
	}
	proof := svc.TransactionProof("T1", "H1-W1-1")
	for _, tc := range []struct {
		name   string
		edit   func(*review.Submission)
		client intake.Client
		want   review.Verification
	}{
		{"an item, nothing named", func(*review.Submission) {}, web, review.Unverified},
		{"an item, signed in", func(s *review.Submission) { s.CitizenHash = "c-hash" }, web, review.Unverified},
		{"the invitation link's token", func(s *review.Submission) { s.InvitationToken = "link-T1" }, web, review.ByTransaction},
		{"signed in as the applicant", func(s *review.Submission) { s.Transaction, s.CitizenHash = "T1", "c-hash" }, web, review.ByTransaction},
		{"the rating device", func(s *review.Submission) { s.Channel, s.Transaction = "tablet", "T1" },
			intake.Client{Device: &intake.PairedDevice{ID: 1, Workstation: "H1-W1-1"}}, review.ByTransaction},
		{"the device's per-transaction code", func(s *review.Submission) {
			s.Channel, s.Transaction, s.Workstation, s.QRToken, s.TransactionProof = "window", "T1", "H1-W1-1", "qr", proof
		}, web, review.ByTransaction},
		{"signed in, printed code, served there today", func(s *review.Submission) {
			s.Channel, s.Workstation, s.QRToken, s.CitizenHash = "window", "H1-W1-1", "qr", "c-hash"
		}, web, review.ByPresence},
	} {
		sub := anonSub("app")
		tc.edit(&sub)
		rc, err := svc.Submit(ctx, sub, tc.client)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if rc.Verification != tc.want || st.stored.Verification != tc.want {
			t.Errorf("%s: answered %q, stored %q, want %q", tc.name, rc.Verification, st.stored.Verification, tc.want)
		}
		if tc.want == review.ByTransaction && (st.stored.Workstation != "H1-W1-1" || st.stored.Staff != "S1") {
			t.Errorf("%s: stored at %q by %q, want the transaction's H1-W1-1 and S1", tc.name, st.stored.Workstation, st.stored.Staff)
		}
	}
}

// TestNoTransactionOracle: a number nobody reported and a number that is
// somebody else's get one answer, also as a later review (追评), and
// guessing is throttled per address and per number.
func TestNoTransactionOracle(t *testing.T) {
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	ctx := context.Background()
	refusal := func(svc *intake.Service, number, address string, later bool) error {
		sub := anonSub("app")
		sub.Transaction, sub.Later = number, later
		sub.Stars = 0 // malformed too: the number must not be checked after the form
		_, err := svc.Submit(ctx, sub, intake.Client{Address: address})
		return err
	}
	svc, _ := proofService(now)
	unknown, theirs := refusal(svc, "NOPE-1", "192.0.2.1", false), refusal(svc, "T1", "192.0.2.2", false)
	hijack := refusal(svc, "T1", "192.0.2.3", true)
	for _, err := range []error{unknown, theirs, hijack} {
		if e := apperr.As(err); e == nil || e.Code != apperr.Forbidden || e.Field != "transaction" || err.Error() != unknown.Error() {
			t.Errorf("got %v; want every refusal 403 naming transaction, as for an unknown number: %v", err, unknown)
		}
	}
	svc, _ = proofService(now)
	for i := range intake.DefaultGuessesPerAddress + 1 {
		err := refusal(svc, "NOPE-"+string(rune('A'+i)), "198.51.100.7", false)
		if i == intake.DefaultGuessesPerAddress && !apperr.Is(err, apperr.TooMany) {
			t.Errorf("guess %d from one address: %v, want throttled", i+1, err)
		}
	}
	svc, _ = proofService(now)
	for i := range intake.DefaultGuessesPerNumber + 1 {
		err := refusal(svc, "T1", "203.0.113."+string(rune('1'+i)), false)
		if i == intake.DefaultGuessesPerNumber && !apperr.Is(err, apperr.TooMany) {
			t.Errorf("guess %d of one number: %v, want throttled", i+1, err)
		}
	}
	// The applicant is not locked out by the guessers.
	sub := anonSub("app")
	sub.Transaction, sub.CitizenHash = "T1", "c-hash"
	if _, err := svc.Submit(ctx, sub, intake.Client{Address: "203.0.113.99"}); err != nil {
		t.Errorf("the applicant after the guessers: %v", err)
	}
}
