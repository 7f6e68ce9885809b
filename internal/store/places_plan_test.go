package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/store/storetest"
)

// A unit's or a district's page lists the workstations of its halls on
// every view: they are found from its halls (halls_unit, halls_district)
// and through windows_hall and workstations_window, never by reading
// every workstation of the city, on both backends (a third of a unit
// page's time at a city's 5,000 workstations before migration 0200).
func TestPlacesOfAUnitStartFromItsHalls(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			st := storetest.Open(t, dsn(t))
			for f, want := range map[store.PlaceFilter]string{{Unit: "310101"}: "halls_unit", {District: "310101"}: "halls_district"} {
				q := st.PlacesQuery(f)
				var steps []string
				if st.Postgres() {
					tx, err := st.DB().BeginTx(context.Background(), nil)
					if err != nil {
						t.Fatal(err)
					}
					var walk func(n pgNode)
					walk = func(n pgNode) {
						steps = append(steps, n.Type+" "+n.Relation+" "+n.Index)
						for _, c := range n.Plans {
							walk(c)
						}
					}
					walk(pgExplain(t, tx, q))
					tx.Rollback()
				} else {
					rows, err := st.DB().Query("EXPLAIN QUERY PLAN "+q.Query, q.Args...)
					if err != nil {
						t.Fatal(err)
					}
					for rows.Next() {
						var id, parent, unused int
						var detail string
						if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
							t.Fatal(err)
						}
						steps = append(steps, detail)
					}
					rows.Close()
				}
				plan := strings.Join(steps, "\n")
				if !strings.Contains(plan, want) || strings.Contains(plan, "SCAN ws") {
					t.Errorf("places of %+v: want them through %s, plan:\n%s", f, want, plan)
				}
			}
		})
	}
}
