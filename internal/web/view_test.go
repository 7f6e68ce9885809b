package web_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/i18n"
	"github.com/haocha/haocha/internal/index"
)

// viewedPages are the pages the view cache holds: an agency's, a
// district's (the same handler), a hall's and an item's.
var viewedPages = []string{"/units/SHGA", "/units/310101", "/halls/" + hall, "/items/" + item}

// settled folds what intake left, so that the store's count of changes
// (store.Changes) holds still while a test looks at the views.
func settled(t *testing.T) {
	t.Helper()
	must(t, haocha.Store.FoldRollups(context.Background()))
}

// hit gets path with c and reports whether the page came from the view
// cache, and the page.
func hit(c *client, path string) (bool, string) {
	c.t.Helper()
	before := haocha.Boards.ViewHits()
	body := c.page(path)
	return haocha.Boards.ViewHits() != before, body
}

// heldFor fails unless path, got again by c, comes from the view cache
// within three tries: something the test does not control (a fold of
// the scheduler's writes, a board computed again in the background) may
// make the held view out of date once.
func heldFor(t *testing.T, c *client, path string) string {
	t.Helper()
	for range 3 {
		c.page(path)
		if ok, body := hit(c, path); ok {
			return body
		}
	}
	t.Fatalf("%s: not served from the view cache in three tries: the test sees nothing", path)
	return ""
}

// A page a staff member asks for, signed in to the console or with an API
// token, is rendered for them and never held; the page held for the
// public is never served to them.
func TestViewNeverCrossesStaffAndPublic(t *testing.T) {
	staffAccount(t, "view-handler", account.Handler, "310101")
	staff := newClient(t)
	staff.login("view-handler")
	tok := account.NewToken()
	if _, err := haocha.Store.IssueToken(context.Background(), "view-handler", tok, "view test", account.TokenTTL, "test"); err != nil {
		t.Fatal(err)
	}
	bearer := newClient(t)
	asBearer := func(path string) bool {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		before := haocha.Boards.ViewHits()
		if resp, _ := bearer.do(req); resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s with a token: %d", path, resp.StatusCode)
		}
		return haocha.Boards.ViewHits() != before
	}
	public := newClient(t)
	for _, path := range viewedPages {
		settled(t)
		haocha.Boards.DropViews()
		if ok, _ := hit(staff, path); ok {
			t.Errorf("%s: a staff member was served a held view", path)
		}
		if ok, _ := hit(public, path); ok {
			t.Errorf("%s: the public was served the view rendered for a staff member", path)
		}
		heldFor(t, public, path)
		if ok, _ := hit(staff, path); ok {
			t.Errorf("%s: a staff member was served the public's held view", path)
		}
		if asBearer(path) {
			t.Errorf("%s: a caller with an API token was served the public's held view", path)
		}
	}
}

// Each language has its own view: a page held in one language is never
// served in the other, and each is wholly in its language, as are the
// views of large text and of a signed-in citizen beside them.
func TestViewPerLanguage(t *testing.T) {
	loadAllowedHan(t)
	zh, en, large := newClient(t), newClient(t), newClient(t)
	en.get("/prefs?lang=en&back=/")
	large.get("/prefs?size=large&back=/")
	for _, path := range viewedPages {
		settled(t)
		haocha.Boards.DropViews()
		heldFor(t, en, path)
		if ok, body := hit(zh, path); ok {
			t.Errorf("%s in Chinese: served the view held in English", path)
		} else {
			mustContain(t, body, `<html lang="zh-CN"`)
		}
		// A link's language is remembered (a cookie): a client of its own.
		if ok, body := hit(newClient(t), path+"?lang=zh"); ok {
			t.Errorf("%s?lang=zh: served the view held in English", path)
		} else {
			mustContain(t, body, `<html lang="zh-CN"`)
		}
		if ok, _ := hit(large, path); ok {
			t.Errorf("%s in large text: served the view held in normal text", path)
		}
		for _, c := range []struct {
			c    *client
			path string
			lang i18n.Lang
			want string
		}{{zh, path, i18n.ZH, `<html lang="zh-CN">`}, {en, path, i18n.EN, `<html lang="en">`},
			{newClient(t), path + "?lang=en", i18n.EN, `<html lang="en">`}, {large, path, i18n.ZH, `<html lang="zh-CN" class="large">`}} {
			body := heldFor(t, c.c, c.path)
			mustContain(t, body, c.want)
			if faults := languageFaults(c.lang, "text/html", body); len(faults) > 0 {
				t.Errorf("%s held in %s: %v", c.path, c.lang, faults)
			}
		}
	}
}

