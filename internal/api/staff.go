package api

import (
	"net/http"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/route"
)

// A staff member's own results are not published: they go to the General
// Office, the 12345 hotline, the administrator and the member themselves.
// Workstations, halls and units stay public: they are places, not people.

// mayReadStaff decides whether the caller of r may see the results or the
// name of staff member code.
func mayReadStaff(r *http.Request, code string) error {
	who, err := route.Caller(r)
	if err != nil {
		return err
	}
	if who == nil {
		return apperr.New(apperr.Unauthorized, "staff", "a staff member's results are for staff roles: log in")
	}
	switch {
	case who.Role == account.Supervisor, who.Role == account.Operator, who.Role == account.Admin:
		return nil
	case who.Role == account.Staff && who.Staff == code:
		return nil
	}
	return apperr.New(apperr.Forbidden, "staff", "a %s may not see another staff member's results", who.Role)
}
