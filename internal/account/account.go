// Package account holds the rules of staff accounts: passwords, lockout,
// session and API token lifetimes. Storage and HTTP use it.
package account

import (
	"crypto/rand"
	"encoding/base64"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"github.com/haocha/haocha/internal/apperr"
)

// Account policy.
const (
	MinPassword = 10               // characters
	MaxFailures = 5                // failed logins in a row before a lockout
	LockFor     = 15 * time.Minute // how long a lockout lasts
	SessionTTL  = 12 * time.Hour   // a session lasts one working day and a half
)

// Cost is bcrypt's work factor; tests lower it.
var Cost = bcrypt.DefaultCost

// User is a staff account.
type User struct {
	ID           int64
	Login        string
	DisplayName  string
	Role         Role
	Unit         string // a handler's unit
	Staff        string // window staff's staff code
	PasswordHash string
	FailedLogins int
	LockedUntil  time.Time
	Disabled     bool
	CreatedAt    time.Time
}

// Actor is the user as the work-order rules see them.
func (u *User) Actor() Actor {
	return Actor{ID: u.ID, Name: u.Login, Role: u.Role, Unit: u.Unit, Staff: u.Staff}
}

// Check validates a new account; a password is checked apart.
func (u *User) Check() error {
	u.Login = strings.TrimSpace(u.Login)
	switch {
	case u.Login == "" || utf8.RuneCountInString(u.Login) > 64 || strings.ContainsAny(u.Login, " \t\n:"):
		return apperr.Invalidf("name", "want a login name of 1 to 64 characters without spaces or colons")
	case !u.Role.Valid():
		return apperr.Invalidf("role", "want one of operator, handler, supervisor, staff, admin, integration; got %q", u.Role)
	case u.Role == Handler && u.Unit == "":
		return apperr.Invalidf("unit", "a unit handler is bound to one unit: name it")
	case u.Role != Handler && u.Unit != "":
		return apperr.Invalidf("unit", "only a unit handler is bound to a unit")
	case u.Role == Staff && u.Staff == "":
		return apperr.Invalidf("staff", "window staff see their own results: name their staff code")
	}
	return nil
}

// HashPassword checks a new password and returns its bcrypt hash.
func HashPassword(pw string) (string, error) {
	if utf8.RuneCountInString(pw) < MinPassword {
		return "", apperr.Invalidf("password", "at least %d characters", MinPassword)
	}
	if len(pw) > 72 {
		return "", apperr.Invalidf("password", "at most 72 bytes")
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), Cost)
	return string(h), err
}

// dummies holds, per bcrypt cost, a hash that no password matches: an
// unknown login is compared against one of the cost real passwords have,
// so that it takes as long as a wrong password.
var dummies sync.Map // int → []byte

func dummy() []byte {
	if h, ok := dummies.Load(Cost); ok {
		return h.([]byte)
	}
	h, _ := bcrypt.GenerateFromPassword([]byte(NewToken()), Cost)
	v, _ := dummies.LoadOrStore(Cost, h)
	return v.([]byte)
}

var compares atomic.Int64

// Compares is how many password hashes this process has compared: one per
// login attempt that got past the throttle, whatever its outcome.
func Compares() int64 { return compares.Load() }

// PasswordMatches reports whether pw is the password of hash. An empty hash
// (unknown login) costs the same time and never matches.
func PasswordMatches(hash, pw string) bool {
	compares.Add(1)
	if hash == "" {
		bcrypt.CompareHashAndPassword(dummy(), []byte(pw))
		return false
	}
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw)) == nil
}

// NewToken returns 192 random bits, URL-safe: session ids, API tokens,
// CSRF tokens and generated passwords.
func NewToken() string {
	b := make([]byte, 24)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
