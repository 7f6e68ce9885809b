package hadrill

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"net/http"
	"syscall"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/app"
)

// A commit whose wait for the synchronous standby is cancelled (here by
// pg_cancel_backend while the standby's WAL receiver is stopped) is done
// on the primary alone and answered by PostgreSQL as success, with a
// warning: Haocha answers 503, not 201, as a failover could lose it.
func TestUnconfirmedCommitIsNotAcknowledged(t *testing.T) {
	c := requireCluster(t)
	dsn := freshDatabase(t)
	ctx := context.Background()
	_, srv := serve(t, app.Config{DB: dsn})

	sync, ok := c.Role(ctx, "sync_standby")
	if !ok {
		t.Fatal("no synchronous standby")
	}
	standby, err := sql.Open("pgx", replicaDSN(t, dsn, sync))
	if err != nil {
		t.Fatal(err)
	}
	defer standby.Close()
	var receiver int
	if err := standby.QueryRow("SELECT pid FROM pg_stat_wal_receiver").Scan(&receiver); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(receiver, syscall.SIGSTOP); err != nil {
		t.Fatalf("stop the WAL receiver of %s (needs root): %v", sync.Name, err)
	}
	defer syscall.Kill(receiver, syscall.SIGCONT)

	body, _ := json.Marshal(generator(9).Next())
	type answer struct {
		status int
		retry  string
		body   []byte
	}
	answered := make(chan answer, 1)
	go func() {
		resp, err := http.Post(srv.URL+"/api/v1/reviews", "application/json", bytes.NewReader(body))
		if err != nil {
			answered <- answer{body: []byte(err.Error())}
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		answered <- answer{resp.StatusCode, resp.Header.Get("Retry-After"), b}
	}()
	primary, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer primary.Close()
	var waiting int
	for deadline := time.Now().Add(20 * time.Second); ; {
		err := primary.QueryRow("SELECT pid FROM pg_stat_activity WHERE wait_event = 'SyncRep' LIMIT 1").Scan(&waiting)
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no commit waits for the stopped standby: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if _, err := primary.Exec("SELECT pg_cancel_backend($1)", waiting); err != nil {
		t.Fatal(err)
	}
	a := <-answered
	if a.status != http.StatusServiceUnavailable || a.retry == "" {
		t.Fatalf("a commit the standby did not confirm: %d %s (Retry-After %q); want 503 with Retry-After", a.status, a.body, a.retry)
	}
}
