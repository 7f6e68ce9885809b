package account

// Role is what a staff account is for.
type Role string

// Staff roles, and the non-staff actors the system acts for.
const (
	Operator   Role = "operator"   // 12345 hotline operator
	Handler    Role = "handler"    // unit handler (承办单位), bound to one unit
	Supervisor Role = "supervisor" // the General Office (市政府办公厅)
	Staff      Role = "staff"      // window staff: sees their own results
	Admin      Role = "admin"      // keeps the catalogue, calendar and accounts
	// Integration is a business system that reports transactions (办件)
	// for the units it is bound to; it sees no work orders.
	Integration Role = "integration"

	Citizen   Role = "citizen"   // the reviewer, through the private link
	Scheduler Role = "scheduler" // the background job
)

// Roles lists the staff roles an account may have.
var Roles = []Role{Operator, Handler, Supervisor, Staff, Admin, Integration}

// Valid reports whether r is a staff role.
func (r Role) Valid() bool {
	for _, k := range Roles {
		if r == k {
			return true
		}
	}
	return false
}

// Actor is who does something: a staff account, the citizen or the
// scheduler.
type Actor struct {
	ID    int64
	Name  string
	Role  Role
	Unit  string // of a handler
	Staff string // staff code of window staff
}

// String names the actor in the audit trail.
func (a Actor) String() string {
	if a.Name == "" {
		return string(a.Role)
	}
	return string(a.Role) + ":" + a.Name
}
