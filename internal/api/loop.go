package api

import (
	"log/slog"
	"net/http"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/alert"
	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/caller"
	"github.com/haocha/haocha/internal/httpjson"
	"github.com/haocha/haocha/internal/report"
	"github.com/haocha/haocha/internal/route"
	"github.com/haocha/haocha/internal/routing"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/transaction"
	"github.com/haocha/haocha/internal/workorder"
)

// Loop serves the closed loop's JSON routes: the work orders for staff
// (by API token or console session), the citizen's follow-up for apps,
// transactions from business systems, and Open311's public view of the
// orders. The consoles' pages use the same services, so one set of rules.
type Loop struct {
	Store   *store.Store
	Log     *slog.Logger
	Service *workorder.Service
	// Transactions takes in transactions reported by business systems.
	Transactions *transaction.Service
	// Telephony bridges a handler's call to a reviewer without showing
	// the number.
	Telephony workorder.Caller
	// Routing keeps the routing rules.
	Routing *routing.Service
	// Reports hands out issued reports and assessments.
	Reports *report.Service
	// Alerts is the concentration-alert service.
	Alerts *alert.Service
	// Callers finds the staff caller of a request.
	Callers caller.Finder
}

// Who may call the loop's routes: route.Mux refuses anybody else before a
// handler runs; the handlers decide the finer points (which action on
// which order, another unit's order as 404).
var (
	orderRoles = []account.Role{account.Operator, account.Handler, account.Supervisor}
	apiOrders  = route.Roles(orderRoles...)
)

// Register adds the loop's JSON and Open311 routes to mux.
func (c *Loop) Register(mux *route.Mux) {
	mux.Handle("POST /api/v1/follow/{token}", route.Public, c.api(c.apiCitizenFollowUp, false))

	mux.Handle("GET /api/v1/me", route.Roles(account.Roles...), c.api(c.apiMe, true))
	mux.Handle("GET /api/v1/orders", apiOrders, c.api(c.apiOrders, true))
	mux.Handle("GET /api/v1/orders/{ref}", apiOrders, c.api(c.apiOrder, true))
	mux.Handle("POST /api/v1/orders/{ref}/{action}", apiOrders, c.api(c.apiAct, true))

	mux.Handle("GET /open311/v2/services.json", route.Public, c.api(c.open311Services, false))
	mux.Handle("GET /open311/v2/requests.json", route.Public, c.api(c.open311Requests, false))
	mux.Handle("GET /open311/v2/requests/{id}", route.Public, c.api(c.open311Request, false))
	mux.Handle("POST /api/v1/transactions", route.Roles(account.Integration), c.api(c.apiReportTransactions, true))
	c.registerCalls(mux)
	c.registerRouting(mux)
	c.registerReports(mux)
	c.registerOperators(mux)
	c.registerAlerts(mux)
	c.registerSuspected(mux)
	c.registerSummary(mux)
}

// api wraps a JSON handler; with auth, it needs an API token or a session,
// and a session's state-changing request its CSRF token.
func (c *Loop) api(h func(http.ResponseWriter, *http.Request, *caller.Staff) error, auth bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, err := c.Callers.Of(r)
		if err == nil && s == nil && auth {
			err = apperr.New(apperr.Unauthorized, "", "log in or send Authorization: Bearer <API token>")
		}
		if err == nil {
			err = caller.CheckCSRF(r, s)
		}
		if err == nil {
			err = h(w, r, s)
		}
		if err != nil {
			httpjson.WriteError(w, r, c.Log, err)
		}
	})
}
