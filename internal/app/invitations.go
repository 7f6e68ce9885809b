package app

import (
	"context"
	"time"

	"github.com/haocha/haocha/internal/intake"
	"github.com/haocha/haocha/internal/invitation"
	"github.com/haocha/haocha/internal/store"
)

// invitations is the rating-invitation service: its keys derive from the
// master key, its links start at the site's address.
func invitations(ctx context.Context, st *store.Store, cfg Config) (*invitation.Service, error) {
	linkKey, err := st.Secret(ctx, "invitation_link")
	if err != nil {
		return nil, err
	}
	phoneKey, err := st.Secret(ctx, "sms_optout")
	if err != nil {
		return nil, err
	}
	remind := cfg.Loop.RemindBefore
	switch {
	case remind == 0:
		remind = invitation.DefaultRemindBefore
	case remind < 0:
		remind = 0
	}
	return &invitation.Service{Store: st, LinkKey: linkKey, PhoneKey: phoneKey, Base: siteBase(cfg),
		RemindBefore: remind, Now: func() time.Time { return st.Now() }}, nil
}

// proveWith gives intake what it checks a reviewer's proof against: the
// invitation links, the citizens' phone hashes, the key of the rating
// device's per-transaction proof, and the guess throttle.
func proveWith(ctx context.Context, in *intake.Service, st *store.Store, inv *invitation.Service) error {
	key, err := st.Secret(ctx, "transaction_proof")
	if err != nil {
		return err
	}
	in.Invitations, in.Proofs, in.ProofKey, in.Guesses = inv, st, key, &intake.Guesses{Shared: st}
	return nil
}
