package loadgen

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"container/list"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"time"
)

// A run posts a few thousand reviews a second from up to thousands of
// source addresses, on the cores the server has. Through net/http (a
// Transport a source: its pool, a read and a write goroutine a connection,
// the request and header maps) loadgen took as much CPU as the server: in
// a profile of an honest run, dialling through the Transport 32%, its
// connection goroutines and the collector most of the rest. A poster sends
// the same bytes itself: the request built in a worker's reused buffer and
// written at once, the answer read by a small strict parser from a
// worker's reused reader, the connections of a source kept as the
// Transport keeps them (TestPostsAsNetHTTP).

// poster posts to one URL over keep-alive connections of its own, a pool
// a source.
type poster struct {
	dialer net.Dialer
	addr   string         // host:port, dialled when a pool has no source address
	raddr  netip.AddrPort // the same, resolved once, dialled from a source address
	head   []byte         // "POST <path> HTTP/1.1\r\nHost: <host>\r\nUser-Agent: "
	pools  []*pool

	mu      sync.Mutex // guards lru and the pools' idle
	lru     list.List  // of *idleConn, the least recently used first
	maxIdle int
}

// maxIdleConns bounds a poster's idle connections, all sources together:
// net/http closes a connection as soon as the server has, a poster only
// when it looks at it again, and with more sources than file descriptors
// the ones the server closed would use them up. Past it the least
// recently used is closed, as a client that comes back after its idle
// timeout would find it.
var maxIdleConns = 8192

// pool is one source's connections: at most keep of them idle.
type pool struct {
	local netip.AddrPort // invalid: the system's address
	keep  int
	idle  []*list.Element // of lru, the most recently used last
}

type idleConn struct {
	c     *net.TCPConn
	since time.Time
	pool  *pool
}

// exchange is one worker's buffers, reused from request to request.
type exchange struct {
	sub    []byte // the submission's JSON
	req    []byte
	br     *bufio.Reader
	answer []byte
}

// newPoster posts to target (an http:// URL) from sources loopback
// addresses (none: the system's), keeping idle up to idle connections
// when there are no sources and one a source otherwise, as the net/http
// clients of httpClients do.
func newPoster(ctx context.Context, target string, sources, idle int) (*poster, error) {
	u, err := url.Parse(target)
	if err != nil {
		return nil, err
	}
	port := u.Port()
	if port == "" {
		port = "80"
	}
	// No TCP keep-alive: its four setsockopt calls a connection were 4%
	// of loadgen's CPU in an honest run (a new connection nearly every
	// request), and its probes, the kernel's after 15 s idle, carry no
	// byte the server reads.
	p := &poster{dialer: net.Dialer{Timeout: dialTimeout, KeepAlive: -1}, addr: net.JoinHostPort(u.Hostname(), port), maxIdle: maxIdleConns}
	p.head = fmt.Appendf(nil, "POST %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: ", u.RequestURI(), u.Host)
	if sources == 0 {
		p.pools = []*pool{{keep: idle}}
		return p, nil
	}
	// Source addresses are IPv4: the server's address is resolved once,
	// to an IPv4 one, as the dialer would pick for them.
	ips, err := net.DefaultResolver.LookupNetIP(ctx, "ip4", u.Hostname())
	if err != nil || len(ips) == 0 {
		return nil, fmt.Errorf("url %q: no IPv4 address to send from source addresses to: %v", target, err)
	}
	n, err := strconv.ParseUint(port, 10, 16)
	if err != nil {
		return nil, fmt.Errorf("url %q: port: %w", target, err)
	}
	p.raddr = netip.AddrPortFrom(ips[0].Unmap(), uint16(n))
	p.pools = make([]*pool, sources)
	for i := range p.pools {
		a, _ := netip.AddrFromSlice(SourceAddress(i).To4())
		p.pools[i] = &pool{local: netip.AddrPortFrom(a, 0), keep: 1}
	}
	return p, nil
}

func (p *poster) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for e := p.lru.Front(); e != nil; e = e.Next() {
		e.Value.(*idleConn).c.Close()
	}
	p.lru.Init()
	for _, pl := range p.pools {
		pl.idle = nil
	}
}

// request builds in x.req the request net/http's Transport would write
// for a POST of a JSON body with the User-Agent agent appends.
func (p *poster) request(x *exchange, agent func([]byte) []byte, body []byte) {
	b := append(x.req[:0], p.head...)
	b = agent(b)
	b = append(b, "\r\nContent-Length: "...)
	b = strconv.AppendInt(b, int64(len(body)), 10)
	b = append(b, "\r\nContent-Type: application/json\r\nAccept-Encoding: gzip\r\n\r\n"...)
	x.req = append(b, body...)
}

