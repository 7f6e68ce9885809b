package account

import (
	"context"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/haocha/haocha/internal/apperr"
)

// fakeStore holds accounts in memory and records the writes.
type fakeStore struct {
	users  map[string]*User
	tokens map[string][]Token
	writes []string
}

func newFakeStore() *fakeStore {
	return &fakeStore{
		users: map[string]*User{
			"admin":  {ID: 1, Login: "admin", Role: Admin},
			"admin2": {ID: 2, Login: "admin2", Role: Admin},
			"op":     {ID: 3, Login: "op", Role: Operator},
		},
		tokens: map[string][]Token{"op": {{ID: 7, User: "op"}}, "admin2": {{ID: 8, User: "admin2"}}},
	}
}

func (f *fakeStore) CreateUser(_ context.Context, u *User, by string) error {
	f.writes = append(f.writes, "create "+u.Login+" by "+by)
	return nil
}

func (f *fakeStore) UserByLogin(_ context.Context, login string) (*User, error) {
	if u, ok := f.users[login]; ok {
		return u, nil
	}
	return nil, apperr.NotFoundf("name", "no account %s", login)
}

func (f *fakeStore) SetDisabled(_ context.Context, login string, disabled bool, by string) error {
	f.writes = append(f.writes, map[bool]string{true: "disable ", false: "enable "}[disabled]+login+" by "+by)
	return nil
}

func (f *fakeStore) Unlock(_ context.Context, login, by string) error {
	f.writes = append(f.writes, "unlock "+login+" by "+by)
	return nil
}

func (f *fakeStore) ResetPassword(_ context.Context, login, hash, by string) error {
	f.writes = append(f.writes, "password "+login+" by "+by)
	return nil
}

func (f *fakeStore) Tokens(_ context.Context, login string) ([]Token, error) {
	return f.tokens[login], nil
}

func (f *fakeStore) RevokeToken(_ context.Context, ref, by string) (Token, error) {
	f.writes = append(f.writes, "revoke "+ref+" by "+by)
	return Token{}, nil
}

// TestAccountRules: what an administrator may do to an account, and what
// nobody may, whichever page or API asks the service.
func TestAccountRules(t *testing.T) {
	defer func(c int) { Cost = c }(Cost)
	Cost = bcrypt.MinCost
	admin := Actor{ID: 1, Name: "admin", Role: Admin}
	operator := Actor{ID: 3, Name: "op", Role: Operator}
	for _, tc := range []struct {
		name  string
		do    func(s *Service) error
		code  apperr.Code // "" for success
		field string
		write string // the one write expected on success
	}{
		{"an administrator disables another account", func(s *Service) error {
			return s.SetDisabled(context.Background(), admin, "op", true)
		}, "", "", "disable op by admin:admin"},
		{"an administrator cannot disable their own account", func(s *Service) error {
			return s.SetDisabled(context.Background(), admin, "admin", true)
		}, apperr.Conflict, "name", ""},
		{"an administrator may enable their own account", func(s *Service) error {
			return s.SetDisabled(context.Background(), admin, "admin", false)
		}, "", "", "enable admin by admin:admin"},
		{"another administrator disables an administrator", func(s *Service) error {
			return s.SetDisabled(context.Background(), Actor{ID: 2, Name: "admin2", Role: Admin}, "admin", true)
		}, "", "", "disable admin by admin:admin2"},
		{"an operator cannot disable an account", func(s *Service) error {
			return s.SetDisabled(context.Background(), operator, "admin", true)
		}, apperr.Forbidden, "", ""},
		{"an unknown account is not found", func(s *Service) error {
			return s.Unlock(context.Background(), admin, "nobody")
		}, apperr.NotFound, "name", ""},
		{"unlock", func(s *Service) error {
			return s.Unlock(context.Background(), admin, "op")
		}, "", "", "unlock op by admin:admin"},
		{"a short password is refused", func(s *Service) error {
			return s.ResetPassword(context.Background(), admin, "op", "short")
		}, apperr.Invalid, "password", ""},
		{"a password is reset", func(s *Service) error {
			return s.ResetPassword(context.Background(), admin, "op", "long enough password")
		}, "", "", "password op by admin:admin"},
		{"a token of the account is revoked", func(s *Service) error {
			return s.RevokeToken(context.Background(), admin, "op", 7)
		}, "", "", "revoke 7 by admin:admin"},
		{"another account's token is not revoked from this one", func(s *Service) error {
			return s.RevokeToken(context.Background(), admin, "op", 8)
		}, apperr.NotFound, "token", ""},
		{"an account is created", func(s *Service) error {
			return s.Create(context.Background(), admin, &User{Login: "h1", Role: Handler, Unit: "310101"}, "long enough password")
		}, "", "", "create h1 by admin:admin"},
		{"a handler without a unit is refused", func(s *Service) error {
			return s.Create(context.Background(), admin, &User{Login: "h1", Role: Handler}, "long enough password")
		}, apperr.Invalid, "unit", ""},
		{"an operator creates no account", func(s *Service) error {
			return s.Create(context.Background(), operator, &User{Login: "x", Role: Operator}, "long enough password")
		}, apperr.Forbidden, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := newFakeStore()
			err := tc.do(&Service{Store: st})
			if tc.code == "" {
				if err != nil || len(st.writes) != 1 || st.writes[0] != tc.write {
					t.Fatalf("err %v, writes %q; want none and %q", err, st.writes, tc.write)
				}
				return
			}
			e := apperr.As(err)
			if e == nil || e.Code != tc.code || e.Field != tc.field {
				t.Fatalf("err %v; want %s on %q", err, tc.code, tc.field)
			}
			if len(st.writes) != 0 {
				t.Fatalf("refused, yet wrote %q", st.writes)
			}
		})
	}
}
