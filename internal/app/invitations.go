package app

import (
	"context"
	"time"

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
