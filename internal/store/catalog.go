package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/catalog"
)

// HasCatalog reports whether any unit is stored.
func (s *Store) HasCatalog(ctx context.Context) (bool, error) {
	var n int
	err := s.queryRow(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM units LIMIT 1) u").Scan(&n)
	return n > 0, err
}

// codeTables maps an import kind to its table.
var codeTables = map[string]string{
	"units": "units", "items": "items", "halls": "halls", "windows": "windows",
	"workstations": "workstations", "staff": "staff",
}

// ImportCatalog checks c against itself and the stored catalogue and stores
// it whole, or nothing. Records with a known code replace the stored ones.
func (s *Store) ImportCatalog(ctx context.Context, c *catalog.Catalog) error {
	defer s.clearCatalogCache()
	return s.inTx(ctx, func(t tx) error {
		known := map[string]map[string]bool{}
		for kind, table := range codeTables {
			rows, err := t.query(ctx, "SELECT code FROM "+table)
			if err != nil {
				return err
			}
			known[kind] = map[string]bool{}
			for rows.Next() {
				var code string
				if err := rows.Scan(&code); err != nil {
					rows.Close()
					return err
				}
				known[kind][code] = true
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		if err := c.Check(func(kind, code string) bool { return known[kind][code] }); err != nil {
			return err
		}
		return s.putCatalog(ctx, t, c)
	})
}

func (s *Store) putCatalog(ctx context.Context, t tx, c *catalog.Catalog) error {
	// Districts first: agencies refer to them.
	for pass := 0; pass < 2; pass++ {
		for _, u := range c.Units {
			if (u.Kind == catalog.District) != (pass == 0) {
				continue
			}
			if _, err := t.exec(ctx, `INSERT INTO units (code, kind, name_zh, name_en, district) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (code) DO UPDATE SET kind = excluded.kind, name_zh = excluded.name_zh,
				name_en = excluded.name_en, district = excluded.district`,
				u.Code, u.Kind, u.NameZH, u.NameEN, nullable(u.District)); err != nil {
				return fmt.Errorf("unit %s: %w", u.Code, err)
			}
		}
	}
	for _, it := range c.Items {
		if it.NameZH != "" {
			if _, err := t.exec(ctx, `INSERT INTO items (code, name_zh, name_en, unit) VALUES (?, ?, ?, ?)
				ON CONFLICT (code) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en, unit = excluded.unit`,
				it.Code, it.NameZH, it.NameEN, it.Unit); err != nil {
				return fmt.Errorf("item %s: %w", it.Code, err)
			}
		}
		if len(it.Stages) == 0 {
			continue
		}
		if _, err := t.exec(ctx, "DELETE FROM stages WHERE item = ?", it.Code); err != nil {
			return err
		}
		for i, st := range it.Stages {
			if _, err := t.exec(ctx, `INSERT INTO stages (item, code, position, name_zh, name_en) VALUES (?, ?, ?, ?, ?)`,
				it.Code, st.Code, i+1, st.NameZH, st.NameEN); err != nil {
				return fmt.Errorf("stage %s of item %s: %w", st.Code, it.Code, err)
			}
		}
	}
	for _, h := range c.Halls {
		if _, err := t.exec(ctx, `INSERT INTO halls (code, name_zh, name_en, unit, district, address, address_en, hours, hours_en)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (code) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en,
			unit = excluded.unit, district = excluded.district, address = excluded.address, address_en = excluded.address_en,
			hours = excluded.hours, hours_en = excluded.hours_en`,
			h.Code, h.NameZH, h.NameEN, h.Unit, nullable(h.District), h.Address, h.AddressEN, h.Hours, h.HoursEN); err != nil {
			return fmt.Errorf("hall %s: %w", h.Code, err)
		}
	}
	for _, w := range c.Windows {
		if _, err := t.exec(ctx, `INSERT INTO windows (code, hall, name, name_en) VALUES (?, ?, ?, ?)
			ON CONFLICT (code) DO UPDATE SET hall = excluded.hall, name = excluded.name, name_en = excluded.name_en`,
			w.Code, w.Hall, w.Name, w.NameEN); err != nil {
			return fmt.Errorf("window %s: %w", w.Code, err)
		}
	}
	for _, st := range c.Staff {
		if _, err := t.exec(ctx, `INSERT INTO staff (code, name, unit) VALUES (?, ?, ?)
			ON CONFLICT (code) DO UPDATE SET name = excluded.name, unit = excluded.unit`,
			st.Code, st.Name, st.Unit); err != nil {
			return fmt.Errorf("staff %s: %w", st.Code, err)
		}
	}
	for _, w := range c.Workstations {
		if _, err := t.exec(ctx, `INSERT INTO workstations (code, window_code, name, name_en, staff) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (code) DO UPDATE SET window_code = excluded.window_code, name = excluded.name,
			name_en = excluded.name_en, staff = excluded.staff`,
			w.Code, w.Window, w.Name, w.NameEN, nullable(w.Staff)); err != nil {
			return fmt.Errorf("workstation %s: %w", w.Code, err)
		}
	}
	for _, hi := range c.HallItems {
		if _, err := t.exec(ctx, `INSERT INTO hall_items (hall, item) VALUES (?, ?) ON CONFLICT DO NOTHING`,
			hi.Hall, hi.Item); err != nil {
			return fmt.Errorf("hall item %s/%s: %w", hi.Hall, hi.Item, err)
		}
	}
	return putGuides(ctx, t, c.Guides)
}

// notFound turns sql.ErrNoRows into a user-facing not-found error.
func notFound(err error, field, format string, args ...any) error {
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.NotFoundf(field, format, args...)
	}
	return err
}

const unitColumns = "code, kind, name_zh, name_en, COALESCE(district, '')"

func scanUnit(row interface{ Scan(...any) error }) (catalog.Unit, error) {
	var u catalog.Unit
	err := row.Scan(&u.Code, &u.Kind, &u.NameZH, &u.NameEN, &u.District)
	return u, err
}

// Unit returns the unit with code.
func (s *Store) Unit(ctx context.Context, code string) (catalog.Unit, error) {
	return s.units.get(code, func() (catalog.Unit, error) { return s.unit(ctx, code) })
}

func (s *Store) unit(ctx context.Context, code string) (catalog.Unit, error) {
	u, err := scanUnit(s.queryRow(ctx, "SELECT "+unitColumns+" FROM units WHERE code = ?", code))
	return u, notFound(err, "unit", "unknown unit %q", code)
}

// Units returns the units of kind (all when empty), districts first, by code.
func (s *Store) Units(ctx context.Context, kind catalog.UnitKind) ([]catalog.Unit, error) {
	return s.UnitsPage(ctx, UnitPage{Kind: kind})
}

// Item returns the item with code and its stages.
func (s *Store) Item(ctx context.Context, code string) (catalog.Item, error) {
	return s.items.get(code, func() (catalog.Item, error) { return s.item(ctx, code) })
}

func (s *Store) item(ctx context.Context, code string) (catalog.Item, error) {
	var it catalog.Item
	err := s.queryRow(ctx, "SELECT code, name_zh, name_en, unit FROM items WHERE code = ?", code).
		Scan(&it.Code, &it.NameZH, &it.NameEN, &it.Unit)
	if err != nil {
		return it, notFound(err, "item", "unknown item %q", code)
	}
	rows, err := s.query(ctx, "SELECT code, name_zh, name_en FROM stages WHERE item = ? ORDER BY position", code)
	if err != nil {
		return it, fmt.Errorf("stages of %s: %w", code, err)
	}
	defer rows.Close()
	for rows.Next() {
		var st catalog.Stage
		if err := rows.Scan(&st.Code, &st.NameZH, &st.NameEN); err != nil {
			return it, err
		}
		it.Stages = append(it.Stages, st)
	}
	return it, rows.Err()
}

// ItemFilter narrows a list of items.
type ItemFilter struct {
	Unit   string // owning unit
	Hall   string // handled in this hall
	Search string // part of the code or either name, or an alias of one (catalog.SearchTerms)
	After  string // only items whose code sorts after it: the next page
	Limit  int
}

// Items lists items without their stages, by code.
func (s *Store) Items(ctx context.Context, f ItemFilter) ([]catalog.Item, error) {
	var where []string
	var args []any
	if f.Unit != "" {
		where, args = append(where, "unit = ?"), append(args, f.Unit)
	}
	if f.Hall != "" {
		where, args = append(where, "code IN (SELECT item FROM hall_items WHERE hall = ?)"), append(args, f.Hall)
	}
	if terms := catalog.SearchTerms(f.Search); len(terms) > 0 {
		// The words typed, and what their aliases name (社保 → 社会保障).
		var any []string
		for _, t := range terms {
			like := "%" + strings.ToLower(t) + "%"
			if catalog.HasHan(t) {
				any = append(any, "name_zh LIKE ?")
				args = append(args, "%"+t+"%")
				continue
			}
			// A Latin word at the start of a word of the English name, as
			// catalog.Matches does: "id card" is not in "prepaid card".
			any = append(any, "LOWER(code) LIKE ? OR name_zh LIKE ? OR LOWER(name_en) LIKE ? OR LOWER(name_en) LIKE ?")
			args = append(args, like, "%"+t+"%", strings.ToLower(t)+"%", "% "+strings.ToLower(t)+"%")
		}
		where = append(where, "("+strings.Join(any, " OR ")+")")
	}
	if f.After != "" {
		where, args = append(where, "code > ?"), append(args, f.After)
	}
	q := "SELECT code, name_zh, name_en, unit FROM items"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY code"
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list items: %w", err)
	}
	defer rows.Close()
	var out []catalog.Item
	for rows.Next() {
		var it catalog.Item
		if err := rows.Scan(&it.Code, &it.NameZH, &it.NameEN, &it.Unit); err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// Place returns a workstation with its window, hall and staff.
func (s *Store) Place(ctx context.Context, workstation string) (catalog.Place, error) {
	return s.places.get(workstation, func() (catalog.Place, error) { return s.place(ctx, workstation) })
}

func (s *Store) place(ctx context.Context, workstation string) (catalog.Place, error) {
	var p catalog.Place
	var staffCode, staffName, staffUnit sql.NullString
	err := s.queryRow(ctx, `SELECT ws.code, ws.name, ws.name_en, w.code, w.name, w.name_en, h.code, h.name_zh, h.name_en, h.unit,
			COALESCE(h.district, ''), h.address, h.address_en, st.code, st.name, st.unit
		FROM workstations ws
		JOIN windows w ON w.code = ws.window_code
		JOIN halls h ON h.code = w.hall
		LEFT JOIN staff st ON st.code = ws.staff
		WHERE ws.code = ?`, workstation).Scan(
		&p.Workstation.Code, &p.Workstation.Name, &p.Workstation.NameEN, &p.Window.Code, &p.Window.Name, &p.Window.NameEN,
		&p.Hall.Code, &p.Hall.NameZH, &p.Hall.NameEN, &p.Hall.Unit, &p.Hall.District, &p.Hall.Address,
		&p.Hall.AddressEN, &staffCode, &staffName, &staffUnit)
	if err != nil {
		return p, notFound(err, "workstation", "unknown workstation %q", workstation)
	}
	p.Workstation.Window, p.Window.Hall = p.Window.Code, p.Hall.Code
	if staffCode.Valid {
		p.Workstation.Staff = staffCode.String
		p.Staff = &catalog.Staff{Code: staffCode.String, Name: staffName.String, Unit: staffUnit.String}
	}
	return p, nil
}

const hallColumns = "code, name_zh, name_en, unit, COALESCE(district, ''), address, address_en, hours, hours_en"

// Hall returns the hall with code.
func (s *Store) Hall(ctx context.Context, code string) (catalog.Hall, error) {
	var h catalog.Hall
	err := s.queryRow(ctx, "SELECT "+hallColumns+" FROM halls WHERE code = ?", code).
		Scan(&h.Code, &h.NameZH, &h.NameEN, &h.Unit, &h.District, &h.Address, &h.AddressEN, &h.Hours, &h.HoursEN)
	return h, notFound(err, "hall", "unknown hall %q", code)
}

// Exists reports whether a catalogue record of kind ("units", "items",
// "halls", "workstations", "staff") with code is stored.
func (s *Store) Exists(ctx context.Context, kind, code string) (bool, error) {
	table, ok := codeTables[kind]
	if !ok {
		return false, fmt.Errorf("exists: unknown kind %q", kind)
	}
	var n int
	err := s.queryRow(ctx, "SELECT COUNT(*) FROM "+table+" WHERE code = ?", code).Scan(&n)
	return n > 0, err
}

func (s *Store) clearCatalogCache() {
	s.changed()
	s.units.clear()
	s.items.clear()
	s.places.clear()
}
