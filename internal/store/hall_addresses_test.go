package store_test

import (
	"context"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/demo"
	"github.com/haocha/haocha/internal/store"
)

const hallAddressesMigration = "migrations/0156_hall_addresses_en.sql"

// TestHallAddressesMigrationMatchesDemo: migration 0156 gives every demo
// hall the English of the address the demo catalogue gives it, so a demo
// database loaded before English addresses gets the same as a new one.
func TestHallAddressesMigrationMatchesDemo(t *testing.T) {
	raw, err := os.ReadFile(hallAddressesMigration)
	if err != nil {
		t.Fatal(err)
	}
	text := `'((?:[^']|'')*)'` // a SQL string, '' for a quote
	row := regexp.MustCompile(`\(` + text + `, ` + text + `, ` + text + `\)`)
	unquote := func(s string) string { return strings.ReplaceAll(s, "''", "'") }
	inFile := map[string][2]string{}
	for _, m := range row.FindAllStringSubmatch(string(raw), -1) {
		inFile[m[1]] = [2]string{unquote(m[2]), unquote(m[3])}
	}
	halls := demo.Catalog().Halls
	if len(inFile) != len(halls) {
		t.Errorf("the migration names %d halls, the demo has %d", len(inFile), len(halls))
	}
	for _, h := range halls {
		if got := inFile[h.Code]; got != [2]string{h.Address, h.AddressEN} || h.AddressEN == "" {
			t.Errorf("%s: migration %q, demo %q / %q", h.Code, got, h.Address, h.AddressEN)
		}
	}
}

// TestHallAddressesMigrationUpdate: the migration's update sets the English
// address of a demo hall that has its demo address and none in English,
// and leaves a hall alone whose address is another city's or whose English
// someone gave.
func TestHallAddressesMigrationUpdate(t *testing.T) {
	raw, err := os.ReadFile(hallAddressesMigration)
	if err != nil {
		t.Fatal(err)
	}
	_, update, ok := strings.Cut(string(raw), "DEFAULT '';")
	if !ok {
		t.Fatal("no update after the column in the migration")
	}
	eachBackend(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		demoHall := demo.Catalog().Halls[0]
		c := &catalog.Catalog{Halls: []catalog.Hall{
			{Code: demoHall.Code, NameZH: demoHall.NameZH, Unit: demoHall.Unit, Address: demoHall.Address},
			{Code: "H310101-01", NameZH: "别处", Unit: demoHall.Unit, Address: "另一个城市的地址"},
			{Code: "H310101-02", NameZH: "已有", Unit: demoHall.Unit, Address: demo.Catalog().Halls[2].Address, AddressEN: "Given by hand"},
		}}
		if err := st.ImportCatalog(ctx, c); err != nil {
			t.Fatal(err)
		}
		if _, err := st.DB().ExecContext(ctx, update); err != nil {
			t.Fatal(err)
		}
		for code, want := range map[string]string{demoHall.Code: demoHall.AddressEN, "H310101-01": "", "H310101-02": "Given by hand"} {
			h, err := st.Hall(ctx, code)
			if err != nil {
				t.Fatal(err)
			}
			if h.AddressEN != want {
				t.Errorf("%s: English address %q, want %q", code, h.AddressEN, want)
			}
		}
	})
}
