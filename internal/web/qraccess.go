package web

import (
	"net/http"
	"strings"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/route"
)

// qrStaff is who may print workstation codes: a printed code lets anyone
// rate that window, so the sheets are for the administrator (who keeps
// the catalogue of halls and workstations) and the General Office, behind
// a login. There is no hall-administrator role yet; one bound to halls
// would be added here.
var qrStaff = route.PageRoles(account.Admin, account.Supervisor)

// wantsJSON reports whether the client asked for JSON rather than a page,
// as a rating device's script does: its errors then come as the API's.
func wantsJSON(r *http.Request) bool {
	return strings.HasPrefix(r.Header.Get("Accept"), "application/json")
}
