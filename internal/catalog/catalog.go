// Package catalog holds the service catalogue: units (districts and
// agencies), service items and their stages, and the physical places where
// services are given: halls, windows, workstations, and the staff at them.
package catalog

// UnitKind tells a district government from a municipal agency.
type UnitKind string

// Unit kinds.
const (
	District UnitKind = "district"
	Agency   UnitKind = "agency"
)

// Unit is an agency or a district: whoever is rated and receives work orders.
type Unit struct {
	Code   string   `json:"code"`
	Kind   UnitKind `json:"kind"`
	NameZH string   `json:"name_zh"`
	NameEN string   `json:"name_en,omitempty"`
	// District is the district the unit belongs to: its own code for a
	// district, the district of a district-level agency, empty for a
	// municipal agency.
	District string `json:"district,omitempty"`
}

// Name returns the unit's name in lang ("en" or Chinese by default).
func (u Unit) Name(lang string) string { return pick(lang, u.NameZH, u.NameEN) }

// Item is a government service item (事项) with its ordered stages.
type Item struct {
	Code   string  `json:"code"`
	NameZH string  `json:"name_zh"`
	NameEN string  `json:"name_en,omitempty"`
	Unit   string  `json:"unit"`
	Stages []Stage `json:"stages"`
}

// Name returns the item's name in lang.
func (i Item) Name(lang string) string { return pick(lang, i.NameZH, i.NameEN) }

// Stage returns the stage with code, and whether the item has it.
func (i Item) Stage(code string) (Stage, bool) {
	for _, s := range i.Stages {
		if s.Code == code {
			return s, true
		}
	}
	return Stage{}, false
}

// Stage is one handling stage (办理环节) of an item.
type Stage struct {
	Code   string `json:"code"`
	NameZH string `json:"name_zh"`
	NameEN string `json:"name_en,omitempty"`
}

// Name returns the stage's name in lang.
func (s Stage) Name(lang string) string { return pick(lang, s.NameZH, s.NameEN) }

// Hall is a physical service hall (实体大厅), run by a unit in a district.
type Hall struct {
	Code     string `json:"code"`
	NameZH   string `json:"name_zh"`
	NameEN   string `json:"name_en,omitempty"`
	Unit     string `json:"unit"`
	District string `json:"district,omitempty"`
	Address  string `json:"address,omitempty"`
	// AddressEN is the address in English; empty where it has none.
	AddressEN string `json:"address_en,omitempty"`
	// Hours are the opening hours, in Chinese and in English.
	Hours   string `json:"hours,omitempty"`
	HoursEN string `json:"hours_en,omitempty"`
}

// Name returns the hall's name in lang.
func (h Hall) Name(lang string) string { return pick(lang, h.NameZH, h.NameEN) }

// AddressIn returns the hall's address in lang: the Chinese one where it
// has no English.
func (h Hall) AddressIn(lang string) string { return pick(lang, h.Address, h.AddressEN) }

// OpeningHours returns the hall's opening hours in lang.
func (h Hall) OpeningHours(lang string) string { return pick(lang, h.Hours, h.HoursEN) }

// Window is a service window (窗口) in a hall.
type Window struct {
	Code string `json:"code"`
	Hall string `json:"hall"`
	// Name is the Chinese name, NameEN the English one (optional). The
	// field keeps its name, which predates English, so NameIn picks.
	Name   string `json:"name"`
	NameEN string `json:"name_en,omitempty"`
}

// NameIn returns the window's name in lang, the Chinese one when it has no
// English name.
func (w Window) NameIn(lang string) string { return pick(lang, w.Name, w.NameEN) }

// Workstation is one rated seat (工位) at a window, with its own QR code.
type Workstation struct {
	Code   string `json:"code"`
	Window string `json:"window"`
	Name   string `json:"name"`
	NameEN string `json:"name_en,omitempty"`
	// Staff is the code of the staff member assigned, empty when vacant.
	Staff string `json:"staff,omitempty"`
}

// NameIn returns the workstation's name in lang, the Chinese one when it
// has no English name.
func (w Workstation) NameIn(lang string) string { return pick(lang, w.Name, w.NameEN) }

// Staff is a member of a unit's window staff.
type Staff struct {
	Code string `json:"code"`
	Name string `json:"name"`
	Unit string `json:"unit"`
}

// HallItem says that a hall handles an item.
type HallItem struct {
	Hall string `json:"hall"`
	Item string `json:"item"`
}

// Place is a workstation with everything a review at it needs to know.
type Place struct {
	Workstation Workstation `json:"workstation"`
	Window      Window      `json:"window"`
	Hall        Hall        `json:"hall"`
	Staff       *Staff      `json:"staff,omitempty"`
}

func pick(lang, zh, en string) string {
	if lang == "en" && en != "" {
		return en
	}
	return zh
}
