package loadgen

import (
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// A city's traffic comes from many networks and many phones; an attack
// from one. The server tells them apart by the client's address (its
// network) and its browser (with the address, its device): Sources spreads
// requests over loopback addresses, each request bound to one with
// net.Dialer.LocalAddr, and Devices gives them browser identities, each
// device paced as a citizen would be.

// DefaultDeviceGap is the least time between two reviews of one device
// under --devices: four reviews in ten minutes at most, below the device
// detector's five (fraud.DefaultRules).
const DefaultDeviceGap = 150 * time.Second

// maxSources bounds --sources: loopback addresses 127.0.0.2 onwards, all
// within 127.0.0.0/8.
const maxSources = 1 << 20

// SourceAddress is the loopback address of source i (0-based): 127.0.0.2
// onwards.
func SourceAddress(i int) net.IP {
	n := i + 2
	return net.IPv4(127, byte(n>>16), byte(n>>8), byte(n))
}

// identities hand each request its source address and its browser, and
// pace each device.
type identities struct {
	sources int // source addresses; 0: the system's (127.0.0.1)
	devices int
	rotate  bool   // a new identity every request (Config.Rotate)
	seed    uint64 // names the devices apart from those of runs with other seeds
	gap     time.Duration

	mu   sync.Mutex
	next int         // the device the next request comes from
	due  []time.Time // by device: when it may send again
	cur  []int       // by worker: the device of its request in flight
}

func newIdentities(cfg Config, workers int) (*identities, error) {
	if cfg.Sources < 0 || cfg.Sources > maxSources {
		return nil, fmt.Errorf("sources must be 0 to %d, got %d", maxSources, cfg.Sources)
	}
	if cfg.Devices < 0 {
		return nil, fmt.Errorf("devices must not be negative, got %d", cfg.Devices)
	}
	if cfg.Rotate && cfg.Devices > 0 {
		return nil, fmt.Errorf("rotate gives every request a new identity: it takes no devices, got %d", cfg.Devices)
	}
	id := &identities{sources: cfg.Sources, devices: cfg.Devices, rotate: cfg.Rotate, seed: cfg.Seed, gap: cfg.DeviceGap, cur: make([]int, workers)}
	if id.devices > 0 {
		id.due = make([]time.Time, id.devices)
	}
	return id, nil
}

// httpClients are net/http clients by source (one when there are no
// sources: c when given), for the requests net/http sends (send).
func (id *identities) httpClients(c *http.Client, workers int) []*http.Client {
	if id.sources == 0 {
		return []*http.Client{client(c, nil, workers)}
	}
	clients := make([]*http.Client, id.sources)
	for i := range clients {
		// A source is one citizen's network: one connection at a time.
		clients[i] = client(nil, &net.TCPAddr{IP: SourceAddress(i)}, 1)
	}
	return clients
}

// client is c, or a client of its own whose connections leave from local
// (any address when nil), keeping idle up to idle of them.
func client(c *http.Client, local *net.TCPAddr, idle int) *http.Client {
	if c != nil {
		return c
	}
	d := &net.Dialer{LocalAddr: local, Timeout: dialTimeout}
	return &http.Client{
		Timeout: requestTimeout,
		Transport: &http.Transport{
			DialContext:         d.DialContext,
			MaxIdleConns:        idle,
			MaxIdleConnsPerHost: idle,
			IdleConnTimeout:     idleTimeout,
		},
	}
}

// How long a dial, a whole request and an idle connection may take.
const (
	dialTimeout    = 10 * time.Second
	requestTimeout = 30 * time.Second
	idleTimeout    = time.Minute
)

// ready picks the device of worker w's next request, waiting until it may
// send again; false when stop comes first.
func (id *identities) ready(w int, stop <-chan struct{}) bool {
	id.mu.Lock()
	d := id.next
	id.next++
	if id.devices > 0 {
		d %= id.devices
	}
	id.cur[w] = d
	var wait time.Duration
	if id.devices > 0 {
		now := time.Now()
		at := id.due[d]
		if at.Before(now) {
			at = now
		}
		wait = at.Sub(now)
		id.due[d] = at.Add(id.gap)
	}
	id.mu.Unlock()
	if wait <= 0 {
		return true
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-stop:
		return false
	}
}

// source is the source (an index into httpClients or a poster's pools) of
// worker w's request.
func (id *identities) source(w int) int { return id.cur[w] % max(id.sources, 1) }

// agent appends to b the browser of worker w's request, and reports
// whether it has one of its own (false: net/http's default, appended).
func (id *identities) agent(b []byte, w int) ([]byte, bool) {
	var kind string
	switch {
	case id.devices > 0:
		// Pacing holds within one run: runs one after another with the same
		// devices would give each device more reviews than its pace, so
		// the seed is part of a device's name.
		kind = "device"
	case id.rotate:
		kind = "rotating"
	default:
		return append(b, defaultAgent...), false
	}
	b = append(b, "Mozilla/5.0 (haocha-bench "...)
	b = append(b, kind...)
	b = append(b, ' ')
	b = strconv.AppendUint(b, id.seed, 10)
	b = append(b, '-')
	b = strconv.AppendInt(b, int64(id.cur[w]), 10)
	return append(b, ')'), true
}

// defaultAgent is the User-Agent net/http sends when a request sets none.
const defaultAgent = "Go-http-client/1.1"

// request gives req worker w's identity and returns its client.
func (id *identities) request(w int, req *http.Request, clients []*http.Client) *http.Client {
	if ua, own := id.agent(nil, w); own {
		req.Header.Set("User-Agent", string(ua))
	}
	return clients[id.source(w)]
}
