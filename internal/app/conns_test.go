package app

import (
	"bufio"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestIdleConnectionsAreCapped opens five keep-alive connections to a
// server that keeps two idle: after each has had its answer, the three
// idle longest are closed by the server, the two latest stay open and
// serve their next request.
func TestIdleConnectionsAreCapped(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	srv := newServer(ok, slog.New(slog.NewTextHandler(io.Discard, nil)), 2)
	// A client has its answer before the server's goroutine marks the
	// connection idle: wait for that, so the connections go idle in the
	// order they were opened.
	track, idled := srv.ConnState, make(chan struct{}, 5)
	srv.ConnState = func(c net.Conn, state http.ConnState) {
		track(c, state)
		if state == http.StateIdle {
			idled <- struct{}{}
		}
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })

	var conns []net.Conn
	var readers []*bufio.Reader
	for range 5 {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		r := bufio.NewReader(c)
		get(t, c, r)
		<-idled
		conns, readers = append(conns, c), append(readers, r)
	}
	for i, c := range conns {
		c.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
		_, err := readers[i].ReadByte()
		closed := errors.Is(err, io.EOF)
		if !closed && !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Fatalf("connection %d: %v", i, err)
		}
		if want := i < 3; closed != want {
			t.Errorf("connection %d (of 5, in the order opened): closed by the server %v, want %v", i, closed, want)
		}
		c.SetReadDeadline(time.Time{})
	}
	for i := 3; i < 5; i++ {
		get(t, conns[i], readers[i])
	}
}

// get sends GET / on c and reads its answer from r.
func get(t *testing.T, c net.Conn, r *bufio.Reader) {
	t.Helper()
	req, _ := http.NewRequest("GET", "http://haocha/", nil)
	if err := req.Write(c); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(r, req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
}

// TestListenLeavesKeepAliveOff: the server's connections carry no TCP
// keep-alive, whose four system calls each accepted connection would pay
// for what the server's timeouts already do (Listen).
func TestListenLeavesKeepAliveOff(t *testing.T) {
	ln, err := Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	client, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	conn, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	raw, err := conn.(*net.TCPConn).SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var on int
	var serr error
	if err := raw.Control(func(fd uintptr) { on, serr = syscall.GetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_KEEPALIVE) }); err != nil {
		t.Fatal(err)
	}
	if serr != nil {
		t.Fatal(serr)
	}
	if on != 0 {
		t.Errorf("SO_KEEPALIVE is %d on an accepted connection, want 0", on)
	}
}

// TestIdleConnectionsCappedUnderConcurrency: clients on many connections
// at once, each sending a few requests, leave the idle list whole (its
// count is its length) and within the cap; run with -race.
func TestIdleConnectionsCappedUnderConcurrency(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	srv := newServer(ok, slog.New(slog.NewTextHandler(io.Discard, nil)), 4)
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	var clients sync.WaitGroup
	for range 32 {
		clients.Go(func() {
			client := &http.Client{Transport: &http.Transport{}}
			defer client.CloseIdleConnections()
			for range 5 {
				resp, err := client.Get("http://" + ln.Addr().String() + "/")
				if err != nil {
					// A connection the cap closed as the request went out.
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		})
	}
	clients.Wait()
	c := srv.idle
	c.mu.Lock()
	defer c.mu.Unlock()
	listed := 0
	for t := c.end.next; t != &c.end; t = t.next {
		listed++
	}
	if listed != c.n || c.n > c.max {
		t.Errorf("%d connections listed idle, counted %d, cap %d", listed, c.n, c.max)
	}
}

// BenchmarkIdleConns is the idle cap's work for a connection of one
// request, as honest traffic from thousands of networks makes them: it
// opens, serves, goes idle past the cap, so that the longest idle is
// closed, and that one closes.
func BenchmarkIdleConns(b *testing.B) {
	c := newIdleConns(DefaultIdleConns)
	var open []*trackedConn
	b.ReportAllocs()
	for b.Loop() {
		t := &trackedConn{TCPConn: &net.TCPConn{}}
		c.track(t, http.StateNew)
		c.track(t, http.StateActive)
		c.track(t, http.StateIdle)
		open = append(open, t)
		if len(open) > DefaultIdleConns {
			c.track(open[0], http.StateClosed)
			open = open[1:]
		}
	}
}
