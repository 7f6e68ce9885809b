package web

import (
	"net/http"
)

// thanks confirms a review. For a bad review it shows the work order's
// number and the citizen's private follow-up link.
func (w *Web) thanks(rw http.ResponseWriter, r *http.Request) error {
	rc, ok := w.readReceipt(r)
	data := struct {
		page
		Receipt    receipt
		Known      bool
		FollowPath string
		FollowURL  string
	}{page: w.newPage(r, "thanks.title"), Receipt: rc, Known: ok}
	if rc.Token != "" {
		data.FollowPath = "/follow/" + rc.Token
		data.FollowURL = w.base(r) + data.FollowPath
	}
	// The page holds the private link: keep it out of shared caches and
	// out of the Referer of any page it links to.
	rw.Header().Set("Referrer-Policy", "no-referrer")
	return w.render(rw, r, http.StatusOK, "thanks", data)
}

// base is the absolute address of the site: the configured one, else the
// one this request came to.
func (w *Web) base(r *http.Request) string {
	if w.baseURL != "" {
		return w.baseURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
