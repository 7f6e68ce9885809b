package recount_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/api"
	"github.com/haocha/haocha/internal/intake"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/route"
	"github.com/haocha/haocha/internal/store/storetest"
)

// TestRecountAfterAHeldFlood: a flood of one-star reviews from one
// address is held out of the index; the published boards then agree with
// the recomputation on every backend, with no negative count (seen on
// PostgreSQL in an earlier session).
func TestRecountAfterAHeldFlood(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			st := storetest.OpenFixture(t, dsn(t))
			now := storetest.Now.Add(-3 * time.Hour)
			st.Now = func() time.Time { return now }
			in := &intake.Service{Store: st, Salt: []byte("t"), Detector: st, Now: st.Now,
				Limit: review.RateLimit{Max: 30, Window: review.RateWindow, AddressMax: 40, AddressWindow: time.Hour}}
			mux := route.NewMux()
			(&api.API{Store: st, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Intake: in}).Register(mux)
			srv := httptest.NewServer(mux)
			defer srv.Close()
			post := func(body string) int {
				resp, err := srv.Client().Post(srv.URL+"/api/v1/reviews", "application/json", strings.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				return resp.StatusCode
			}
			for i := range 6 {
				now = now.Add(10 * time.Minute)
				post(fmt.Sprintf(`{"channel":"window","item":"GA-001","stage":"acceptance","workstation":"H1-W1-1","stars":5,"comment":"好 %d","anonymous":true}`, i))
			}
			accepted := 0
			for range 80 {
				now = now.Add(3 * time.Millisecond)
				if post(`{"channel":"window","item":"GA-001","stage":"acceptance","workstation":"H1-W1-1","stars":1,
					"comment":"态度极差，完全不理人","anonymous":true}`) == 201 {
					accepted++
				}
			}
			var held int
			st.DB().QueryRow("SELECT COUNT(*) FROM reviews WHERE held IS NOT NULL").Scan(&held)
			if held == 0 {
				t.Fatalf("no review of the flood held (%d accepted)", accepted)
			}
			now = now.Add(time.Hour)
			res := check(t, st, srv, true)
			for _, d := range res.Differences {
				t.Error(d)
			}
			t.Logf("%d held of %d accepted; %d members compared", held, accepted, res.Members)
		})
	}
}
