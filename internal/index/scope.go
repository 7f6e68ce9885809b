package index

// Scope is what the counts are grouped by: the city as a whole or one axis
// of the catalogue.
type Scope string

// Scopes of the index.
const (
	City        Scope = "city"
	District    Scope = "district"
	Agency      Scope = "agency" // units that are municipal agencies
	Unit        Scope = "unit"   // agencies and districts as units
	Hall        Scope = "hall"
	Window      Scope = "window"
	Workstation Scope = "workstation"
	Staff       Scope = "staff"
	Item        Scope = "item"
	Stage       Scope = "stage" // a stage code across items (受理, 审查, …)
	Channel     Scope = "channel"
	// Centre is the 12345 hotline centre's own board: one member, judged
	// for what its operators did (CentreEntry), not through the units.
	Centre Scope = "centre"
)

// Scopes lists every scope.
var Scopes = []Scope{City, District, Agency, Unit, Hall, Window, Workstation, Staff, Item, Stage, Channel, Centre}

// Valid reports whether s is a known scope.
func (s Scope) Valid() bool {
	for _, k := range Scopes {
		if s == k {
			return true
		}
	}
	return false
}

// Grouped reports whether the counts (the store's IndexCounts, CountRows)
// group reviews by s: every scope but the centre, whose board is the
// city's orders (CentreEntry).
func (s Scope) Grouped() bool { return s.Valid() && s != Centre }

// Public reports whether results of scope s may be published to everyone:
// a staff member's results are for staff roles only.
func (s Scope) Public() bool { return s.Valid() && s != Staff }

// Parent is the scope whose value a scope's S and B are shrunk toward. The
// city is the parent of every scope: it is the one value every member of a
// ranking shares.
func (s Scope) Parent() Scope { return City }
