package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store"
)

// workstationRate is the landing page of a workstation's QR code. The code
// carries a signed token; a code forged or edited for another workstation
// is refused before anything about the workstation is shown.
func (w *Web) workstationRate(rw http.ResponseWriter, r *http.Request) error {
	if err := parseForm(rw, r); err != nil {
		return err
	}
	ctx := r.Context()
	code, token := r.PathValue("workstation"), r.FormValue("t")
	if err := w.signer.Check(code, token, w.store.Now()); err != nil {
		// Both: the edges read the code and field, the page which words.
		return fmt.Errorf("%w: %w", apperr.New(apperr.Forbidden, "t", "%s", err.Error()), err)
	}
	place, err := w.store.Place(ctx, code)
	if err != nil {
		return err
	}
	f := &rateForm{page: w.newPage(r, "rate.title"), Place: &place, Token: token,
		Action: "/r/" + url.PathEscape(code)}
	f.Self = f.Action + "?t=" + url.QueryEscape(token)
	if f.Txn = strings.TrimSpace(r.URL.Query().Get("txn")); f.Txn != "" {
		f.Self += "&txn=" + url.QueryEscape(f.Txn)
	}
	// The rating device's per-transaction code proves the transaction;
	// the printed code alone proves nothing of this visit (issue 16).
	if f.Proof = r.FormValue("p"); f.Proof != "" {
		f.Self += "&p=" + url.QueryEscape(f.Proof)
	}
	f.NeedsProof = f.Proof == ""
	if r.Method != http.MethodPost {
		f.Query = strings.TrimSpace(r.URL.Query().Get("q"))
		if err := catalog.CheckSearch(f.Query); err != nil {
			return err
		}
	}
	// The hall's own items first; the others after them, for a service the
	// hall gave though the catalogue does not list it there.
	if f.Items, err = w.store.Items(ctx, store.ItemFilter{Hall: place.Hall.Code, Search: f.Query}); err != nil {
		return err
	}
	all, err := w.store.Items(ctx, store.ItemFilter{Search: f.Query})
	if err != nil {
		return err
	}
	here := make(map[string]bool, len(f.Items))
	for _, it := range f.Items {
		here[it.Code] = true
	}
	for _, it := range all {
		if !here[it.Code] {
			f.Others = append(f.Others, it)
		}
	}
	if f.Stages, err = w.store.StageNames(ctx); err != nil {
		return err
	}
	return w.rate(rw, r, f, func(s *review.Submission) {
		s.Channel, s.Workstation, s.QRToken, s.TransactionProof = string(review.Window), code, token, f.Proof
	})
}
