package app

import (
	"context"
	"log/slog"
	"time"

	"github.com/haocha/haocha/internal/citizen"
	"github.com/haocha/haocha/internal/sms"
	"github.com/haocha/haocha/internal/store"
)

// citizens is the citizens' sign-in. Identities are hashed with the key
// the SMS caps hash phones with, so that a signed-in phone is the phone
// the caps and a transaction know. Codes are shown on the page only when
// no SMS gateway is configured (the log sends nothing).
func citizens(ctx context.Context, st *store.Store, cfg Config, texts sms.Sender, log *slog.Logger) (*citizen.Service, error) {
	idKey, err := st.Secret(ctx, "sms_optout")
	if err != nil {
		return nil, err
	}
	codeKey, err := st.Secret(ctx, "citizen_code")
	if err != nil {
		return nil, err
	}
	svc := &citizen.Service{Store: st, SMS: texts, IdentityKey: idKey, CodeKey: codeKey, ShowCodes: cfg.SMS == nil,
		Now: func() time.Time { return st.Now() }, Log: log}
	if cfg.OIDCIssuer != "" {
		svc.OIDC = &citizen.OIDC{Issuer: cfg.OIDCIssuer, ClientID: cfg.OIDCClientID, ClientSecret: cfg.OIDCClientSecret,
			RedirectURL: siteBase(cfg) + "/signin/oidc/callback", Log: log}
	}
	return svc, nil
}
