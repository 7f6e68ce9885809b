package web

import (
	"net/http"
	"net/url"

	"github.com/haocha/haocha/internal/review"
)

// itemRate rates an item from its service guide: the item is known, the
// form asks for the stage.
func (w *Web) itemRate(rw http.ResponseWriter, r *http.Request) error {
	if err := parseForm(rw, r); err != nil {
		return err
	}
	it, err := w.store.Item(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	src := r.FormValue("src")
	f := &rateForm{page: w.newPage(r, "rate.title"), Item: &it, Src: src, Stages: it.Stages,
		Action: "/items/" + url.PathEscape(it.Code) + "/rate"}
	f.Self = withSrc(f.Action, src)
	return w.rate(rw, r, f, func(s *review.Submission) {
		s.Channel, s.Item = string(onlineChannel(r, src)), it.Code
	})
}

// withSrc adds the link's source to an address, when there is one.
func withSrc(addr, src string) string {
	if _, ok := sources[src]; ok {
		return addr + "?src=" + src
	}
	return addr
}
