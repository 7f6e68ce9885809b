package account

import (
	"context"
	"strconv"

	"github.com/haocha/haocha/internal/apperr"
)

// Store is what the administration of accounts reads and writes; each
// write is audited under by.
type Store interface {
	CreateUser(ctx context.Context, u *User, by string) error
	UserByLogin(ctx context.Context, login string) (*User, error)
	SetDisabled(ctx context.Context, login string, disabled bool, by string) error
	Unlock(ctx context.Context, login, by string) error
	ResetPassword(ctx context.Context, login, hash, by string) error
	Tokens(ctx context.Context, login string) ([]Token, error)
	RevokeToken(ctx context.Context, ref, by string) (Token, error)
}

// Service is the administration of staff accounts: who may change an
// account and what may not be done to one, whichever page or API asks.
type Service struct {
	Store Store
}

// RequireAdmin refuses anybody but an administrator.
func RequireAdmin(by Actor) error {
	if by.Role != Admin {
		return apperr.New(apperr.Forbidden, "", "for administrators only")
	}
	return nil
}

// Create checks u and its password and creates the account.
func (s *Service) Create(ctx context.Context, by Actor, u *User, password string) error {
	if err := RequireAdmin(by); err != nil {
		return err
	}
	if err := u.Check(); err != nil {
		return err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	u.PasswordHash = hash
	return s.Store.CreateUser(ctx, u, by.String())
}

// SetDisabled disables or enables login's account. An administrator
// cannot disable their own: the last one would lock everybody out.
func (s *Service) SetDisabled(ctx context.Context, by Actor, login string, disabled bool) error {
	if err := s.admin(ctx, by, login); err != nil {
		return err
	}
	if disabled && login == by.Name {
		return apperr.New(apperr.Conflict, "name", "you cannot disable your own account: ask another administrator")
	}
	return s.Store.SetDisabled(ctx, login, disabled, by.String())
}

// Unlock forgets the failed logins on login's account.
func (s *Service) Unlock(ctx context.Context, by Actor, login string) error {
	if err := s.admin(ctx, by, login); err != nil {
		return err
	}
	return s.Store.Unlock(ctx, login, by.String())
}

// ResetPassword sets a new password on login's account.
func (s *Service) ResetPassword(ctx context.Context, by Actor, login, password string) error {
	if err := s.admin(ctx, by, login); err != nil {
		return err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	return s.Store.ResetPassword(ctx, login, hash, by.String())
}

// RevokeToken revokes token id if it is login's: an account's page
// revokes none of another account's tokens.
func (s *Service) RevokeToken(ctx context.Context, by Actor, login string, id int64) error {
	if err := s.admin(ctx, by, login); err != nil {
		return err
	}
	tokens, err := s.Store.Tokens(ctx, login)
	if err != nil {
		return err
	}
	for _, k := range tokens {
		if k.ID == id {
			_, err := s.Store.RevokeToken(ctx, strconv.FormatInt(id, 10), by.String())
			return err
		}
	}
	return apperr.NotFoundf("token", "%s has no token %d", login, id)
}

// admin checks that by may change login's account and that it exists.
func (s *Service) admin(ctx context.Context, by Actor, login string) error {
	if err := RequireAdmin(by); err != nil {
		return err
	}
	_, err := s.Store.UserByLogin(ctx, login)
	return err
}
