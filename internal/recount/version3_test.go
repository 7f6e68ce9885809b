package recount_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/board"
	"github.com/haocha/haocha/internal/demo/demotest"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/store/storetest"
)

// TestRecountFollowsVersion3: over a period under definition version 3
// the SQL recomputation agrees with the server where the rules of version
// 3 matter: unverified reviews naming a workstation (imported from before
// the levels existed), which the hall, window, workstation and staff
// figures leave out; an order past its dispatch deadline and never
// dispatched, which counts for the centre only; and, after an
// administrator sets unverified_weight to 0.5 (data, not code), unverified
// reviews weighed at one half in the other scopes.
func TestRecountFollowsVersion3(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			st, setNow := demotest.City(t, dsn(t), 20)
			now := demotest.Now
			importLegacy(t, st, now)
			var undispatched int
			if err := st.DB().QueryRow(st.Rebind("SELECT COUNT(*) FROM work_orders WHERE first_dispatched_at IS NULL AND created_at < ?"),
				now.AddDate(0, 0, -3).UnixMilli()).Scan(&undispatched); err != nil || undispatched == 0 {
				t.Fatalf("no order left undispatched past its deadline (%v)", err)
			}
			srv := serve(t, st)
			res := check(t, st, srv, true)
			for _, d := range res.Differences {
				t.Error(d)
			}
			if _, err := st.DB().Exec(`UPDATE index_definitions SET definition = REPLACE(definition, '"unverified_weight":0,', '"unverified_weight":0.5,') WHERE version = 3`); err != nil {
				t.Fatal(err)
			}
			now = now.Add((1+board.StaleFor)*board.DefaultTTL + time.Second) // past the boards' cache and the bound they are served stale to
			setNow(now)
			res = check(t, st, srv, true)
			for _, d := range res.Differences {
				t.Error("at unverified_weight 0.5:", d)
			}
			t.Logf("%d members compared", res.Members)
		})
	}
}

// importLegacy stores, as an import of history does, 40 unverified
// one- and two-star reviews naming the workstations of demo reviews, and
// one bad review with a comment four days ago whose work order nobody
// dispatches.
func importLegacy(t *testing.T, st *store.Store, now time.Time) {
	t.Helper()
	ctx := context.Background()
	set, err := st.ActiveDimensionSet(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := st.DB().Query(`SELECT item, stage, unit, COALESCE(district, ''), hall, window_code, workstation, COALESCE(staff, '')
		FROM reviews WHERE workstation IS NOT NULL ORDER BY id LIMIT 40`)
	if err != nil {
		t.Fatal(err)
	}
	var rs []*review.Review
	for i := 0; rows.Next(); i++ {
		r := &review.Review{Channel: review.Channel("kiosk"), Stars: 1 + i%2, DimensionSet: set.ID, Anonymous: true,
			Origin: review.Free, Verification: review.Unverified, CreatedAt: now.Add(-time.Duration(i+1) * time.Hour)}
		if err := rows.Scan(&r.Item, &r.Stage, &r.Unit, &r.District, &r.Hall, &r.Window, &r.Workstation, &r.Staff); err != nil {
			t.Fatal(err)
		}
		rs = append(rs, r)
	}
	rows.Close()
	if len(rs) < 40 {
		t.Fatalf("only %d demo reviews name a workstation", len(rs))
	}
	late := *rs[0]
	late.Stars, late.Comment, late.Verification, late.CreatedAt = 1, "等了两个小时没人管", review.ByPresence, now.AddDate(0, 0, -4)
	if err := st.CreateReviews(ctx, append(rs, &late)); err != nil {
		t.Fatal(err)
	}
	var n sql.NullInt64
	if err := st.DB().QueryRow("SELECT COUNT(*) FROM reviews WHERE verification = 'unverified' AND workstation IS NOT NULL").Scan(&n); err != nil || n.Int64 < 40 {
		t.Fatalf("%d unverified reviews name a workstation (%v), want 40", n.Int64, err)
	}
}
