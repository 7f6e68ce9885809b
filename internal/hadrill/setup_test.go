package hadrill

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/haocha/haocha/internal/app"
	"github.com/haocha/haocha/internal/demo"
	"github.com/haocha/haocha/internal/keys"
	"github.com/haocha/haocha/internal/loadgen"
	"github.com/haocha/haocha/internal/review"
)

// The DSN scripts/ha.sh prints, on the database "haocha".
const defaultDSN = "postgres://haocha:haocha@127.0.0.1:5441,127.0.0.1:5442,127.0.0.1:5443/haocha?sslmode=disable&target_session_attrs=read-write&connect_timeout=2"

// requireCluster skips unless HAOCHA_TEST_HA=1; then it uses the cluster
// scripts/ha.sh started, or starts one (and stops it at the end).
func requireCluster(t *testing.T) *Cluster {
	t.Helper()
	if os.Getenv("HAOCHA_TEST_HA") != "1" {
		t.Skip("needs the local Patroni cluster (Debian's patroni and etcd-server, run as root): set HAOCHA_TEST_HA=1; scripts/failover.sh does")
	}
	dir := os.Getenv("HA_DIR")
	if dir == "" {
		dir = "/tmp/haocha-ha"
	}
	c := &Cluster{Dir: dir, APIs: []string{"http://127.0.0.1:8441", "http://127.0.0.1:8442", "http://127.0.0.1:8443"}}
	ctx := context.Background()
	if _, err := c.Members(ctx); err != nil {
		script, _ := filepath.Abs("../../scripts/ha.sh")
		t.Logf("no cluster answers (%v): starting one with %s", err, script)
		if out, err := exec.Command(script, "up").CombinedOutput(); err != nil {
			t.Fatalf("ha.sh up: %v\n%s", err, out)
		}
		t.Cleanup(func() {
			if out, err := exec.Command(script, "down").CombinedOutput(); err != nil {
				t.Errorf("ha.sh down: %v\n%s", err, out)
			}
		})
	}
	wctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if err := c.WaitFor(wctx, "a leader and a synchronous standby", healthy); err != nil {
		t.Fatal(err)
	}
	return c
}

// healthy: a leader, a synchronous standby, every node running.
func healthy(ms []Member) bool {
	roles := map[string]bool{}
	for _, m := range ms {
		if m.State != "running" {
			return false
		}
		roles[m.Role] = true
	}
	return roles["leader"] && roles["sync_standby"]
}

// freshDatabase creates an empty database on the cluster and returns the
// multi-host DSN naming it (HAOCHA_TEST_HA_DSN, or ha.sh's, names the
// cluster).
func freshDatabase(t *testing.T) string {
	t.Helper()
	base := os.Getenv("HAOCHA_TEST_HA_DSN")
	if base == "" {
		base = defaultDSN
	}
	b := make([]byte, 4)
	rand.Read(b)
	name := "haocha_drill_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create database on the cluster: %v", err)
	}
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer admin.Close()
		admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	dsn := u.String()
	// pgx gives up on a multi-host DSN at the first host that says the
	// database does not exist: wait until every standby has replayed it.
	for _, host := range strings.Split(u.Host, ",") {
		one := *u
		one.Host = host
		q := one.Query()
		q.Del("target_session_attrs")
		one.RawQuery = q.Encode()
		for deadline := time.Now().Add(time.Minute); ; {
			db, err := sql.Open("pgx", one.String())
			if err == nil {
				err = db.Ping()
				db.Close()
			}
			if err == nil {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("database %s on %s: %v", name, host, err)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	return dsn
}

// replicaDSN is dsn on one node, whatever its role.
func replicaDSN(t *testing.T, dsn string, m Member) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.Host = m.Addr()
	q := u.Query()
	q.Del("target_session_attrs")
	u.RawQuery = q.Encode()
	return u.String()
}

// serve opens Haocha on cfg, with the demo catalogue and no reviews and
// its logs discarded unless cfg says otherwise, and serves it over HTTP
// until t ends.
func serve(t *testing.T, cfg app.Config) (*app.Main, *httptest.Server) {
	t.Helper()
	t.Setenv("HAOCHA_KEY", keys.New())
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Demo.Reviews == 0 {
		cfg.Demo.Reviews = -1
	}
	m, err := app.Open(context.Background(), cfg)
	if err != nil {
		t.Fatalf("open Haocha on %s: %v", cfg.DB, err)
	}
	srv := httptest.NewServer(m.Handler())
	t.Cleanup(func() {
		srv.Close()
		m.Close()
	})
	return m, srv
}

// generator makes real reviews of the demo catalogue.
func generator(seed uint64) *loadgen.Generator {
	return loadgen.NewGenerator(loadgen.NewIndex(demo.Catalog(), review.DefaultDimensions), seed)
}
