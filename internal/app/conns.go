package app

import (
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
)

// DefaultIdleConns is how many keep-alive connections a server keeps idle
// unless told otherwise (--idle-conns).
//
// Every open connection holds a goroutine (its stack) and net/http's read
// and write buffers (4 KiB each) until it closes: some 25 KiB in all, as
// measured, and more in the process with the collector's slack. A city's
// phones each send a review or two and leave their connection open for
// the idle timeout (two minutes): at 2,000 reviews a second that would be
// hundreds of thousands of connections. The benchmark's 6,000 networks
// held 6,000 of them, most of the server's 300 MiB. Past this many idle
// ones the longest idle is closed; a client that comes back opens a new
// one, as it would after the idle timeout.
const DefaultIdleConns = 512

// server is an http.Server whose Serve caps its idle keep-alive
// connections (idleConns).
type server struct {
	*http.Server
	idle *idleConns
}

// Serve serves ln's connections, their idle ones capped.
func (s *server) Serve(ln net.Listener) error {
	return s.Server.Serve(idleListener{ln})
}

// newServer is an HTTP server of h keeping at most idle keep-alive
// connections idle (DefaultIdleConns when 0).
func newServer(h http.Handler, log *slog.Logger, idle int) *server {
	c := newIdleConns(idle)
	return &server{Server: &http.Server{
		ConnState:         c.track,
		Handler:           h,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}, idle: c}
}

// idleConns closes the longest idle keep-alive connection of a server
// once more than max are idle: its ConnState hook (track) sees each
// connection go idle and back. The idle ones are a list threaded through
// the connections themselves (trackedConn, from the server's listener):
// going idle or back is a few pointers under the lock, with no map and
// nothing allocated, and opening, or closing after the only request,
// takes no lock at all (BenchmarkIdleConns).
type idleConns struct {
	max int
	mu  sync.Mutex
	n   int         // connections idle
	end trackedConn // the list's end: end.next is the longest idle, end.prev the latest
}

func newIdleConns(max int) *idleConns {
	if max <= 0 {
		max = DefaultIdleConns
	}
	c := &idleConns{max: max}
	c.end.next, c.end.prev = &c.end, &c.end
	return c
}

// trackedConn is an accepted TCP connection with its links in the list
// of idle ones.
type trackedConn struct {
	*net.TCPConn
	idle       atomic.Bool  // in the list: set by its own server goroutine, cleared by whichever unlists it, under idleConns.mu
	prev, next *trackedConn // guarded by idleConns.mu
}

// idleListener accepts connections as trackedConns. A connection of any
// other kind than TCP is served untracked: uncapped.
type idleListener struct{ net.Listener }

func (l idleListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		return &trackedConn{TCPConn: tc}, err
	}
	return c, err
}

// track is an http.Server's ConnState. net/http calls it from the
// connection's own goroutine but for StateNew, which needs nothing.
func (c *idleConns) track(conn net.Conn, state http.ConnState) {
	t, ok := conn.(*trackedConn)
	if !ok || state == http.StateNew {
		return
	}
	if state != http.StateIdle {
		// Only its own goroutine lists it; another may have closed it
		// since, as the longest idle: look again under the lock.
		if t.idle.Load() {
			c.mu.Lock()
			c.unlist(t)
			c.mu.Unlock()
		}
		return
	}
	var longest *trackedConn
	c.mu.Lock()
	c.unlist(t)
	t.prev, t.next = c.end.prev, &c.end
	t.prev.next, c.end.prev = t, t
	t.idle.Store(true)
	c.n++
	if c.n > c.max {
		longest = c.end.next
		c.unlist(longest)
	}
	c.mu.Unlock()
	if longest != nil {
		// Its server goroutine's read fails and it goes, buffers and all.
		longest.Close()
	}
}

// unlist takes t out of the list if it is there; c.mu is held.
func (c *idleConns) unlist(t *trackedConn) {
	if !t.idle.Load() {
		return
	}
	t.prev.next, t.next.prev = t.next, t.prev
	t.prev, t.next = nil, nil
	t.idle.Store(false)
	c.n--
}