// post sends x.req from source src and returns "" when the answer has
// status want, else the status or the kind of failure, as send does.
// keep, when not nil, is given the body of an answer with status want.
func (p *poster) post(ctx context.Context, x *exchange, src int, want int, keep func([]byte) string) string {
	pl := p.pools[src]
	for {
		c := p.take(pl)
		reused := c != nil
		if c == nil {
			var err error
			if c, err = p.dial(ctx, pl); err != nil {
				return failure(ctx, err)
			}
		}
		status, alive, err := x.roundTrip(ctx, c, want, keep != nil)
		if err != nil {
			c.Close()
			if reused && errors.Is(err, errNoAnswer) && ctx.Err() == nil {
				// The server closed the connection while it was idle, as we
				// wrote: it read nothing. net/http sends again on a new
				// connection; so do we.
				continue
			}
			return failure(ctx, err)
		}
		if alive {
			p.put(pl, c)
		} else {
			c.Close()
		}
		if status != want {
			return statusKey(status)
		}
		if keep != nil {
			return keep(x.answer)
		}
		return ""
	}
}

// failure names a failed request in Result.Errors, as send does.
func failure(ctx context.Context, err error) string {
	var ne net.Error
	if ctx.Err() == nil && errors.As(err, &ne) && ne.Timeout() {
		return "timeout"
	}
	return "transport"
}

func (p *poster) dial(ctx context.Context, pl *pool) (*net.TCPConn, error) {
	if !pl.local.IsValid() {
		c, err := p.dialer.DialContext(ctx, "tcp", p.addr)
		if err != nil {
			return nil, err
		}
		return c.(*net.TCPConn), nil
	}
	return p.dialer.DialTCP(ctx, "tcp", pl.local, p.raddr)
}

// take returns the source's most recently used idle connection that the
// server has not closed, or nil: then the caller dials.
func (p *poster) take(pl *pool) *net.TCPConn {
	now := time.Now()
	for {
		p.mu.Lock()
		n := len(pl.idle)
		if n == 0 {
			p.mu.Unlock()
			return nil
		}
		ic := p.lru.Remove(pl.idle[n-1]).(*idleConn)
		pl.idle = pl.idle[:n-1]
		p.mu.Unlock()
		// The Transport's read goroutine would have seen the server close
		// it and dropped it; a look at the socket does the same.
		if now.Sub(ic.since) < idleTimeout && stillOpen(ic.c) {
			return ic.c
		}
		ic.c.Close()
	}
}

// put keeps c idle, or closes it when the source keeps enough; past
// maxIdle it closes the least recently used.
func (p *poster) put(pl *pool, c *net.TCPConn) {
	var old *net.TCPConn
	p.mu.Lock()
	if len(pl.idle) < pl.keep {
		pl.idle = append(pl.idle, p.lru.PushBack(&idleConn{c, time.Now(), pl}))
		c = nil
		if p.lru.Len() > p.maxIdle {
			ic := p.lru.Remove(p.lru.Front()).(*idleConn)
			// The least recently used of its pool too.
			ic.pool.idle = slices.Delete(ic.pool.idle, 0, 1)
			old = ic.c
		}
	}
	p.mu.Unlock()
	if c != nil {
		c.Close()
	}
	if old != nil {
		old.Close()
	}
}

// errNoAnswer is a connection that failed before a byte of the answer
// came: on a reused connection, one the server closed while it was idle.
var errNoAnswer = errors.New("connection closed before an answer")

// errMalformed is an answer this client does not read.
var errMalformed = errors.New("malformed answer")

// roundTrip writes x.req on c and reads the answer: its status and
// whether c may carry another request. With body, an answer with status
// want is left in x.answer.
func (x *exchange) roundTrip(ctx context.Context, c *net.TCPConn, want int, body bool) (status int, alive bool, err error) {
	// As net/http's Client.Timeout and its context would end it.
	c.SetDeadline(time.Now().Add(requestTimeout))
	if ctx.Done() != nil {
		stop := context.AfterFunc(ctx, func() { c.SetDeadline(time.Unix(1, 0)) })
		defer stop()
	}
	if _, err := c.Write(x.req); err != nil {
		return 0, false, noAnswer(err)
	}
	if x.br == nil {
		x.br = bufio.NewReaderSize(c, 4096)
	} else {
		x.br.Reset(c)
	}
	if _, err := x.br.Peek(1); err != nil {
		return 0, false, noAnswer(err)
	}
	x.answer = x.answer[:0]
	for {
		status, alive, err = x.read(want, body)
		// A 1xx is followed by the answer (none is asked for: no Expect).
		if err != nil || status >= 200 || status == 101 {
			break
		}
	}
	if err == nil && x.br.Buffered() > 0 {
		alive = false // more than the answer came: trust the connection no more
	}
	return status, alive, err
}

