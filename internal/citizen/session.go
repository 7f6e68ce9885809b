package citizen

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"strings"
	"time"

	"github.com/haocha/haocha/internal/apperr"
)

// SessionTTL is how long a sign-in lasts, on the web and over the API.
const SessionTTL = 12 * time.Hour

// TokenPrefix starts every citizen token, so that the API tells a
// citizen's bearer token from a staff member's (random base64url, which
// never holds a dot) before looking either up.
const TokenPrefix = "citizen."

// Session is a signed-in citizen's session: the token goes to the browser
// (a cookie) or the client (a bearer token); only its hash is stored.
type Session struct {
	Token   string
	Citizen string // the identity hash
	Expires time.Time
}

// IsToken reports whether tok is a citizen's token rather than a staff
// member's.
func IsToken(tok string) bool { return strings.HasPrefix(tok, TokenPrefix) }

// Start opens a session for the citizen of identity hash id.
func (s *Service) Start(ctx context.Context, id string) (Session, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return Session{}, err
	}
	now := s.Now()
	ss := Session{Token: TokenPrefix + base64.RawURLEncoding.EncodeToString(b), Citizen: id, Expires: now.Add(SessionTTL)}
	if err := s.Store.SaveSession(ctx, ss.Token, id, now, ss.Expires); err != nil {
		return Session{}, err
	}
	return ss, nil
}

// Who is the identity hash of the session of tok. A token that is
// malformed, unknown, expired or signed out is apperr.Forbidden naming
// token (as a rating device's is): the caller brought credentials of its
// own kind, and logging in as staff would not help.
func (s *Service) Who(ctx context.Context, tok string) (string, error) {
	if !IsToken(tok) {
		return "", apperr.New(apperr.Forbidden, "token", "not a citizen's token")
	}
	id, err := s.Store.SessionCitizen(ctx, tok, s.Now())
	if apperr.Is(err, apperr.NotFound) {
		return "", apperr.New(apperr.Forbidden, "token", "unknown, expired or signed-out citizen token: sign in again")
	}
	return id, err
}

// SignOut ends the session of tok.
func (s *Service) SignOut(ctx context.Context, tok string) error {
	return s.Store.EndSession(ctx, tok)
}

// Own records that the citizen of identity hash id gave the review, for
// their own page. The review is stored by then, so a failure here is
// logged, not returned: only the citizen's list misses it.
func (s *Service) Own(ctx context.Context, id string, reviewID int64) {
	if id == "" || reviewID == 0 {
		return
	}
	if err := s.Store.OwnReview(ctx, id, reviewID, s.Now()); err != nil {
		s.log().ErrorContext(ctx, "citizen's review not recorded", "review", reviewID, "err", err)
	}
}

// Reviews lists the citizen's own reviews, newest first.
func (s *Service) Reviews(ctx context.Context, id string) ([]Review, error) {
	return s.Store.CitizenReviews(ctx, id, 100)
}

// FollowLink gives the citizen a fresh private token of the work order
// numbered number, when it was born of one of their reviews; the same
// not-found otherwise, whether or not the number exists.
func (s *Service) FollowLink(ctx context.Context, id, number string) (string, error) {
	order, err := s.Store.CitizenOrder(ctx, id, number)
	if err != nil {
		return "", err
	}
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	tok := base64.RawURLEncoding.EncodeToString(b)
	if err := s.Store.AddFollowToken(ctx, order, tok); err != nil {
		return "", err
	}
	return tok, nil
}
