// Package route is the one place routes are registered: every route
// declares who may call it (public, or a set of staff roles), the mux
// enforces that before the handler runs, and the list of routes with their
// rules can be read back, so a test walks every route as every role and a
// route added without a rule fails at start.
package route

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/apperr"
)

// Access is who may call a route.
type Access struct {
	// Public routes are open to anyone; their handlers may still look at
	// the caller (Caller) to show a staff member more.
	Public bool
	// Roles may call the route; anybody else is refused before the
	// handler: 401 (or the login page) without credentials, 403 with.
	Roles []account.Role
	// Page routes send the unauthenticated to the login page rather than
	// answering 401.
	Page bool
}

// Public is the rule of a route anyone may call.
var Public = Access{Public: true}

// Roles is the rule of a JSON route for the given staff roles.
func Roles(roles ...account.Role) Access { return Access{Roles: roles} }

// PageRoles is the rule of an HTML page for the given staff roles.
func PageRoles(roles ...account.Role) Access { return Access{Roles: roles, Page: true} }

// Allows reports whether a caller in role may call the route.
func (a Access) Allows(role account.Role) bool {
	return a.Public || slices.Contains(a.Roles, role)
}

// Route is a registered pattern and its rule.
type Route struct {
	Pattern string
	Access  Access
}

// Authenticator finds the staff caller of a request: nil when there is
// none; an error for credentials that are wrong (a revoked token). The
// second result is the authenticator's own record of the caller (the
// console's session), kept for its handlers (Value).
type Authenticator func(r *http.Request) (*account.Actor, any, error)

// Mux is an http.ServeMux that knows its routes' rules.
type Mux struct {
	mux    *http.ServeMux
	routes []Route
	// Authenticate finds the caller; set before serving (the consoles own
	// sessions and tokens). Without it every non-public route answers 401.
	Authenticate Authenticator
	// Deny answers a refused request; a JSON error when nil. The consoles
	// set it to send pages to the login form and render refusals as pages.
	Deny func(w http.ResponseWriter, r *http.Request, a Access, err error)
	// WriteError writes an error as JSON; set by the caller to keep one
	// error mapping (httpjson), plain text when nil.
	WriteError func(w http.ResponseWriter, r *http.Request, err error)
}

// NewMux returns an empty mux.
func NewMux() *Mux { return &Mux{mux: http.NewServeMux()} }

// Handle registers h for pattern under rule a. A rule that names neither
// the public nor a role is a programming error, as is a pattern twice.
func (m *Mux) Handle(pattern string, a Access, h http.Handler) {
	if !a.Public && len(a.Roles) == 0 {
		panic(fmt.Sprintf("route %q declares no access rule", pattern))
	}
	m.routes = append(m.routes, Route{Pattern: pattern, Access: a})
	m.mux.Handle(pattern, m.guard(a, h))
}

// HandleFunc is Handle for a function.
func (m *Mux) HandleFunc(pattern string, a Access, h http.HandlerFunc) { m.Handle(pattern, a, h) }

// Routes lists the registered routes, sorted by pattern.
func (m *Mux) Routes() []Route {
	out := slices.Clone(m.routes)
	sort.Slice(out, func(i, j int) bool { return out[i].Pattern < out[j].Pattern })
	return out
}

func (m *Mux) ServeHTTP(w http.ResponseWriter, r *http.Request) { m.mux.ServeHTTP(w, r) }

type callerKey struct{}

// caller is what the context carries: the caller once found.
type caller struct {
	done  bool
	actor *account.Actor
	value any
	err   error
	// mux authenticates r when the caller is first asked for.
	mux *Mux
	r   *http.Request
}

func (c *caller) find() (*account.Actor, any, error) {
	if c.mux.Authenticate == nil {
		return nil, nil, nil
	}
	return c.mux.Authenticate(c.r)
}

// callerContext is a request's context carrying its caller: one
// allocation where context.WithValue and a caller apart are two.
type callerContext struct {
	context.Context
	c caller
}

func (ctx *callerContext) Value(key any) any {
	if key == (callerKey{}) {
		return &ctx.c
	}
	return ctx.Context.Value(key)
}

// guard authenticates non-public routes and refuses roles outside the
// rule. Public routes get the caller lazily: an anonymous request costs
// nothing.
func (m *Mux) guard(a Access, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := &callerContext{Context: r.Context()}
		r = r.WithContext(ctx)
		c := &ctx.c
		c.mux, c.r = m, r
		if !a.Public {
			who, err := c.get()
			if err == nil && who == nil {
				err = apperr.New(apperr.Unauthorized, "", "log in or send Authorization: Bearer <API token>")
			} else if err == nil && !a.Allows(who.Role) {
				err = apperr.New(apperr.Forbidden, "role", "a %s may not do this", who.Role)
			}
			if err != nil {
				m.deny(w, r, a, err)
				return
			}
		}
		h.ServeHTTP(w, r)
	})
}

func (c *caller) get() (*account.Actor, error) {
	if !c.done {
		c.actor, c.value, c.err = c.find()
		c.done = true
	}
	return c.actor, c.err
}

func (m *Mux) deny(w http.ResponseWriter, r *http.Request, a Access, err error) {
	switch {
	case m.Deny != nil:
		m.Deny(w, r, a, err)
	case m.WriteError != nil:
		m.WriteError(w, r, err)
	default:
		http.Error(w, err.Error(), http.StatusForbidden)
	}
}

// Caller is the staff caller of a request handled by a Mux, found once per
// request; nil for the public.
func Caller(r *http.Request) (*account.Actor, error) {
	c, ok := r.Context().Value(callerKey{}).(*caller)
	if !ok {
		return nil, nil
	}
	return c.get()
}

// LoginURL is the login page that returns to r's address.
func LoginURL(r *http.Request) string {
	return "/console/login?next=" + url.QueryEscape(r.URL.RequestURI())
}

// Value is the authenticator's record of the caller of a request handled
// by a Mux (see Authenticator); ok is false outside a Mux.
func Value(r *http.Request) (v any, ok bool, err error) {
	c, ok := r.Context().Value(callerKey{}).(*caller)
	if !ok {
		return nil, false, nil
	}
	_, err = c.get()
	return c.value, true, err
}
