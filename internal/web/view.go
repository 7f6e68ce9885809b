package web

// The view cache of the public pages that read published figures (the
// unit and district, hall and item pages): a page is rendered once and
// held, compressed, in the boards cache (board.Cache.View), within its
// budget, until a board it drew is computed again, the store notes a
// change a page may show (store.Changes: a fold of new reviews, a
// catalogue change), or a TTL passes; meanwhile each request of it costs
// no rendering, and a browser that has it is answered 304.
//
// Only the view every visitor with the same request gets is held: the
// name says every input a page reads from the request (its path and
// query, its language and text size, whether a citizen is signed in,
// which shows a link to their page and nothing of them), and a request
// with a staff member's credentials is rendered for it alone and never
// held, so that no page a staff member was shown reaches anyone else,
// whatever a public page later shows staff. A query that is not one of
// the few the pages link to is served unheld too: a caller making up a
// new one on every request costs CPU, not memory.

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strings"

	"github.com/haocha/haocha/internal/board"
	"github.com/haocha/haocha/internal/caller"
)

// viewParams are the query parameters a held view may have, each with
// the values it may take: the language, the period of the rankings, the
// whole ranking (all=1) and the app a link came from (src).
var viewParams = map[string]func(string) bool{
	"lang":   func(v string) bool { return v == langZH || v == langEN },
	"period": func(v string) bool { return v == string(board.SpanQuarter) || v == string(board.SpanYear) },
	"all":    func(v string) bool { return v == "1" },
	"src":    func(v string) bool { _, ok := sources[v]; return ok },
}

// viewName is the name of r's view in the cache, or false when r's page
// is rendered for it alone: a request with staff credentials, or an
// address the pages do not link to.
func (w *Web) viewName(r *http.Request) (string, bool) {
	if r.Header.Get("Authorization") != "" {
		return "", false
	}
	if _, err := r.Cookie(caller.SessionCookie); err == nil {
		return "", false
	}
	if r.URL.RawPath != "" || !plainQuery(r.URL.RawQuery) {
		return "", false
	}
	p := w.newPage(r, "")
	var b strings.Builder
	b.WriteString(p.Lang)
	for _, on := range []bool{p.Large, p.SignedIn} {
		if on {
			b.WriteString(" 1")
		} else {
			b.WriteString(" 0")
		}
	}
	b.WriteString(" ")
	b.WriteString(r.URL.RequestURI())
	return b.String(), true
}

// plainQuery reports whether q is empty or each of its parts one of
// viewParams with a value it takes, none twice and none escaped: a page
// has a bounded number of such addresses, and each is a page as linked.
func plainQuery(q string) bool {
	if q == "" {
		return true
	}
	seen := map[string]bool{}
	for part := range strings.SplitSeq(q, "&") {
		k, v, _ := strings.Cut(part, "=")
		ok := viewParams[k]
		if ok == nil || seen[k] || !ok(v) {
			return false
		}
		seen[k] = true
	}
	return true
}

// viewCapture is the response writer a view is rendered to: render keeps
// the page here instead of writing it. The pages viewed render no other
// status than 200: any other outcome is an error, rendered by handle.
type viewCapture struct {
	header http.Header
	page   []byte
}

func (c *viewCapture) Header() http.Header         { return c.header }
func (c *viewCapture) Write(b []byte) (int, error) { c.page = append(c.page, b...); return len(b), nil }
func (c *viewCapture) WriteHeader(int)             {}

// viewed serves h's page from the view cache when the request's view may
// be held (viewName), and the store has folded every review this process
// stored (so the page counts them, as a page rendered now would).
func (w *Web) viewed(h handlerFunc) handlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) error {
		name, ok := w.viewName(r)
		stamp, settled := w.store.Changes()
		if !ok || !settled {
			return h(rw, r)
		}
		v, err := w.boards.View(r.Context(), name, stamp, func(ctx context.Context) (board.View, error) {
			c := &viewCapture{header: http.Header{}}
			if err := h(c, r.WithContext(ctx)); err != nil {
				return board.View{}, err
			}
			return newView(c.page), nil
		})
		if err != nil {
			return err
		}
		return writeView(rw, r, v)
	}
}

// newView is a rendered page as held: compressed, with its tag.
func newView(page []byte) board.View {
	sum := sha256.Sum256(page)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(page)
	zw.Close()
	return board.View{Body: gz.Bytes(), Tag: hex.EncodeToString(sum[:12])}
}

// writeView answers r with v: 304 when the browser has it (its ETag is
// weak, the same page whether sent compressed or not), else the page,
// compressed when the browser takes it. A browser may keep the page
// (private: it depends on the browser's cookies, so no shared cache
// does) but asks again each time (no-cache).
func writeView(rw http.ResponseWriter, r *http.Request, v board.View) error {
	h := rw.Header()
	etag := `W/"` + v.Tag + `"`
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "private, no-cache")
	h.Set("Vary", "Accept-Encoding")
	h.Set("ETag", etag)
	if matches(r.Header.Get("If-None-Match"), etag) {
		rw.WriteHeader(http.StatusNotModified)
		return nil
	}
	if acceptsGzip(r) {
		h.Set("Content-Encoding", "gzip")
		_, err := rw.Write(v.Body)
		return err
	}
	zr, err := gzip.NewReader(bytes.NewReader(v.Body))
	if err != nil {
		return err
	}
	_, err = io.Copy(rw, zr)
	return err
}

// matches reports whether the If-None-Match header inm names etag, by
// the weak comparison GET asks for (RFC 9110, 13.1.2).
func matches(inm, etag string) bool {
	for t := range strings.SplitSeq(inm, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == strings.TrimPrefix(etag, "W/") {
			return true
		}
	}
	return false
}
