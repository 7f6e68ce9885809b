package web

import (
	"github.com/haocha/haocha/internal/route"
	"github.com/haocha/haocha/internal/workorder"
)

// qrStaff is who may print workstation codes: a printed code lets anyone
// rate that window, so the sheets are for the administrator (who keeps
// the catalogue of halls and workstations) and the General Office, behind
// a login. There is no hall-administrator role yet; one bound to halls
// would be added here.
var qrStaff = route.PageRoles(workorder.Admin, workorder.Supervisor)
