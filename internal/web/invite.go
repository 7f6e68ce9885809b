package web

// The page an invitation's link opens: the transaction's rating form,
// the item, unit and stage shown by name, the review submitted through
// intake linked to the transaction. The link rates once: afterwards, or
// once the window closed, it answers 410 with a page that says so. Either
// way the citizen may ask for no more invitations.

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/invitation"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/route"
	"github.com/haocha/haocha/internal/transaction"
)

// inviteView is what the page says of the transaction, in its language.
type inviteView struct {
	Number      string
	Item, Unit  string
	Hall        string
	Workstation string
	Stages      string // names, listed
	Finished    string // the day it finished
	Until       string // the last day it may be rated
	OptOut      string // where "do not send me invitations" posts
}

// inviteGone is the page of a link used or expired.
type inviteGone struct {
	page
	Expired bool
	Until   string
	OptOut  string
	CSRF    string
}

// inviteOptOut is the page after the citizen opted out.
type inviteOptOut struct{ page }

// registerInvitations adds the invitation link's routes.
func (w *Web) registerInvitations(mux *route.Mux) {
	mux.Handle("GET "+invitation.Path+"{token}", route.Public, w.handle(w.inviteRate))
	mux.Handle("POST "+invitation.Path+"{token}", route.Public, w.handle(w.inviteRate))
	mux.Handle("POST "+invitation.Path+"{token}/optout", route.Public, w.handle(w.inviteOptOut))
}

// inviteRate shows and takes the rating form of an invitation's link.
func (w *Web) inviteRate(rw http.ResponseWriter, r *http.Request) error {
	if err := parseForm(rw, r); err != nil {
		return err
	}
	ctx, token := r.Context(), r.PathValue("token")
	action := invitation.Path + token
	l, err := w.invites.Open(ctx, token)
	if apperr.Is(err, apperr.Gone) {
		g := &inviteGone{page: w.newPage(r, "invite.used.title"), Until: lastDay(l.Transaction),
			OptOut: action + "/optout", CSRF: w.formToken(rw, r)}
		if !l.Used && !l.Rated {
			g.page, g.Expired = w.newPage(r, "invite.expired.title"), true
		}
		return w.render(rw, r, http.StatusGone, "invite_gone", g)
	}
	if err != nil {
		return err
	}
	t := l.Transaction
	item, err := w.store.Item(ctx, t.Item)
	if err != nil {
		return err
	}
	v, stages, err := w.describe(ctx, t, item, langOf(r))
	if err != nil {
		return err
	}
	v.OptOut = action + "/optout"
	f := &rateForm{page: w.newPage(r, "invite.title"), Item: &item, Stages: stages, Action: action, Invitation: v,
		claim: func(ctx context.Context) (func(context.Context, int64) error, error) { return w.invites.Claim(ctx, l) }}
	f.Self = action
	return w.rate(rw, r, f, func(s *review.Submission) {
		s.Channel, s.Transaction, s.InvitationToken = string(review.SMS), t.Number, token
	})
}

// describe names what t was, and the stages it may be rated at.
func (w *Web) describe(ctx context.Context, t *transaction.Transaction, item catalog.Item, lang locale) (*inviteView, []catalog.Stage, error) {
	unit, err := w.store.Unit(ctx, t.Unit)
	if err != nil {
		return nil, nil, err
	}
	v := &inviteView{Number: t.Number, Item: item.Name(string(lang)), Unit: unit.Name(string(lang)),
		Finished: t.FinishedAt.In(calendar.Zone).Format(time.DateOnly), Until: lastDay(t)}
	if t.Workstation != "" {
		p, err := w.store.Place(ctx, t.Workstation)
		if err != nil {
			return nil, nil, err
		}
		v.Hall, v.Workstation = p.Hall.Name(string(lang)), p.Workstation.NameIn(string(lang))
	}
	var stages []catalog.Stage
	var names []string
	for _, code := range t.Stages {
		if st, ok := item.Stage(code); ok {
			stages = append(stages, st)
			names = append(names, st.Name(string(lang)))
		}
	}
	sep := "、"
	if lang == "en" {
		sep = ", "
	}
	v.Stages = strings.Join(names, sep)
	return v, stages, nil
}

// lastDay is the last day t may be rated: its window closes at the end of it.
func lastDay(t *transaction.Transaction) string {
	if t == nil {
		return ""
	}
	return t.RatingClosesAt.In(calendar.Zone).Add(-time.Millisecond).Format(time.DateOnly)
}

// inviteOptOut takes "do not send me invitations" from the link's page.
func (w *Web) inviteOptOut(rw http.ResponseWriter, r *http.Request) error {
	if err := parseForm(rw, r); err != nil {
		return err
	}
	if !w.formTokenOK(r) {
		return apperr.New(apperr.Forbidden, "csrf", "the form expired: open the link again")
	}
	if err := w.invites.OptOutLink(r.Context(), r.PathValue("token")); err != nil {
		return err
	}
	return w.render(rw, r, http.StatusOK, "invite_optout", &inviteOptOut{page: w.newPage(r, "invite.optout.title")})
}
