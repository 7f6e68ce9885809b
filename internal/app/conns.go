package app

import (
	"container/list"
	"net"
	"net/http"
	"sync"
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

// idleConns closes the longest idle keep-alive connection of a server
// once more than max are idle: its ConnState hook (track) sees each
// connection go idle and back.
type idleConns struct {
	max   int
	mu    sync.Mutex
	idle  map[net.Conn]*list.Element
	order list.List // of net.Conn, the longest idle first
}

func newIdleConns(max int) *idleConns {
	if max <= 0 {
		max = DefaultIdleConns
	}
	return &idleConns{max: max, idle: map[net.Conn]*list.Element{}}
}

// track is an http.Server's ConnState.
func (c *idleConns) track(conn net.Conn, state http.ConnState) {
	var longest net.Conn
	c.mu.Lock()
	if e, ok := c.idle[conn]; ok {
		c.order.Remove(e)
		delete(c.idle, conn)
	}
	if state == http.StateIdle {
		c.idle[conn] = c.order.PushBack(conn)
		if c.order.Len() > c.max {
			longest = c.order.Remove(c.order.Front()).(net.Conn)
			delete(c.idle, longest)
		}
	}
	c.mu.Unlock()
	if longest != nil {
		// Its server goroutine's read fails and it goes, buffers and all.
		longest.Close()
	}
}