var totalRE = regexp.MustCompile(`id="r-total">(\d+)<`)

var scoreNRE = regexp.MustCompile(`id="score-index">[^<]*<small>n = (\d+)`)

// A review stored after a page was held is on the page at the next
// request once folded into the rollups, as on a page rendered then; the
// boards' figures follow when the boards are computed again (here at
// once: the test empties them), as they did before views were held.
func TestViewShowsANewReview(t *testing.T) {
	c := newClient(t)
	path := "/items/" + item
	settled(t)
	page := heldFor(t, c, path)
	total, n := totalRE.FindStringSubmatch(page), scoreNRE.FindStringSubmatch(page)

	// A review proven by its transaction, which the index counts.
	rate, _ := url.Parse(proven(t, workstation))
	q := rate.Query()
	form := url.Values{"csrf": {c.openForm(rate.RequestURI())}, "t": {q.Get("t")}, "p": {q.Get("p")}, "transaction": {q.Get("txn")},
		"item": {item}, "stage": {"acceptance"}, "stars": {"5"}, "anonymous": {"1"}}
	if resp, body := c.post(rate.Path, form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("rate: %d\n%s", resp.StatusCode, body)
	}
	after := totalRE.FindStringSubmatch(c.page(path))
	want := fmt.Sprint(count(t, reviewFilterItem()))
	if total == nil || after == nil || after[1] != want || total[1] == want {
		t.Fatalf("total before %v, after %v; want %s after, not before", total, after, want)
	}
	heldFor(t, c, path)

	emptyBoards()
	fresh := scoreNRE.FindStringSubmatch(c.page(path))
	b := recentBoard(t, index.Item)
	e, _ := b.Find(item)
	if n == nil || fresh == nil || fresh[1] != fmt.Sprint(e.N) || fresh[1] == n[1] {
		t.Errorf("score n = %v before, %v after the boards were computed again; want %d, the new review counted", n, fresh, e.N)
	}
}

// A page answers with a weak ETag, the same whether sent compressed or
// not, and 304 to a browser that has it; each language has its own.
func TestViewRevalidates(t *testing.T) {
	path := srv.URL + "/halls/" + hall
	get := func(header ...string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, path, nil)
		for i := 0; i < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, b
	}
	settled(t)
	plain, page := get("Accept-Encoding", "identity")
	zipped, gz := get("Accept-Encoding", "gzip")
	tag := plain.Header.Get("ETag")
	if tag == "" || tag[:2] != "W/" || zipped.Header.Get("ETag") != tag || zipped.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("ETag %q plain, %q compressed (%q); want one weak tag, compressed when asked", tag, zipped.Header.Get("ETag"), zipped.Header.Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	must(t, err)
	unzipped, err := io.ReadAll(zr)
	must(t, err)
	if !bytes.Equal(unzipped, page) {
		t.Error("the compressed page is not the plain one")
	}
	if cc := plain.Header.Get("Cache-Control"); cc != "private, no-cache" {
		t.Errorf("Cache-Control %q, want private, no-cache", cc)
	}
	resp, body := get("If-None-Match", tag)
	if resp.StatusCode != http.StatusNotModified || len(body) != 0 {
		t.Errorf("If-None-Match its tag: %d with %d bytes, want 304 and none", resp.StatusCode, len(body))
	}
	resp, _ = get("If-None-Match", tag, "Cookie", "lang=en")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("ETag") == tag {
		t.Errorf("in English with the Chinese tag: %d, tag %q; want 200 and a tag of its own", resp.StatusCode, resp.Header.Get("ETag"))
	}
}

// An address the pages do not link to (a made-up period, a parameter
// they do not read, a code spelt with escapes) is rendered for its
// request and not held: a caller making up a new one each time fills no
// memory (the budget is board.TestViewsStayInBudget's).
func TestViewMadeUpAddressesAreNotHeld(t *testing.T) {
	c := newClient(t)
	settled(t)
	for i := range 50 {
		for _, q := range []string{fmt.Sprintf("?period=p%d", i), fmt.Sprintf("?x=%d", i), fmt.Sprintf("?period=year&period=%d", i)} {
			for range 2 {
				if ok, _ := hit(c, "/halls/"+hall+q); ok {
					t.Fatalf("%s: served from the view cache", q)
				}
			}
		}
	}
	for range 2 {
		if ok, _ := hit(c, "/units/%53HGA"); ok {
			t.Error("/units/%53HGA: served from the view cache")
		}
	}
}
