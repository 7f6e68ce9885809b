package hadrill

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/app"
)

// With --db-read on a standby, a review taken by the primary shows in the
// public statistics once the standby has replayed it, and the item's page
// states how fresh its figures are.
func TestReviewAppearsOnTheReplicasFigures(t *testing.T) {
	c := requireCluster(t)
	dsn := freshDatabase(t)
	ctx := context.Background()
	standby, ok := c.Role(ctx, "replica")
	if !ok {
		if standby, ok = c.Role(ctx, "sync_standby"); !ok {
			t.Fatal("no standby to read from")
		}
	}
	m, srv := serve(t, app.Config{DB: dsn, DBRead: replicaDSN(t, dsn, standby)})
	var recovering bool
	if err := m.Figures.DB().QueryRow("SELECT pg_is_in_recovery()").Scan(&recovering); err != nil || !recovering {
		t.Fatalf("the figures are read from a standby: in recovery %v, %v", recovering, err)
	}
	s := generator(7).Next()
	total := func() int64 {
		resp, err := http.Get(srv.URL + "/api/v1/stats?item=" + s.Item)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out struct {
			Total int64 `json:"total"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("stats: %d %v", resp.StatusCode, err)
		}
		return out.Total
	}
	before := total()
	body, _ := json.Marshal(s)
	resp, err := http.Post(srv.URL+"/api/v1/reviews", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("review: %d", resp.StatusCode)
	}
	posted := time.Now()
	for total() != before+1 {
		if time.Since(posted) > 30*time.Second {
			t.Fatalf("the review is not in the figures read from %s after 30s", standby.Name)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("the review was in the figures of %s %v after its 201", standby.Name, time.Since(posted).Round(time.Millisecond))

	resp, err = http.Get(srv.URL + "/items/" + s.Item)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(page), `id="figures-as-of"`) {
		t.Errorf("the item page read from a replica does not say how fresh its figures are")
	}
}
