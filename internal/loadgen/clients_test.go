package loadgen_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/loadgen"
)

// Requests leave from the source addresses and carry the device
// identities asked for, each device once within its gap: the server sees
// a city, not one machine.
func TestSourcesAndDevices(t *testing.T) {
	srv, hosts, agents := countingServer(t)
	res, err := loadgen.Run(context.Background(), loadgen.Config{URL: srv.URL, Get: "/healthz", Concurrency: 4,
		Duration: time.Second, Sources: 3, Devices: 6, DeviceGap: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if res.OK != 6 || res.Sources != 3 || res.Devices != 6 {
		t.Errorf("%d requests from %d sources and %d devices, want one from each of 6 devices", res.OK, res.Sources, res.Devices)
	}
	want := map[string]int{"127.0.0.2": 2, "127.0.0.3": 2, "127.0.0.4": 2}
	for h, n := range want {
		if hosts[h] != n {
			t.Errorf("server saw %v, want %v", hosts, want)
			break
		}
	}
	if len(agents) != 6 {
		t.Errorf("server saw %d browser identities, want 6: %v", len(agents), agents)
	}
}

// Through the real intake, each source is a network of its own.
func TestSourcesAreNetworks(t *testing.T) {
	m, srv := newServer(t)
	var before int64
	m.Store.DB().QueryRow("SELECT MAX(id) FROM reviews").Scan(&before)
	res, err := loadgen.Run(context.Background(), loadgen.Config{URL: srv.URL, Concurrency: 2,
		Requests: 8, Sources: 4, Devices: 8})
	if err != nil || res.OK != 8 {
		t.Fatalf("%+v %v", res, err)
	}
	var nets, devices int
	m.Store.DB().QueryRow("SELECT COUNT(DISTINCT net_mark), COUNT(DISTINCT client_mark) FROM reviews WHERE id > ?", before).Scan(&nets, &devices)
	if nets != 4 || devices != 8 {
		t.Errorf("reviews from %d networks and %d devices, want 4 and 8", nets, devices)
	}
}

// A rotating flood gives every request an identity of its own, from the
// sources in turn, unpaced: no device key sees a request twice.
func TestRotateGivesEveryRequestAnIdentity(t *testing.T) {
	srv, hosts, agents := countingServer(t)
	res, err := loadgen.Run(context.Background(), loadgen.Config{URL: srv.URL, Get: "/healthz", Concurrency: 4,
		Requests: 40, Sources: 4, Rotate: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.OK != 40 || !res.Rotate {
		t.Errorf("%d requests (rotate %v), want 40 rotating", res.OK, res.Rotate)
	}
	if len(agents) != 40 || len(hosts) != 4 {
		t.Errorf("server saw %d browser identities from %d addresses, want 40 from 4", len(agents), len(hosts))
	}
	if _, err := loadgen.Run(context.Background(), loadgen.Config{URL: srv.URL, Get: "/healthz", Concurrency: 1,
		Requests: 1, Devices: 2, Rotate: true}); err == nil {
		t.Error("rotate with devices: no error")
	}
}

// countingServer answers every request and counts, by the time a run has
// returned, the requests it saw from each address and each browser
// identity.
func countingServer(t *testing.T) (srv *httptest.Server, hosts, agents map[string]int) {
	var mu sync.Mutex
	hosts, agents = map[string]int{}, map[string]int{}
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, _ := net.SplitHostPort(r.RemoteAddr)
		mu.Lock()
		hosts[host]++
		agents[r.UserAgent()]++
		mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	return srv, hosts, agents
}
