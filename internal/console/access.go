package console

import (
	"net/http"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/httpjson"
	"github.com/haocha/haocha/internal/route"
)

// Who may call the console's routes: route.Mux refuses anybody else
// before a handler runs; the handlers decide the finer points (which
// action on which order, another unit's order as 404).
var (
	pageAnyone   = route.PageRoles(account.Roles...)
	pageAdmin    = route.PageRoles(account.Admin)
	pageOrders   = route.PageRoles(orderRoles...)
	orderRoles   = []account.Role{account.Operator, account.Handler, account.Supervisor}
	alertReaders = []account.Role{account.Supervisor, account.Operator, account.Handler}
)

// Deny answers a request route.Mux refused: a page sends the caller
// without credentials to the login form and shows a refusal as a page;
// the API answers JSON.
func (c *Console) Deny(w http.ResponseWriter, r *http.Request, a route.Access, err error) {
	if !a.Page {
		httpjson.WriteError(w, r, c.Log, err)
		return
	}
	wh, _ := c.authenticate(r)
	if wh == nil && apperr.Is(err, apperr.Unauthorized) {
		http.Redirect(w, r, route.LoginURL(r), http.StatusSeeOther)
		return
	}
	c.renderError(w, r, wh, err)
}
