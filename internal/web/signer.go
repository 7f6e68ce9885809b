package web

import (
	"context"

	"github.com/haocha/haocha/internal/qr"
)

// NewSigner is the workstation token signer cfg describes: keyed by
// cfg.QRSecret, else by the database's derived "qr" secret, rotating as
// cfg says.
func NewSigner(ctx context.Context, cfg Config) (*qr.Signer, error) {
	secret := cfg.QRSecret
	if len(secret) == 0 {
		var err error
		if secret, err = cfg.Store.Secret(ctx, "qr"); err != nil {
			return nil, err
		}
	}
	s, err := qr.NewSigner(secret)
	if err != nil {
		return nil, err
	}
	s.Every, s.Grace = cfg.QRRotation, cfg.QRGrace
	return s, nil
}