func noAnswer(err error) error {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return err
	}
	return fmt.Errorf("%w: %w", errNoAnswer, err)
}

// read reads one answer of HTTP/1.x: status line, headers, body.
func (x *exchange) read(want int, body bool) (status int, alive bool, err error) {
	line, err := x.br.ReadSlice('\n')
	if err != nil {
		return 0, false, err
	}
	// "HTTP/1.1 201 Created\r\n"
	if len(line) < 14 || !bytes.HasPrefix(line, []byte("HTTP/1.")) || line[8] != ' ' || (len(line) > 12 && line[12] != ' ' && line[12] != '\r') {
		return 0, false, errMalformed
	}
	status, err = strconv.Atoi(string(line[9:12]))
	if err != nil || status < 100 {
		return 0, false, errMalformed
	}
	alive = line[7] == '1'
	length, chunked, gzipped := int64(-1), false, false
	for {
		line, err = x.br.ReadSlice('\n')
		if err != nil {
			return 0, false, err
		}
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			break
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			return 0, false, errMalformed
		}
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			if length, err = strconv.ParseInt(string(value), 10, 64); err != nil || length < 0 {
				return 0, false, errMalformed
			}
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			if !bytes.EqualFold(value, []byte("chunked")) {
				return 0, false, errMalformed
			}
			chunked = true
		case bytes.EqualFold(name, []byte("Connection")):
			if bytes.EqualFold(value, []byte("close")) {
				alive = false
			} else if bytes.EqualFold(value, []byte("keep-alive")) {
				alive = true
			}
		case bytes.EqualFold(name, []byte("Content-Encoding")):
			gzipped = bytes.EqualFold(value, []byte("gzip"))
		}
	}
	keep := body && status == want
	switch {
	case status < 200 || status == 204 || status == 304:
	case chunked:
		err = x.chunks(keep)
	case length >= 0:
		err = x.body(length, keep)
	default:
		// Until the server closes: the connection ends with the answer.
		alive = false
		err = x.rest(keep)
	}
	if err == nil && keep && gzipped {
		// net/http asks for gzip and reads it unpacked.
		err = x.gunzip()
	}
	return status, alive, err
}

// body reads n bytes of the answer, into x.answer when keep.
func (x *exchange) body(n int64, keep bool) error {
	if !keep {
		_, err := x.br.Discard(int(n))
		return noEOF(err)
	}
	start := len(x.answer)
	x.answer = slices.Grow(x.answer, int(n))[:start+int(n)]
	_, err := io.ReadFull(x.br, x.answer[start:])
	return noEOF(err)
}

func (x *exchange) chunks(keep bool) error {
	for {
		line, err := x.br.ReadSlice('\n')
		if err != nil {
			return noEOF(err)
		}
		size, _, _ := bytes.Cut(bytes.TrimRight(line, "\r\n"), []byte(";"))
		n, err := strconv.ParseInt(string(bytes.TrimSpace(size)), 16, 64)
		if err != nil || n < 0 {
			return errMalformed
		}
		if n == 0 {
			break
		}
		if err := x.body(n, keep); err != nil {
			return err
		}
		if line, err = x.br.ReadSlice('\n'); err != nil || len(bytes.TrimRight(line, "\r\n")) != 0 {
			return errMalformed
		}
	}
	for { // trailers, to the empty line
		line, err := x.br.ReadSlice('\n')
		if err != nil {
			return noEOF(err)
		}
		if len(bytes.TrimRight(line, "\r\n")) == 0 {
			return nil
		}
	}
}

func (x *exchange) rest(keep bool) error {
	if !keep {
		_, err := io.Copy(io.Discard, x.br)
		return err
	}
	b := bytes.NewBuffer(x.answer)
	_, err := b.ReadFrom(x.br)
	x.answer = b.Bytes()
	return err
}

func (x *exchange) gunzip() error {
	zr, err := gzip.NewReader(bytes.NewReader(x.answer))
	if err != nil {
		return err
	}
	plain, err := io.ReadAll(zr)
	x.answer = plain
	return err
}

// noEOF is err, an answer cut short when the connection ended.
func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}
