package store_test

import (
	"database/sql"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/store/storetest"
)

// BenchmarkStoreGroup stores groups of 1, 4 and 16 honest reviews (a
// device and a network each, under the shipped limits) as a committer does
// under load, without HTTP: the group commit's own cost, in this process's
// CPU per review and, on PostgreSQL, the database backends' (BackendsCPU).
// Intake's groups are of every size up to the clients waiting; the sizes
// apart show what a group costs whatever its size:
//
//	go test ./internal/store -run '^$' -bench StoreGroup
//
// The limits=none cases store the same groups with no rate counted in the
// database: nothing to read before the inserts, so on PostgreSQL, with the
// numbers drawn ahead (seqpool.go), a group is one round trip.
func BenchmarkStoreGroup(b *testing.B) {
	for _, group := range []int{1, 4, 16} {
		for name, dsn := range storetest.Backends(b) {
			for _, limits := range []string{"counted", "none"} {
				b.Run(fmt.Sprintf("%s/group=%d/limits=%s", name, group, limits), func(b *testing.B) {
					benchStoreGroup(b, dsn, group, limits == "counted")
				})
			}
		}
	}
}

func benchStoreGroup(b *testing.B, dsn func(testing.TB) string, group int, counted bool) {
	var lim review.RateLimit
	if counted {
		lim = review.RateLimit{Max: 30, Window: review.RateWindow, AddressMax: review.AddressRateMax, AddressWindow: time.Hour}
	}
	d := dsn(b)
	st := storetest.OpenFixture(b, d)
	now := storetest.Now
	st.Now = func() time.Time { return now }
	if err := st.PartitionsAhead(b.Context()); err != nil {
		b.Fatal(err)
	}
	groups := make([][]*review.Review, b.N)
	for i := range groups {
		for j := range group {
			n := i*group + j
			r := mustAccept(b, st, review.Submission{Channel: "pc", Item: "GA-001", Stage: "acceptance", Stars: 1 + n%5,
				Comment: "等了很久", Anonymous: &yes})
			r.ClientMark, r.NetMark = fmt.Sprintf("device-%d", n), fmt.Sprintf("net-%d", n)
			r.CreatedAt = now.Add(time.Duration(n) * time.Millisecond)
			groups[i] = append(groups[i], r)
		}
	}
	// The backends are measured from a connection of their own.
	var mon *sql.DB
	dbCPU := func() time.Duration { return 0 }
	if st.Postgres() {
		var err error
		if mon, err = sql.Open("pgx", d); err != nil {
			b.Fatal(err)
		}
		defer mon.Close()
		dbCPU = func() time.Duration { return storetest.BackendsCPU(b, mon) }
	}
	db0 := dbCPU()
	rate := storetest.StartRate(b)
	for _, g := range groups {
		if _, errs := st.StoreGroup(g, lim); errs[0] != nil {
			b.Fatal(errs[0])
		}
	}
	b.StopTimer()
	rate.Report(b, b.N*group, "review")
	if st.Postgres() {
		b.ReportMetric(float64((dbCPU()-db0).Microseconds())/float64(b.N*group), "db-cpu-µs/review")
	}
}

// BenchmarkConcurrentGroups stores honest reviews from 16 and 64 callers
// at once, as intake's handlers hand them to the committers, with 2, 4 and
// 8 PostgreSQL committers: the reviews a group and, per review, this
// process's CPU and the database backends'. A commit that waits for its
// WAL flush costs its backend the flush, and commits in flight together
// share one; so the backends' CPU a review depends on how many commits are
// in flight, not only on the size of the groups:
//
//	go test ./internal/store -run '^$' -bench ConcurrentGroups -benchtime 4000x
func BenchmarkConcurrentGroups(b *testing.B) {
	for _, clients := range []int{16, 64} {
		for _, committers := range []int{2, 4, 8} {
			b.Run(fmt.Sprintf("clients=%d/committers=%d", clients, committers), func(b *testing.B) {
				defer store.SetPGCommitters(committers)()
				benchConcurrentGroups(b, storetest.PostgresDSN(b), clients)
			})
		}
	}
}

func benchConcurrentGroups(b *testing.B, dsn string, clients int) {
	lim := review.RateLimit{Max: 30, Window: review.RateWindow, AddressMax: review.AddressRateMax, AddressWindow: time.Hour}
	st := storetest.OpenFixture(b, dsn)
	now := storetest.Now
	st.Now = func() time.Time { return now }
	if err := st.PartitionsAhead(b.Context()); err != nil {
		b.Fatal(err)
	}
	rs := make([]*review.Review, b.N)
	for n := range rs {
		r := mustAccept(b, st, review.Submission{Channel: "pc", Item: "GA-001", Stage: "acceptance", Stars: 1 + n%5,
			Comment: "等了很久", Anonymous: &yes})
		r.ClientMark, r.NetMark = fmt.Sprintf("device-%d", n), fmt.Sprintf("net-%d", n)
		r.CreatedAt = now.Add(time.Duration(n) * time.Millisecond)
		rs[n] = r
	}
	mon, err := sql.Open("pgx", dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer mon.Close()
	db0, commits := storetest.BackendsCPU(b, mon), st.GroupCommits()
	rate := storetest.StartRate(b)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := next.Add(1) - 1; n < int64(len(rs)); n = next.Add(1) - 1 {
				if _, err := st.CreateReview(b.Context(), rs[n], lim); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	rate.Report(b, b.N, "review")
	b.ReportMetric(float64((storetest.BackendsCPU(b, mon)-db0).Microseconds())/float64(b.N), "db-cpu-µs/review")
	b.ReportMetric(float64(b.N)/float64(st.GroupCommits()-commits), "reviews/group")
}
