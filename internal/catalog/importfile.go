package catalog

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/haocha/haocha/internal/apperr"
)

// Catalog is a set of catalogue records, as read from an import file.
type Catalog struct {
	Units        []Unit        `json:"units,omitempty"`
	Items        []Item        `json:"items,omitempty"`
	Halls        []Hall        `json:"halls,omitempty"`
	Windows      []Window      `json:"windows,omitempty"`
	Workstations []Workstation `json:"workstations,omitempty"`
	Staff        []Staff       `json:"staff,omitempty"`
	HallItems    []HallItem    `json:"hall_items,omitempty"`
	Guides       []Guide       `json:"guides,omitempty"`

	file  string
	lines map[string]int // "kind/code" → line in file, for error messages
}

// Kinds of record, as named in import files.
var Kinds = []string{"units", "items", "stages", "halls", "windows", "workstations", "staff", "hall_items", "guides"}

// ImportError names the place in an import file that is wrong.
type ImportError struct {
	File  string
	Line  int
	Field string
	Msg   string
}

func (e *ImportError) Error() string {
	if e.File == "" {
		return fmt.Sprintf("%s: %s", e.Field, e.Msg)
	}
	return fmt.Sprintf("%s:%d: %s: %s", e.File, e.Line, e.Field, e.Msg)
}

// Unwrap lets callers treat every import error as invalid input.
func (e *ImportError) Unwrap() error { return apperr.Invalidf(e.Field, "%s", e.Msg) }

var codeRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$`)

// ReadFile parses an import file. JSON files hold one object with an array
// per kind ({"units":[...],"items":[...]}); CSV files hold one kind each,
// named by the file name (items.csv, 2026-staff.csv) unless kind is given,
// with a header row naming the columns.
func ReadFile(name string, r io.Reader, kind string) (*Catalog, error) {
	c := &Catalog{file: name, lines: map[string]int{}}
	if strings.EqualFold(filepath.Ext(name), ".json") {
		return c, c.readJSON(r)
	}
	if kind == "" {
		stem := strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
		for _, k := range Kinds {
			if stem == k || strings.HasSuffix(stem, "-"+k) || strings.HasSuffix(stem, "_"+k) {
				kind = k
			}
		}
		if kind == "" {
			return nil, &ImportError{name, 1, "kind", fmt.Sprintf("cannot tell the record kind from the file name; name it <kind>.csv with kind one of %s, or pass --kind", strings.Join(Kinds, ", "))}
		}
	}
	if !slices.Contains(Kinds, kind) {
		return nil, &ImportError{name, 1, "kind", fmt.Sprintf("unknown kind %q; want one of %s", kind, strings.Join(Kinds, ", "))}
	}
	return c, c.readCSV(r, kind)
}

func (c *Catalog) fail(line int, field, format string, args ...any) error {
	return &ImportError{c.file, line, field, fmt.Sprintf(format, args...)}
}

func (c *Catalog) readJSON(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("read %s: %w", c.file, err)
	}
	lineAt := func(off int64) int { return 1 + bytes.Count(data[:min(int(off), len(data))], []byte("\n")) }
	if bad := invalidUTF8(data); bad >= 0 {
		return c.fail(lineAt(int64(bad)), "json", "not UTF-8 text at byte %d", bad)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	syntax := func(err error) error {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return c.fail(lineAt(se.Offset), "json", "%v", err)
		}
		return c.fail(lineAt(dec.InputOffset()), "json", "%v", err)
	}
	if tok, err := dec.Token(); err != nil {
		return syntax(err)
	} else if tok != json.Delim('{') {
		return c.fail(1, "json", "the file must hold one object with an array per kind")
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return syntax(err)
		}
		kind, _ := tok.(string)
		if !slices.Contains(Kinds, kind) || kind == "stages" {
			return c.fail(lineAt(dec.InputOffset()), named(kind, "json"), "unknown key %q; want one of units, items, halls, windows, workstations, staff, hall_items, guides", kind)
		}
		if tok, err := dec.Token(); err != nil {
			return syntax(err)
		} else if tok != json.Delim('[') {
			return c.fail(lineAt(dec.InputOffset()), kind, "must be an array")
		}
		for dec.More() {
			// The element starts after the separator that InputOffset sits before.
			off := dec.InputOffset()
			for off < int64(len(data)) && strings.ContainsRune(", \t\r\n", rune(data[off])) {
				off++
			}
			line := lineAt(off)
			if err := c.decodeJSON(dec, kind, line); err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil {
			return syntax(err)
		}
	}
	return nil
}

func (c *Catalog) decodeJSON(dec *json.Decoder, kind string, line int) error {
	var err error
	decode := func(v any) {
		if err = dec.Decode(v); err != nil {
			var te *json.UnmarshalTypeError
			if errors.As(err, &te) {
				err = c.fail(line, kind+"."+te.Field, "wrong type: want %s", te.Type)
				return
			}
			err = c.fail(line, kind, "%v", err)
		}
	}
	switch kind {
	case "units":
		var v Unit
		if decode(&v); err == nil {
			err = c.addUnit(line, v)
		}
	case "items":
		var v Item
		if decode(&v); err == nil {
			err = c.addItem(line, v)
		}
	case "halls":
		var v Hall
		if decode(&v); err == nil {
			err = c.addHall(line, v)
		}
	case "windows":
		var v Window
		if decode(&v); err == nil {
			err = c.addWindow(line, v)
		}
	case "workstations":
		var v Workstation
		if decode(&v); err == nil {
			err = c.addWorkstation(line, v)
		}
	case "staff":
		var v Staff
		if decode(&v); err == nil {
			err = c.addStaff(line, v)
		}
	case "hall_items":
		var v HallItem
		if decode(&v); err == nil {
			err = c.addHallItem(line, v)
		}
	case "guides":
		var v Guide
		if decode(&v); err == nil {
			err = c.addGuide(line, v)
		}
	}
	return err
}

// csvColumns lists each CSV kind's columns; the first ones are required.
var csvColumns = map[string][]string{
	"units":        {"code", "kind", "name_zh", "name_en", "district"},
	"items":        {"code", "name_zh", "unit", "name_en"},
	"stages":       {"item", "code", "name_zh", "name_en"},
	"halls":        {"code", "name_zh", "unit", "district", "name_en", "address", "hours", "hours_en", "address_en"},
	"windows":      {"code", "hall", "name", "name_en"},
	"workstations": {"code", "window", "name", "staff", "name_en"},
	"staff":        {"code", "name", "unit"},
	"hall_items":   {"hall", "item"},
	"guides":       {"item", "lang", "materials", "conditions", "time_limit", "fees", "place", "hours"},
}

var csvRequired = map[string]int{"units": 3, "items": 3, "stages": 3, "halls": 3, "windows": 3, "workstations": 3, "staff": 3, "hall_items": 2, "guides": 2}

func (c *Catalog) readCSV(r io.Reader, kind string) error {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return c.fail(1, "header", "cannot read the header row: %v", err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if !slices.Contains(csvColumns[kind], h) {
			line, _ := cr.FieldPos(i)
			return c.fail(line, named(h, "header"), "unknown column %q for %s; want %s", h, kind, strings.Join(csvColumns[kind], ", "))
		}
		col[h], header[i] = i, h
	}
	for _, need := range csvColumns[kind][:csvRequired[kind]] {
		if _, ok := col[need]; !ok {
			return c.fail(1, need, "missing column")
		}
	}
	items := map[string]int{} // item code → index in c.Items, for stage rows
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return c.fail(pe.Line, "csv", "%v", pe.Err)
			}
			return c.fail(0, "csv", "%v", err)
		}
		line, _ := cr.FieldPos(0)
		for i, v := range rec {
			if !utf8.ValidString(v) {
				l, _ := cr.FieldPos(i)
				name := "csv"
				if i < len(header) {
					name = header[i]
				}
				return c.fail(l, name, "not UTF-8 text")
			}
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		switch kind {
		case "units":
			err = c.addUnit(line, Unit{Code: get("code"), Kind: UnitKind(get("kind")), NameZH: get("name_zh"), NameEN: get("name_en"), District: get("district")})
		case "items":
			err = c.addItem(line, Item{Code: get("code"), NameZH: get("name_zh"), NameEN: get("name_en"), Unit: get("unit")})
		case "stages":
			err = c.addStage(line, items, get("item"), Stage{Code: get("code"), NameZH: get("name_zh"), NameEN: get("name_en")})
		case "halls":
			err = c.addHall(line, Hall{Code: get("code"), NameZH: get("name_zh"), NameEN: get("name_en"), Unit: get("unit"), District: get("district"), Address: get("address"), AddressEN: get("address_en"), Hours: get("hours"), HoursEN: get("hours_en")})
		case "windows":
			err = c.addWindow(line, Window{Code: get("code"), Hall: get("hall"), Name: get("name"), NameEN: get("name_en")})
		case "workstations":
			err = c.addWorkstation(line, Workstation{Code: get("code"), Window: get("window"), Name: get("name"), NameEN: get("name_en"), Staff: get("staff")})
		case "staff":
			err = c.addStaff(line, Staff{Code: get("code"), Name: get("name"), Unit: get("unit")})
		case "hall_items":
			err = c.addHallItem(line, HallItem{Hall: get("hall"), Item: get("item")})
		case "guides":
			// A cell of materials holds one material a line.
			err = c.addGuide(line, Guide{Item: get("item"), Lang: get("lang"), Materials: splitMaterials(get("materials")),
				Conditions: get("conditions"), TimeLimit: get("time_limit"), Fees: get("fees"), Place: get("place"), Hours: get("hours")})
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// record notes a record's line, refusing a second record of the same code.
func (c *Catalog) record(line int, kind, code string) error {
	if !codeRE.MatchString(code) {
		if code == "" {
			return c.fail(line, "code", "required")
		}
		return c.fail(line, "code", "%q is not a code: use up to 64 letters, digits, '.', '_' or '-'", code)
	}
	key := kind + "/" + code
	if prev, ok := c.lines[key]; ok {
		return c.fail(line, "code", "%q repeats the %s on line %d", code, strings.TrimSuffix(kind, "s"), prev)
	}
	c.lines[key] = line
	return nil
}

// invalidUTF8 is the offset of the first byte of data that is not UTF-8,
// or -1: encoding/json would silently turn it into U+FFFD.
func invalidUTF8(data []byte) int {
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return -1
}

// named is name, or where it was found when it is empty: an error must
// point somewhere.
func named(name, where string) string {
	if name == "" {
		return where
	}
	return name
}

func required(c *Catalog, line int, fields ...string) error {
	for i := 0; i < len(fields); i += 2 {
		if fields[i+1] == "" {
			return c.fail(line, fields[i], "required")
		}
	}
	return nil
}

func (c *Catalog) addUnit(line int, u Unit) error {
	if err := c.record(line, "units", u.Code); err != nil {
		return err
	}
	if u.Kind != District && u.Kind != Agency {
		return c.fail(line, "kind", "%q: want district or agency", u.Kind)
	}
	if u.Kind == District && u.District == "" {
		u.District = u.Code
	}
	if err := required(c, line, "name_zh", u.NameZH); err != nil {
		return err
	}
	c.Units = append(c.Units, u)
	return nil
}

func (c *Catalog) addItem(line int, it Item) error {
	if err := c.record(line, "items", it.Code); err != nil {
		return err
	}
	if err := required(c, line, "name_zh", it.NameZH, "unit", it.Unit); err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, s := range it.Stages {
		if !codeRE.MatchString(s.Code) {
			return c.fail(line, "stages.code", "%q is not a stage code", s.Code)
		}
		if seen[s.Code] {
			return c.fail(line, "stages.code", "stage %q repeats", s.Code)
		}
		seen[s.Code] = true
		if s.NameZH == "" {
			return c.fail(line, "stages.name_zh", "required for stage %q", s.Code)
		}
	}
	c.Items = append(c.Items, it)
	return nil
}

func (c *Catalog) addStage(line int, index map[string]int, item string, s Stage) error {
	if err := required(c, line, "item", item); err != nil {
		return err
	}
	i, ok := index[item]
	if !ok {
		// Stages of an item already in the database replace its stage list.
		i = len(c.Items)
		index[item] = i
		c.Items = append(c.Items, Item{Code: item})
		c.lines["stages/"+item] = line
	}
	it := c.Items[i]
	if !codeRE.MatchString(s.Code) {
		return c.fail(line, "code", "%q is not a stage code", s.Code)
	}
	if _, dup := it.Stage(s.Code); dup {
		return c.fail(line, "code", "stage %q of item %q repeats", s.Code, item)
	}
	if err := required(c, line, "name_zh", s.NameZH); err != nil {
		return err
	}
	c.Items[i].Stages = append(c.Items[i].Stages, s)
	return nil
}

func (c *Catalog) addHall(line int, h Hall) error {
	if err := c.record(line, "halls", h.Code); err != nil {
		return err
	}
	if err := required(c, line, "name_zh", h.NameZH, "unit", h.Unit); err != nil {
		return err
	}
	h.Hours, h.HoursEN = strings.TrimSpace(h.Hours), strings.TrimSpace(h.HoursEN)
	for _, f := range []struct{ name, text string }{{"hours", h.Hours}, {"hours_en", h.HoursEN}} {
		if msg := checkText(f.text, MaxHoursLen, false); msg != "" {
			return c.fail(line, f.name, "%s", msg)
		}
	}
	c.Halls = append(c.Halls, h)
	return nil
}

func (c *Catalog) addWindow(line int, w Window) error {
	if err := c.record(line, "windows", w.Code); err != nil {
		return err
	}
	if err := required(c, line, "hall", w.Hall, "name", w.Name); err != nil {
		return err
	}
	w.Name, w.NameEN = strings.TrimSpace(w.Name), strings.TrimSpace(w.NameEN)
	if err := c.checkPlaceNames(line, w.Name, w.NameEN); err != nil {
		return err
	}
	c.Windows = append(c.Windows, w)
	return nil
}

func (c *Catalog) addWorkstation(line int, w Workstation) error {
	if err := c.record(line, "workstations", w.Code); err != nil {
		return err
	}
	if err := required(c, line, "window", w.Window, "name", w.Name); err != nil {
		return err
	}
	w.Name, w.NameEN = strings.TrimSpace(w.Name), strings.TrimSpace(w.NameEN)
	if err := c.checkPlaceNames(line, w.Name, w.NameEN); err != nil {
		return err
	}
	c.Workstations = append(c.Workstations, w)
	return nil
}

// checkPlaceNames bounds a window's or workstation's names.
func (c *Catalog) checkPlaceNames(line int, zh, en string) error {
	for _, f := range []struct{ name, text string }{{"name", zh}, {"name_en", en}} {
		if msg := checkText(f.text, MaxPlaceNameLen, false); msg != "" {
			return c.fail(line, f.name, "%s", msg)
		}
	}
	return nil
}

func (c *Catalog) addStaff(line int, s Staff) error {
	if err := c.record(line, "staff", s.Code); err != nil {
		return err
	}
	if err := required(c, line, "name", s.Name, "unit", s.Unit); err != nil {
		return err
	}
	c.Staff = append(c.Staff, s)
	return nil
}

func (c *Catalog) addHallItem(line int, hi HallItem) error {
	if err := required(c, line, "hall", hi.Hall, "item", hi.Item); err != nil {
		return err
	}
	key := "hall_items/" + hi.Hall + "|" + hi.Item
	if prev, ok := c.lines[key]; ok {
		return c.fail(line, "item", "repeats line %d", prev)
	}
	c.lines[key] = line
	c.HallItems = append(c.HallItems, hi)
	return nil
}

func (c *Catalog) addGuide(line int, g Guide) error {
	if err := required(c, line, "item", g.Item, "lang", g.Lang); err != nil {
		return err
	}
	if !slices.Contains(guideLangs, g.Lang) {
		return c.fail(line, "lang", "%q: want zh or en", g.Lang)
	}
	key := "guides/" + g.Item + "|" + g.Lang
	if prev, ok := c.lines[key]; ok {
		return c.fail(line, "lang", "the %s guide of %q repeats line %d", g.Lang, g.Item, prev)
	}
	c.lines[key] = line
	if len(g.Materials) > MaxMaterials {
		return c.fail(line, "materials", "at most %d materials, got %d", MaxMaterials, len(g.Materials))
	}
	var materials []string
	for _, m := range g.Materials {
		if m = strings.TrimSpace(m); m == "" {
			continue
		}
		if msg := checkText(m, MaxMaterialLen, false); msg != "" {
			return c.fail(line, "materials", "%q: %s", m, msg)
		}
		materials = append(materials, m)
	}
	g.Materials = materials
	g.Conditions, g.TimeLimit, g.Fees = strings.TrimSpace(g.Conditions), strings.TrimSpace(g.TimeLimit), strings.TrimSpace(g.Fees)
	g.Place, g.Hours = strings.TrimSpace(g.Place), strings.TrimSpace(g.Hours)
	for _, f := range []struct {
		name, text string
		max        int
	}{{"conditions", g.Conditions, MaxConditionsLen}, {"time_limit", g.TimeLimit, MaxTimeLimitLen},
		{"fees", g.Fees, MaxFeesLen}, {"place", g.Place, MaxPlaceLen}, {"hours", g.Hours, MaxHoursLen}} {
		if msg := checkText(f.text, f.max, f.name == "conditions"); msg != "" {
			return c.fail(line, f.name, "%s", msg)
		}
	}
	c.Guides = append(c.Guides, g)
	return nil
}

// Known reports whether a record of kind ("units", "items", ...) with code
// already exists outside the file, in the database being imported into.
type Known func(kind, code string) bool

// Check verifies every reference in the file against the file itself and
// known, and the rules that span records.
func (c *Catalog) Check(known Known) error {
	inFile := map[string]bool{}
	units := map[string]Unit{}
	for _, u := range c.Units {
		units[u.Code] = u
		inFile["units/"+u.Code] = true
	}
	for _, it := range c.Items {
		inFile["items/"+it.Code] = it.NameZH != ""
	}
	for _, h := range c.Halls {
		inFile["halls/"+h.Code] = true
	}
	for _, w := range c.Windows {
		inFile["windows/"+w.Code] = true
	}
	for _, st := range c.Staff {
		inFile["staff/"+st.Code] = true
	}
	has := func(kind, code string) bool { return inFile[kind+"/"+code] || known(kind, code) }
	line := func(kind, code string) int { return c.lines[kind+"/"+code] }
	for _, u := range c.Units {
		if u.Kind == Agency && u.District != "" && !has("units", u.District) {
			return c.fail(line("units", u.Code), "district", "unknown district %q", u.District)
		}
		if d, ok := units[u.District]; ok && u.District != "" && d.Kind != District {
			return c.fail(line("units", u.Code), "district", "%q is not a district", u.District)
		}
	}
	for _, it := range c.Items {
		l := line("items", it.Code)
		if it.NameZH == "" { // a stages-only record for an existing item
			l = c.lines["stages/"+it.Code]
			if !known("items", it.Code) {
				return c.fail(l, "item", "unknown item %q", it.Code)
			}
			continue
		}
		if !has("units", it.Unit) {
			return c.fail(l, "unit", "unknown unit %q", it.Unit)
		}
	}
	for _, h := range c.Halls {
		if !has("units", h.Unit) {
			return c.fail(line("halls", h.Code), "unit", "unknown unit %q", h.Unit)
		}
		if h.District != "" && !has("units", h.District) {
			return c.fail(line("halls", h.Code), "district", "unknown district %q", h.District)
		}
	}
	for _, w := range c.Windows {
		if !has("halls", w.Hall) {
			return c.fail(line("windows", w.Code), "hall", "unknown hall %q", w.Hall)
		}
	}
	for _, w := range c.Workstations {
		if !has("windows", w.Window) {
			return c.fail(line("workstations", w.Code), "window", "unknown window %q", w.Window)
		}
		if w.Staff != "" && !has("staff", w.Staff) {
			return c.fail(line("workstations", w.Code), "staff", "unknown staff %q", w.Staff)
		}
	}
	for _, s := range c.Staff {
		if !has("units", s.Unit) {
			return c.fail(line("staff", s.Code), "unit", "unknown unit %q", s.Unit)
		}
	}
	for _, g := range c.Guides {
		if !has("items", g.Item) {
			return c.fail(c.lines["guides/"+g.Item+"|"+g.Lang], "item", "unknown item %q", g.Item)
		}
	}
	for _, hi := range c.HallItems {
		l := c.lines["hall_items/"+hi.Hall+"|"+hi.Item]
		if !has("halls", hi.Hall) {
			return c.fail(l, "hall", "unknown hall %q", hi.Hall)
		}
		if !has("items", hi.Item) {
			return c.fail(l, "item", "unknown item %q", hi.Item)
		}
	}
	return nil
}
