package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/app"
	"github.com/haocha/haocha/internal/fraud"
	"github.com/haocha/haocha/internal/keys"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/store/storetest"
)

// TestBackupDrill: a backup taken while reviews are posted through the
// real handler from several clients restores into a new database on which
// audit verify and index verify pass and every review acknowledged before
// the backup began is present; the copy does not start without its key
// file, and a restore over a database with tables is refused.
func TestBackupDrill(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			src := dsn(t)
			keyFile := writeKey(t)
			t.Setenv("HAOCHA_KEY_FILE", keyFile)
			m, err := app.Open(ctx, app.Config{DB: src, NoDemo: true, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
				// Every review comes from one client, as no citizen's do: the
				// fraud detectors would hold them.
				Fraud: &fraud.Rules{Threshold: 1}})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { m.Close() })
			if err := m.Store.ImportCatalog(ctx, storetest.Fixture()); err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(m.Handler())
			t.Cleanup(srv.Close)

			p := startPosting(t, srv.URL, 4)
			p.waitFor(t, 40)
			before := p.ids()
			file := filepath.Join(t.TempDir(), "haocha.backup")
			if out, err := runCLI(t, "backup", "--db", src, "--out", file); err != nil {
				t.Fatalf("backup: %v\n%s", err, out)
			}
			p.waitFor(t, len(before)+20) // intake went on through the backup
			p.stop()

			target := newTarget(t, src)
			if out, err := runCLI(t, "restore", "--db", target, "--in", file); err != nil {
				t.Fatalf("restore: %v\n%s", err, out)
			}
			if out, err := runCLI(t, "audit", "verify", "--db", target); err != nil || !strings.Contains(out, "intact") {
				t.Errorf("audit verify on the copy: %v\n%s", err, out)
			}
			if out, err := runCLI(t, "index", "verify", "--db", target); err != nil {
				t.Errorf("index verify on the copy: %v\n%s", err, out)
			}
			copied := reviewIDs(t, target)
			var lost []string
			for _, id := range before {
				if !copied[id] {
					lost = append(lost, id)
				}
			}
			if len(lost) > 0 {
				t.Errorf("%d of %d reviews acknowledged before the backup are not in the copy: %v", len(lost), len(before), lost)
			}
			t.Logf("%d reviews acknowledged before the backup, %d in the copy", len(before), len(copied))

			if _, err := runCLI(t, "restore", "--db", target, "--in", file); err == nil || !strings.Contains(err.Error(), "--force") {
				t.Errorf("restore over a database with tables: %v, want a refusal naming --force", err)
			}
			need := mustRing(t, keyFile).IDs()[0]
			t.Setenv("HAOCHA_KEY_FILE", writeKey(t))
			if _, err := runCLI(t, "migrate", "--db", target); err == nil || !strings.Contains(err.Error(), need) {
				t.Errorf("start of the copy with another key file: %v, want an error naming master key %s", err, need)
			}
		})
	}
}

func writeKey(t *testing.T) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "haocha.key")
	if err := os.WriteFile(f, []byte(keys.New()+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

func mustRing(t *testing.T, file string) *keys.Ring {
	t.Helper()
	r, err := keys.Load(keys.Source{File: file})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// poster posts reviews from several clients and keeps the ids answered 201.
type poster struct {
	mu    sync.Mutex
	acked []string
	errs  []string
	quit  chan struct{}
	wg    sync.WaitGroup
}

func startPosting(t *testing.T, base string, clients int) *poster {
	p := &poster{quit: make(chan struct{})}
	for c := range clients {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			for i := 0; ; i++ {
				select {
				case <-p.quit:
					return
				default:
				}
				body, _ := json.Marshal(map[string]any{"channel": "pc", "item": []string{"GA-001", "SCJG-001"}[i%2],
					"stage": "application", "stars": 1 + (c+i)%5, "anonymous": true, "comment": fmt.Sprintf("drill %d-%d", c, i)})
				resp, err := http.Post(base+"/api/v1/reviews", "application/json", bytes.NewReader(body))
				if err != nil {
					p.fail(err.Error())
					continue
				}
				var out struct{ ID string }
				json.NewDecoder(resp.Body).Decode(&out)
				resp.Body.Close()
				if resp.StatusCode != http.StatusCreated {
					p.fail(resp.Status)
					continue
				}
				p.mu.Lock()
				p.acked = append(p.acked, out.ID)
				p.mu.Unlock()
			}
		}()
	}
	t.Cleanup(p.stop)
	return p
}

func (p *poster) fail(msg string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.errs = append(p.errs, msg)
}

func (p *poster) ids() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.acked...)
}

// waitFor waits until n reviews are acknowledged.
func (p *poster) waitFor(t *testing.T, n int) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		p.mu.Lock()
		got, errs := len(p.acked), p.errs
		p.mu.Unlock()
		if len(errs) > 0 {
			t.Fatalf("posting reviews: %d errors, the first %s", len(errs), errs[0])
		}
		if got >= n {
			return
		}
	}
	t.Fatalf("fewer than %d reviews acknowledged in a minute", n)
}

func (p *poster) stop() {
	select {
	case <-p.quit:
	default:
		close(p.quit)
	}
	p.wg.Wait()
}

// newTarget is a new, empty database to restore src into: a file beside
// it for SQLite; for PostgreSQL a new database, read through the schema
// src's backup holds.
func newTarget(t *testing.T, src string) string {
	t.Helper()
	if !store.IsPostgres(src) {
		return filepath.Join(t.TempDir(), "restored.db")
	}
	s, err := url.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(newDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	s.Path = u.Path
	return s.String()
}

// newDatabase creates a PostgreSQL database beside HAOCHA_TEST_POSTGRES's,
// dropped when t ends, and returns its URL.
func newDatabase(t *testing.T) string {
	t.Helper()
	base := storetest.RequirePostgres(t)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	b := make([]byte, 4)
	rand.Read(b)
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	name := strings.TrimPrefix(u.Path, "/") + "_r" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Skipf("this test needs a database of its own and HAOCHA_TEST_POSTGRES's role cannot create one: %v", err)
	}
	t.Cleanup(func() { admin.Exec("DROP DATABASE " + name + " WITH (FORCE)") })
	u.Path = "/" + name
	return u.String()
}

func reviewIDs(t *testing.T, dsn string) map[string]bool {
	t.Helper()
	st, err := openStore(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rows, err := st.DB().Query("SELECT id FROM reviews")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	ids := map[string]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids[fmt.Sprint(id)] = true
	}
	return ids
}
