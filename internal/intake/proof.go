package intake

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/transaction"
)

// Presence checks a workstation's QR token at a time (qr.Signer).
type Presence interface {
	Check(workstation, token string, now time.Time) error
}

// Proofs is what a signed-in citizen's proof is checked against: their
// keyed phone hash (review.Submission.CitizenHash).
type Proofs interface {
	// TransactionPhoneHash is the keyed hash of the applicant's phone of
	// the transaction; "" when it has none.
	TransactionPhoneHash(ctx context.Context, number string) (string, error)
	// CitizenVisit is the number of the citizen's transaction reported
	// at workstation that finished on the day of now, one not yet
	// reviewed at stage first; "" when none.
	CitizenVisit(ctx context.Context, phoneHash, workstation, stage string, now time.Time) (string, error)
}

// Invitations tells the transaction an invitation link's token rates,
// used or not; NotFound when the token is no link's.
type Invitations interface {
	LinkTransaction(ctx context.Context, token string) (string, error)
}

// notYours is the one answer to a transaction number the caller cannot
// show is theirs, whether it was reported or not: anything else would
// tell a guesser which numbers exist.
func notYours() error {
	return apperr.New(apperr.Forbidden, "transaction",
		"cannot show that this transaction is yours: send the invitation_token of its invitation link, rate it on the window's rating device, or sign in as its applicant")
}

// verify decides how far sub is bound to a real service event and
// refuses what it may not name at that level: a transaction the caller
// cannot show is theirs, a workstation without proof of presence. It
// returns the transaction sub is linked to, if any.
func (s *Service) verify(ctx context.Context, sub *review.Submission, c Client) (*transaction.Transaction, review.Verification, error) {
	linkTxn, err := s.linkTransaction(ctx, sub)
	if err != nil {
		return nil, "", err
	}
	if strings.TrimSpace(sub.Transaction) != "" {
		t, err := s.owned(ctx, sub, c, linkTxn)
		if t == nil {
			return nil, review.Unverified, err
		}
		return t, review.ByTransaction, err
	}
	ws := strings.TrimSpace(sub.Workstation)
	if ws == "" {
		return nil, review.Unverified, nil
	}
	if c.Device != nil {
		if c.Device.Workstation != ws {
			return nil, "", apperr.New(apperr.Forbidden, "workstation", "this device is paired to workstation %s, not %s", c.Device.Workstation, ws)
		}
		return nil, review.ByPresence, nil
	}
	if s.Presence == nil {
		return nil, review.Unverified, nil // tests of other rules only: no proof asked, none shown
	}
	if sub.QRToken != "" {
		if err := s.Presence.Check(ws, sub.QRToken, s.now()); err != nil {
			// Both: the edges read the code and field, the pages which words.
			return nil, "", fmt.Errorf("%w: %w", apperr.New(apperr.Forbidden, "qr_token", "%s", err.Error()), err)
		}
		if s.Proofs != nil && sub.CitizenHash != "" {
			visit, err := s.Proofs.CitizenVisit(ctx, sub.CitizenHash, ws, strings.TrimSpace(sub.Stage), s.now())
			if err != nil {
				return nil, "", err
			}
			if visit != "" {
				// Bound to the visit: the store takes one review of it a
				// stage, as of any transaction. A photographed code and
				// one real visit are otherwise a review as often as the
				// attacker changes address and browser (docs/fraud.md).
				sub.Transaction = visit
				return nil, review.ByPresence, nil
			}
		}
	}
	return nil, "", apperr.New(apperr.Forbidden, "workstation",
		"a review may name workstation %s only with proof of this visit: sign in as a citizen with a transaction there today and scan its QR code, or rate the transaction through its invitation link or the window's rating device; or leave the workstation out", ws)
}

// linkTransaction is the transaction sub's invitation token rates, ""
// when it has none; a token of no link, or of another transaction than
// the one named, is refused as any unproven number is.
func (s *Service) linkTransaction(ctx context.Context, sub *review.Submission) (string, error) {
	token := strings.TrimSpace(sub.InvitationToken)
	if token == "" || s.Invitations == nil {
		return "", nil
	}
	number, err := s.Invitations.LinkTransaction(ctx, token)
	if apperr.Is(err, apperr.NotFound) {
		return "", apperr.New(apperr.Forbidden, "invitation_token", "no invitation link has this token")
	} else if err != nil {
		return "", err
	}
	if strings.TrimSpace(sub.Transaction) == "" {
		sub.Transaction = number
	}
	return number, nil
}

// owned links sub to the transaction it names once the caller has shown
// it is theirs: its invitation link (linkTxn), the rating device of its
// workstation or that device's per-transaction QR code, or a signed-in
// citizen whose phone is the applicant's. An unknown number and one not
// theirs get the same refusal, counted by the guess throttle.
func (s *Service) owned(ctx context.Context, sub *review.Submission, c Client, linkTxn string) (*transaction.Transaction, error) {
	number := strings.TrimSpace(sub.Transaction)
	if s.Transactions == nil {
		return nil, nil // tests of other rules only
	}
	t, err := s.Transactions.Transaction(ctx, number)
	if apperr.Is(err, apperr.NotFound) {
		t = nil
	} else if err != nil {
		return nil, err
	}
	ok := false
	if t != nil {
		if ok, err = s.proves(ctx, t, sub, c, linkTxn); err != nil {
			return nil, err
		}
	}
	if !ok {
		if err := s.Guesses.Allow(ctx, c.Address, number, s.now()); err != nil {
			return nil, err
		}
		return nil, notYours()
	}
	// A later review's window runs from the first review (the store checks it).
	if !sub.Later && !s.now().Before(t.RatingClosesAt) {
		return nil, apperr.Invalidf("transaction", "the rating window of transaction %s closed on %s",
			number, t.RatingClosesAt.Format(time.DateOnly))
	}
	return t, transaction.Link(t, sub)
}

// proves reports whether sub or c shows that t is the reviewer's.
func (s *Service) proves(ctx context.Context, t *transaction.Transaction, sub *review.Submission, c Client, linkTxn string) (bool, error) {
	switch {
	case linkTxn != "":
		return linkTxn == t.Number, nil
	case c.Device != nil:
		return t.Workstation != "" && c.Device.Workstation == t.Workstation, nil
	case sub.TransactionProof != "":
		return hmac.Equal([]byte(sub.TransactionProof), []byte(s.TransactionProof(t.Number, t.Workstation))), nil
	case sub.CitizenHash != "" && s.Proofs != nil:
		hash, err := s.Proofs.TransactionPhoneHash(ctx, t.Number)
		return hash != "" && hmac.Equal([]byte(hash), []byte(sub.CitizenHash)), err
	}
	return false, nil
}

// TransactionProof is the proof the window's rating device puts in the
// per-transaction QR code it shows for transaction number served at
// workstation: only the device's screen has it.
func (s *Service) TransactionProof(number, workstation string) string {
	m := hmac.New(sha256.New, s.ProofKey)
	fmt.Fprintf(m, "transaction\x00%s\x00%s", number, workstation)
	return hex.EncodeToString(m.Sum(nil)[:16])
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// bound reports whether rv is bound to a real visit: the caller showed
// the transaction is theirs, or proved presence at the workstation.
// Screening does not hold such a review for coming while its hall is
// closed (an evening review of the day's transaction is normal).
func bound(rv *review.Review) bool {
	return rv.Verification == review.ByTransaction || rv.Verification == review.ByPresence
}
