// Package citizen signs citizens in before they rate or follow an order:
// by a one-time code texted to their phone (code.go), or by the city's
// OpenID Connect identity provider (oidc.go). A signed-in citizen holds a
// session (session.go) and is known to Haocha only by the keyed hash of
// their identity: for a phone, the very hash the SMS caps count the phone
// by (sms.PhoneHash), so that it can be matched against a transaction's
// phone without either being kept; for OIDC, of the issuer and subject.
// Units and staff never see it.
package citizen

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"time"

	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/sms"
	"github.com/haocha/haocha/internal/smscode"
)

// Store is what signing in needs of storage.
type Store interface {
	// CountAttempt records one attempt of kind under key at now, forgets
	// attempts older than since, and returns how many remain since then,
	// this one included (the look-up's counter, lookup.Store).
	CountAttempt(ctx context.Context, kind, key string, now, since time.Time) (int, error)
	// SaveSignInCode keeps c as the phone's one live code, replacing any
	// other.
	SaveSignInCode(ctx context.Context, phoneHash string, c Code) error
	// UseSignInCode counts a try at the phone's code and lets check decide
	// on it, in one transaction: true deletes the code. No code: false.
	UseSignInCode(ctx context.Context, phoneHash string, check func(Code) bool) (bool, error)
	// SaveSession stores a session, keeping only its token's hash.
	SaveSession(ctx context.Context, token, citizen string, now, expires time.Time) error
	// SessionCitizen is the citizen of the live session of token;
	// apperr.NotFound when there is none.
	SessionCitizen(ctx context.Context, token string, now time.Time) (string, error)
	// EndSession deletes the session of token.
	EndSession(ctx context.Context, token string) error
	// OwnReview records that citizen gave the review id.
	OwnReview(ctx context.Context, citizen string, id int64, at time.Time) error
	// CitizenReviews lists the citizen's reviews, newest first.
	CitizenReviews(ctx context.Context, citizen string, limit int) ([]Review, error)
	// CitizenOrder is the work order numbered number when it was born of
	// one of the citizen's reviews; apperr.NotFound otherwise.
	CitizenOrder(ctx context.Context, citizen, number string) (int64, error)
	// AddFollowToken gives a work order another private token.
	AddFollowToken(ctx context.Context, order int64, token string) error
}

// Review is one of a signed-in citizen's reviews, as their own page lists
// it.
type Review struct {
	ID             int64
	At             time.Time
	Item           string
	ItemZH, ItemEN string
	Stars          int
	Later          bool   // a later review (追评)
	Order          string // the work order's number, or ""
	OrderState     string
	// Screening is "held" while screening holds the review (its order
	// is not with the hotline yet), "rejected" once a supervisor turned
	// it down, else "".
	Screening string
}

// Service signs citizens in and keeps their sessions.
type Service struct {
	Store Store
	// SMS is the outbox the codes go through (sms.Outbox): a code is a
	// text like any other, counted against its phone's caps.
	SMS sms.Sender
	// IdentityKey keys the identity hashes: the key of the SMS caps and
	// the opt-out list (the store's secret "sms_optout").
	IdentityKey []byte
	// CodeKey keys the hashes of codes and client networks.
	CodeKey []byte
	// ShowCodes returns each code to the page that asked for it. Only for
	// the demo without an SMS gateway, where nobody else could read it.
	ShowCodes bool
	// Limits throttle the code requests; DefaultLimits when zero.
	Limits Limits
	// OIDC signs in with the city's identity provider; nil: not offered.
	OIDC *OIDC
	Now  func() time.Time
	Log  *slog.Logger
}

// PhoneIdentity is the identity hash of phone: the keyed hash the SMS caps
// and the opt-out list know the phone by.
func (s *Service) PhoneIdentity(phone string) string {
	return sms.PhoneHash(s.IdentityKey, review.NormalizePhone(phone))
}

// OIDCIdentity is the identity hash of a subject of an issuer. The NUL
// bytes keep it apart from every phone (digits only) and every other
// issuer and subject.
func (s *Service) OIDCIdentity(issuer, subject string) string {
	m := hmac.New(sha256.New, s.IdentityKey)
	m.Write([]byte("oidc\x00" + issuer + "\x00" + subject))
	return hex.EncodeToString(m.Sum(nil))
}

func (s *Service) hash(v string) string { return smscode.Hash(s.CodeKey, v) }

func (s *Service) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}
