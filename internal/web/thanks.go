package web

import (
	"context"
	"net/http"

	"github.com/haocha/haocha/internal/apperr"
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
		Rated      *rated
	}{page: w.newPage(r, "thanks.title"), Receipt: rc, Known: ok}
	if ok {
		var err error
		if data.Rated, err = w.ratedOf(r.Context(), data.L, rc); err != nil {
			return err
		}
	}
	if rc.Token != "" {
		data.FollowPath = "/follow/" + rc.Token
		data.FollowURL = w.base(r) + data.FollowPath
	}
	// The page holds the private link: keep it out of shared caches and
	// out of the Referer of any page it links to.
	rw.Header().Set("Referrer-Policy", "no-referrer")
	return w.render(rw, r, http.StatusOK, "thanks", data)
}

// rated is what a receipt says was rated, in the page's language.
type rated struct {
	Item, Stage string
	Stars       int
	Dims        []ratedDim
}

type ratedDim struct {
	Name  string
	Score int
}

// ratedOf names what rc rated; nil when the receipt does not say (one
// set before it did) or its item has since left the catalogue.
func (w *Web) ratedOf(ctx context.Context, l locale, rc receipt) (*rated, error) {
	if rc.Item == "" {
		return nil, nil
	}
	it, err := w.store.Item(ctx, rc.Item)
	if apperr.Is(err, apperr.NotFound) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	out := &rated{Item: it.Name(string(l)), Stage: rc.Stage, Stars: rc.Stars}
	if st, ok := it.Stage(rc.Stage); ok {
		out.Stage = st.Name(string(l))
	}
	set, err := w.store.ActiveDimensionSet(ctx)
	if err != nil {
		return nil, err
	}
	for i, d := range set.Dimensions {
		if i < len(rc.Scores) && rc.Scores[i] > 0 {
			name := d.NameZH
			if l == langEN && d.NameEN != "" {
				name = d.NameEN
			}
			out.Dims = append(out.Dims, ratedDim{Name: name, Score: rc.Scores[i]})
		}
	}
	return out, nil
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
