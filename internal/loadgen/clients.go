package loadgen

import (
	"fmt"
	"net"
	"net/http"
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

// identities hand each request its client (bound to a source address) and
// its browser, and pace each device.
type identities struct {
	clients []*http.Client // by source; one client when there are no sources
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
	id := &identities{devices: cfg.Devices, rotate: cfg.Rotate, seed: cfg.Seed, gap: cfg.DeviceGap, cur: make([]int, workers)}
	if id.devices > 0 {
		id.due = make([]time.Time, id.devices)
	}
	if cfg.Sources == 0 {
		id.clients = []*http.Client{client(cfg.Client, nil, workers)}
		return id, nil
	}
	for i := range cfg.Sources {
		// A source is one citizen's network: one connection at a time.
		id.clients = append(id.clients, client(nil, &net.TCPAddr{IP: SourceAddress(i)}, 1))
	}
	return id, nil
}

// client is c, or a client of its own whose connections leave from local
// (any address when nil), keeping idle up to idle of them.
func client(c *http.Client, local *net.TCPAddr, idle int) *http.Client {
	if c != nil {
		return c
	}
	d := &net.Dialer{LocalAddr: local, Timeout: 10 * time.Second}
	return &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			DialContext:         d.DialContext,
			MaxIdleConns:        idle,
			MaxIdleConnsPerHost: idle,
			IdleConnTimeout:     time.Minute,
		},
	}
}

func (id *identities) close() {
	for _, c := range id.clients {
		c.CloseIdleConnections()
	}
}

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

// request gives req worker w's identity and returns its client.
func (id *identities) request(w int, req *http.Request) *http.Client {
	d := id.cur[w]
	if id.devices > 0 {
		// Pacing holds within one run: runs one after another with the same
		// devices would give each device more reviews than its pace, so
		// the seed is part of a device's name.
		req.Header.Set("User-Agent", fmt.Sprintf("Mozilla/5.0 (haocha-bench device %d-%d)", id.seed, d))
	} else if id.rotate {
		req.Header.Set("User-Agent", fmt.Sprintf("Mozilla/5.0 (haocha-bench rotating %d-%d)", id.seed, d))
	}
	return id.clients[d%len(id.clients)]
}
